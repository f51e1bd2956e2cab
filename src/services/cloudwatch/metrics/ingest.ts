/**
 * The one path by which datapoints enter CloudWatch: PutMetricData, service metrics (internal putMetrics) and Logs
 * metric filters. Checks the datums as PutMetricData does, writes one request in one transaction and resolves after
 * commit; then tells the roll-up job there is fresh data (runtime.ts installs that hook).
 */
import type { Stores } from "../../../storage/types.js";
import type { MetricDatumInput } from "../../internal.js";
import { aggregate, checkDatums } from "./datums.js";

const hooks = new WeakMap<Stores, (now: number) => void>();

/** runtime.ts: called after each committed write. */
export function onMetricsWritten(stores: Stores, hook: (now: number) => void): void {
  hooks.set(stores, hook);
}

export async function ingestMetricData(
  stores: Stores,
  now: number,
  account: string,
  region: string,
  namespace: string,
  data: MetricDatumInput[] | undefined,
  service = false,
): Promise<void> {
  checkDatums(namespace, data, now, service);
  const series = aggregate(namespace, data!, now);
  await stores.metrics.put(account, region, series, now);
  hooks.get(stores)?.(now);
}
