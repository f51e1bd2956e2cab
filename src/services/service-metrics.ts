/**
 * The metrics services emit about themselves (AWS/SQS, AWS/SNS, AWS/Events) as CloudWatch receives them: counters
 * summed in memory per metric and dimension, and handed to CloudWatch as StatisticValues through
 * internal(stores).putMetrics when their owner flushes (SQS and SNS once a minute on the clock, EventBridge within
 * 100 ms). Optional work: skipped while CloudWatch has not installed putMetrics.
 */
import type { Logger } from "pino";
import type { Stores } from "../storage/types.js";
import { internal, type MetricDatumInput } from "./internal.js";

type Dimension = { Name: string; Value: string };

interface Sum {
  account: string;
  region: string;
  namespace: string;
  metric: string;
  dimension?: Dimension;
  unit: string;
  sum: number;
  count: number;
  min: number;
  max: number;
}

export class MetricSums {
  private sums = new Map<string, Sum>();

  /** One sample of `value`; without a dimension, the metric's all-resources series. */
  add(
    scope: { account: string; region: string },
    namespace: string,
    metric: string,
    dimension: Dimension | undefined,
    value: number,
    unit = "Count",
  ): void {
    const key = `${scope.account}\n${scope.region}\n${namespace}\n${metric}\n${dimension?.Name ?? ""}\n${dimension?.Value ?? ""}`;
    let s = this.sums.get(key);
    if (!s) {
      s = {
        account: scope.account,
        region: scope.region,
        namespace,
        metric,
        dimension,
        unit,
        sum: 0,
        count: 0,
        min: Infinity,
        max: -Infinity,
      };
      this.sums.set(key, s);
    }
    s.sum += value;
    s.count++;
    if (value < s.min) s.min = value;
    if (value > s.max) s.max = value;
  }

  /** Sends what was summed since the last flush, timestamped `now` (CloudWatch's clock when left out). */
  async flush(deps: { stores: Stores; log?: Logger }, now?: number): Promise<void> {
    const put = internal(deps.stores).putMetrics;
    const sums = [...this.sums.values()];
    this.sums = new Map();
    if (!put || sums.length === 0) return;
    const groups = new Map<
      string,
      { account: string; region: string; namespace: string; datums: MetricDatumInput[] }
    >();
    for (const s of sums) {
      const k = `${s.account}\n${s.region}\n${s.namespace}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { account: s.account, region: s.region, namespace: s.namespace, datums: [] }));
      g.datums.push({
        MetricName: s.metric,
        ...(s.dimension ? { Dimensions: [s.dimension] } : {}),
        StatisticValues: { SampleCount: s.count, Sum: s.sum, Minimum: s.min, Maximum: s.max },
        Unit: s.unit,
        ...(now === undefined ? {} : { Timestamp: now }),
      });
    }
    for (const g of groups.values()) {
      try {
        await put(g.account, g.region, g.namespace, g.datums);
      } catch (err) {
        deps.log?.warn({ err, namespace: g.namespace }, "service metrics: putMetrics failed");
      }
    }
  }
}
