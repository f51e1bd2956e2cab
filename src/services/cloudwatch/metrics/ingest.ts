/**
 * The one path by which datapoints enter CloudWatch: PutMetricData, service metrics (internal putMetrics) and Logs
 * metric filters. Checks the datums as PutMetricData does, then group-commits: the requests of one event-loop turn
 * are merged (rows of the same metric, unit and period become one row) and written in one transaction, and each
 * request resolves after that commit. Then the roll-up job hears there is fresh data (runtime.ts installs that hook).
 */
import { GroupCommit } from "../../../runtime/group-commit.js";
import type { Stores } from "../../../storage/types.js";
import type { MetricDatumInput } from "../../internal.js";
import { aggregate, checkDatums, mergeAggregates, toWrites, type Aggregate } from "./datums.js";

interface Batch {
  agg: Aggregate;
  now: number;
}

const latest = (batches: Batch[]) => batches.reduce((t, b) => Math.max(t, b.now), -Infinity);

const hooks = new WeakMap<Stores, (now: number) => void>();
const writers = new WeakMap<Stores, GroupCommit<Batch>>();

/** runtime.ts: called after each committed write. */
export function onMetricsWritten(stores: Stores, hook: (now: number) => void): void {
  hooks.set(stores, hook);
}

function writer(stores: Stores): GroupCommit<Batch> {
  let w = writers.get(stores);
  if (!w) {
    w = new GroupCommit<Batch>(
      async (batches) => {
        await stores.metrics.put(toWrites(mergeAggregates(batches.map((b) => b.agg))), latest(batches));
      },
      (batches) => hooks.get(stores)?.(latest(batches)),
    );
    writers.set(stores, w);
  }
  return w;
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
  await writer(stores).add({ agg: aggregate(account, region, namespace, data!, now), now });
}
