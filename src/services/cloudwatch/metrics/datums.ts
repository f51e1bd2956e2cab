/**
 * PutMetricData's rules (API reference, PutMetricData and MetricDatum) and the aggregation of one request's datums
 * into per-period rows: the request is checked whole first (AWS stores all datums or none), then every datum lands in
 * the 1-minute row of its metric, unit and minute (and, at StorageResolution 1, in the 1-second row too).
 */
import { awsError } from "../../../errors/index.js";
import type { MetricDatumInput } from "../../internal.js";
import type { PointWrite, SeriesWrite } from "../../../storage/metrics-store.js";
import { Sketch } from "./sketch.js";

export const MAX_DATUMS = 1000;
export const MAX_VALUES = 150;
/** "Values must be in the range of -2^360 to 2^360" (MetricDatum.Value). */
const LIMIT = Math.pow(2, 360);
const MIN_MAGNITUDE = 1 / LIMIT;
const TWO_WEEKS_MS = 14 * 24 * 3600 * 1000;
const TWO_HOURS_MS = 2 * 3600 * 1000;
/**
 * Rows of data timestamped in the last two minutes stay open: later writes to the same metric, unit and period
 * update them in place (SQLite) rather than adding rows. The roll-up leaves them alone until they are older.
 */
export const OPEN_ROW_WINDOW_MS = 2 * 60_000;

export interface Dimension {
  Name: string;
  Value: string;
}

const invalidValue = (message: string) => awsError("InvalidParameterValue", message);
const combination = (message: string) => awsError("InvalidParameterCombination", message);

/** The canonical identity of a dimension set: sorted by name (a metric is its exact set, in any order). */
export function canonicalDims(dims: readonly Dimension[] | undefined): { key: string; sorted: Dimension[] } {
  if (!dims || dims.length === 0) return { key: "[]", sorted: [] };
  if (dims.length === 1) {
    const { Name, Value } = dims[0];
    return { key: dimsKeyOf(dims), sorted: [{ Name, Value }] };
  }
  const sorted = dims
    .map((d) => ({ Name: d.Name, Value: d.Value }))
    .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  return { key: JSON.stringify(sorted.map((d) => [d.Name, d.Value])), sorted };
}

/** canonicalDims(dims).key, without building the sorted copy when there is nothing to sort (the ingest path). */
function dimsKeyOf(dims: readonly Dimension[] | undefined): string {
  if (!dims || dims.length === 0) return "[]";
  if (dims.length === 1) return `[[${JSON.stringify(dims[0].Name)},${JSON.stringify(dims[0].Value)}]]`;
  return canonicalDims(dims).key;
}

function checkNumber(v: number, path: string): void {
  if (!Number.isFinite(v) || Math.abs(v) > LIMIT || (v !== 0 && Math.abs(v) < MIN_MAGNITUDE))
    throw invalidValue(`The value ${numberText(v)} for parameter ${path} is invalid.`);
}

const numberText = (v: number) =>
  Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : String(v);

/** Checks one request's datums, in AWS's order; throws the AwsError PutMetricData answers. */
export function checkDatums(
  namespace: string,
  data: MetricDatumInput[] | undefined,
  now: number,
  service = false,
  pathOf: (i: number) => string = (i) => `MetricData.member.${i + 1}`,
): void {
  if (!service && namespace.startsWith("AWS/"))
    // Namespaces beginning with AWS/ are reserved for AWS services (MetricDatum documentation).
    throw invalidValue(`The value ${namespace} for parameter Namespace is invalid.`);
  if (!data || data.length === 0) throw awsError("MissingParameter", "The parameter MetricData is required.");
  if (data.length > MAX_DATUMS)
    throw invalidValue(`The collection MetricData must not have a size greater than ${MAX_DATUMS}.`);
  for (let i = 0; i < data.length; i++) checkDatum(data[i], pathOf(i), now);
}

/** The timestamp of a datum in ms (the wire gives a Date, services give ms), or undefined for "now". */
const timestampOf = (d: MetricDatumInput): number | undefined =>
  d.Timestamp === undefined || d.Timestamp === null
    ? undefined
    : typeof d.Timestamp === "number"
      ? d.Timestamp
      : d.Timestamp.getTime();

function checkDatum(d: MetricDatumInput, p: string, now: number): void {
  const hasValue = d.Value !== undefined && d.Value !== null;
  const hasValues = d.Values !== undefined;
  const hasStats = !!d.StatisticValues;
  if (hasValue && hasValues)
    throw combination(`The parameters ${p}.Value and ${p}.Values are mutually exclusive and you have specified both.`);
  if (hasValue && hasStats)
    throw combination(
      `The parameters ${p}.Value and ${p}.StatisticValues are mutually exclusive and you have specified both.`,
    );
  if (hasValues && hasStats)
    throw combination(
      `The parameters ${p}.Values and ${p}.StatisticValues are mutually exclusive and you have specified both.`,
    );
  if (hasValue) checkNumber(d.Value!, `${p}.Value`);
  if (d.Values) {
    if (d.Values.length > MAX_VALUES)
      throw invalidValue(`The collection ${p}.Values must not have a size greater than ${MAX_VALUES}.`);
    for (const v of d.Values) checkNumber(v, `${p}.Values`);
  }
  if (d.Counts) {
    if (!d.Values || d.Counts.length !== d.Values.length)
      throw invalidValue(`The parameters ${p}.Values and ${p}.Counts must be of the same size.`);
    for (const c of d.Counts) {
      checkNumber(c, `${p}.Counts`);
      if (c < 0) throw invalidValue(`The value ${c} for parameter ${p}.Counts is invalid.`);
    }
  }
  if (d.StatisticValues) {
    const s = d.StatisticValues;
    checkNumber(s.SampleCount, `${p}.StatisticValues.SampleCount`);
    checkNumber(s.Sum, `${p}.StatisticValues.Sum`);
    checkNumber(s.Minimum, `${p}.StatisticValues.Minimum`);
    checkNumber(s.Maximum, `${p}.StatisticValues.Maximum`);
    if (s.SampleCount <= 0)
      throw invalidValue(`The value ${s.SampleCount} for parameter ${p}.StatisticValues.SampleCount is invalid.`);
    if (s.Minimum > s.Maximum)
      throw invalidValue(
        `The parameter ${p}.StatisticValues.Maximum must be greater than ${p}.StatisticValues.Minimum.`,
      );
  }
  if (d.StorageResolution !== undefined && d.StorageResolution !== 1 && d.StorageResolution !== 60)
    throw invalidValue(`The value ${d.StorageResolution} for parameter ${p}.StorageResolution is invalid.`);
  const dims = d.Dimensions;
  if (dims && dims.length > 1)
    for (let a = 1; a < dims.length; a++)
      for (let b = 0; b < a; b++)
        // Assumption (no recording): AWS rejects a datum naming one dimension twice with this wording.
        if (dims[a].Name === dims[b].Name) throw invalidValue(`No metric may have duplicate dimension names.`);
  const ts = timestampOf(d);
  if (ts !== undefined) {
    if (ts < now - TWO_WEEKS_MS)
      throw invalidValue(`The parameter ${p}.Timestamp must specify a time within the past two weeks.`);
    if (ts > now + TWO_HOURS_MS)
      throw invalidValue(`The parameter ${p}.Timestamp must specify a time no more than two hours in the future.`);
  }
}

/** One period row being accumulated; its sketch is built once, when the batch is written. */
interface RowAcc {
  row: PendingPoint;
  /** Values (and their weights) that go into the sketch. */
  values: number[];
  weights: number[];
}

/** The rows of one metric in a batch. */
interface SeriesAcc {
  /** Identity of the metric in its account and region (the key of the Aggregate). */
  seriesKey: string;
  account: string;
  region: string;
  namespace: string;
  name: string;
  dimsKey: string;
  dims: Dimension[];
  rows: Map<string, RowAcc>;
}

/** Datapoints accumulated per metric and period: one request's, or several requests' merged for one commit. */
export type Aggregate = Map<string, SeriesAcc>;

/**
 * Accumulates one request's datums into per-metric, per-period rows, added to `out` (the rows of the batch being
 * gathered for one commit): rows of the same metric, unit and period become one row, as they would after a roll-up.
 * Datums must have passed checkDatums.
 */
export function aggregate(
  account: string,
  region: string,
  namespace: string,
  data: MetricDatumInput[],
  now: number,
  out: Aggregate = new Map(),
): Aggregate {
  const prefix = `${account}\u0000${region}\u0000${namespace}\u0000`;
  for (const d of data) {
    const key = dimsKeyOf(d.Dimensions);
    const sk = `${prefix}${d.MetricName}\u0000${key}`;
    let s = out.get(sk);
    if (!s) {
      const dims = canonicalDims(d.Dimensions).sorted;
      s = { seriesKey: sk, account, region, namespace, name: d.MetricName, dimsKey: key, dims, rows: new Map() };
      out.set(sk, s);
    }
    const ts = timestampOf(d) ?? now;
    const unit = d.Unit ?? "None";
    const hires = d.StorageResolution === 1;
    add(s.rows, 60, Math.floor(ts / 60_000) * 60_000, unit, !hires, d);
    if (hires) add(s.rows, 1, Math.floor(ts / 1000) * 1000, unit, false, d);
  }
  return out;
}

/** A point to write, with what the writer needs to keep its row open (ingest.ts). */
export interface PendingPoint extends PointWrite {
  /** Identity of the row within its metric: tier, period start, unit and resolution. */
  rowKey: string;
  /** The sketch `sketch` encodes. */
  sketchObj: Sketch | null;
}

export interface PendingWrite extends SeriesWrite {
  seriesKey: string;
  points: PendingPoint[];
}

/** The store writes of an aggregate: every row with its sketch built and encoded. */
export function toWrites(agg: Aggregate): PendingWrite[] {
  const out: PendingWrite[] = [];
  for (const s of agg.values()) {
    const points: PendingPoint[] = [];
    for (const { row, values, weights } of s.rows.values()) {
      if (!(row.count > 0)) continue;
      if (values.length > 0) {
        const sketch = new Sketch();
        for (let j = 0; j < values.length; j++) sketch.add(values[j], weights[j]);
        row.sketch = sketch.encode();
        row.sketchObj = sketch;
      }
      points.push(row);
    }
    out.push({
      seriesKey: s.seriesKey,
      account: s.account,
      region: s.region,
      namespace: s.namespace,
      name: s.name,
      dimsKey: s.dimsKey,
      dims: JSON.stringify(s.dims),
      points,
    });
  }
  return out;
}

function add(
  rows: Map<string, RowAcc>,
  tier: number,
  ts: number,
  unit: string,
  std: boolean,
  d: MetricDatumInput,
): void {
  const k = `${tier}\u0000${ts}\u0000${unit}\u0000${std ? 1 : 0}`;
  let acc = rows.get(k);
  if (!acc) {
    acc = {
      row: {
        tier,
        ts,
        unit,
        std,
        count: 0,
        sum: 0,
        min: Infinity,
        max: -Infinity,
        skCount: 0,
        sketch: null,
        rowKey: k,
        sketchObj: null,
      },
      values: [],
      weights: [],
    };
    rows.set(k, acc);
  }
  const r = acc.row;
  if (d.StatisticValues) {
    const s = d.StatisticValues;
    r.count += s.SampleCount;
    r.sum += s.Sum;
    r.min = Math.min(r.min, s.Minimum);
    r.max = Math.max(r.max, s.Maximum);
    // Percentiles of statistic sets exist only when SampleCount is 1 or Minimum equals Maximum (MetricDatum docs).
    if (s.SampleCount === 1 || s.Minimum === s.Maximum) {
      acc.values.push(s.Minimum);
      acc.weights.push(s.SampleCount);
      r.skCount += s.SampleCount;
    }
    return;
  }
  if (d.Values) {
    for (let i = 0; i < d.Values.length; i++) {
      const v = d.Values[i];
      const c = d.Counts ? d.Counts[i] : 1;
      if (!(c > 0)) continue;
      r.count += c;
      r.sum += v * c;
      r.min = Math.min(r.min, v);
      r.max = Math.max(r.max, v);
      acc.values.push(v);
      acc.weights.push(c);
      r.skCount += c;
    }
    return;
  }
  const v = d.Value ?? 0;
  r.count += 1;
  r.sum += v;
  r.min = Math.min(r.min, v);
  r.max = Math.max(r.max, v);
  acc.values.push(v);
  acc.weights.push(1);
  r.skCount += 1;
}
