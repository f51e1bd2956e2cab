/**
 * The metrics engine as the alarm evaluator sees it: what metrics/ provides and alarms/ consumes. Installed per server
 * by the metrics runtime (setMetricsEngine); `metricsEngine(stores)` finds it.
 */
import type { Stores } from "../../storage/types.js";

export interface Dimension {
  Name: string;
  Value: string;
}

/** One metric and one statistic over fixed periods, as an alarm on a single metric names it. */
export interface MetricStatQuery {
  namespace: string;
  metricName: string;
  /** The exact set of dimensions (order does not matter). */
  dimensions: Dimension[];
  /** Seconds: 10, 20, 30, or a multiple of 60. */
  period: number;
  /** SampleCount | Average | Sum | Minimum | Maximum, or an extended statistic such as p99, p99.9, tm90, IQR. */
  stat: string;
  unit?: string;
}

/** One statSeries request of a batch. */
export interface StatSeriesRequest {
  account: string;
  region: string;
  query: MetricStatQuery;
  startMs: number;
  endMs: number;
}

export interface StatSeries {
  /** Period start times (epoch ms), ascending; periods without data are absent. */
  timestamps: number[];
  values: number[];
  /** Samples behind each value (EvaluateLowSampleCountPercentile). */
  sampleCounts: number[];
}

/** A GetMetricData query in the model's shape (Id, MetricStat, Expression, Label, ReturnData, Period). */
export type MetricDataQuery = Record<string, unknown>;

/** A GetMetricData result in the model's shape (Id, Label, Timestamps as epoch ms, Values, StatusCode, Messages). */
export interface MetricDataResult {
  Id: string;
  Label?: string;
  Timestamps: number[];
  Values: number[];
  StatusCode: "Complete" | "InternalError" | "PartialData" | "Forbidden";
  Messages?: { Code: string; Value: string }[];
}

export interface MetricsEngine {
  /** [startMs, endMs) periods aligned to `period` from the epoch. */
  statSeries(account: string, region: string, q: MetricStatQuery, startMs: number, endMs: number): Promise<StatSeries>;
  /**
   * statSeries of many metrics in one read of the store (the alarm evaluator's tick), answers in request order. Throws
   * when any one fails; the caller can then ask statSeries one by one.
   */
  statSeriesMany(requests: readonly StatSeriesRequest[]): Promise<StatSeries[]>;
  /**
   * Evaluates GetMetricData queries (metric math included) over [startMs, endMs). Throws the AwsError GetMetricData
   * answers for invalid queries. Results in query order, ReturnData false ones left out, timestamps ascending.
   */
  metricData(
    account: string,
    region: string,
    queries: MetricDataQuery[],
    startMs: number,
    endMs: number,
  ): Promise<MetricDataResult[]>;
}

const engines = new WeakMap<Stores, MetricsEngine>();

export function setMetricsEngine(stores: Stores, engine: MetricsEngine): void {
  engines.set(stores, engine);
}

export function metricsEngine(stores: Stores): MetricsEngine | undefined {
  return engines.get(stores);
}
