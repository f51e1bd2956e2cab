/**
 * Reads one metric's aggregates into periods. The tier read follows AWS's retention: periods under a minute read the
 * 1-second rows (high resolution) and the 1-minute rows of standard-resolution data; multiples of 5 minutes or of an
 * hour whose start is older than 15 or 63 days read the 5-minute or 1-hour tier, plus the 1-minute rows not rolled up
 * yet; everything else reads the 1-minute tier. readStat turns the rows of one series into one statistic per period.
 */
import type { MetricsStore, PointRange, RangePoint, StoredPoint } from "../../../storage/metrics-store.js";
import { addRow, newAgg, statValue, type Agg, type StatSpec } from "./stats.js";

const DAY_MS = 24 * 3600 * 1000;

/** Period buckets by start (ms), aligned to `origin`; per unit when `perUnit`. */
export interface Buckets {
  /** bucket start -> unit (or "" when merged) -> aggregate. */
  byStart: Map<number, Map<string, Agg>>;
  units: Set<string>;
}

/** The stored ranges a read of one metric's periods covers, by the tier rule above. */
export function readRanges(seriesId: number, periodS: number, start: number, end: number, now: number): PointRange[] {
  const age = now - start;
  if (periodS < 60)
    return [
      { seriesId, tier: 1, from: start, to: end },
      { seriesId, tier: 60, from: start, to: end, stdOnly: true },
    ];
  const tier = periodS % 3600 === 0 && age > 63 * DAY_MS ? 3600 : periodS % 300 === 0 && age > 15 * DAY_MS ? 300 : 60;
  if (tier === 60) return [{ seriesId, tier: 60, from: start, to: end }];
  return [
    { seriesId, tier, from: start, to: end },
    { seriesId, tier: 60, from: start, to: end, unrolledOnly: true },
  ];
}

export async function readRows(
  store: MetricsStore,
  seriesId: number,
  periodS: number,
  start: number,
  end: number,
  now: number,
): Promise<StoredPoint[]> {
  const parts = await Promise.all(
    readRanges(seriesId, periodS, start, end, now).map((r) =>
      r.unrolledOnly
        ? store.unrolled(r.seriesId, r.from, r.to)
        : store.points(r.seriesId, r.tier, r.from, r.to, r.stdOnly),
    ),
  );
  return parts.flat();
}

/**
 * Groups rows into periods [origin + k*period, origin + (k+1)*period) within [start, end). `unit` keeps only rows of
 * that unit; `perUnit` keeps units apart (GetMetricStatistics answers a datapoint per unit).
 */
export function bucketize(
  rows: readonly RangePoint[],
  periodS: number,
  origin: number,
  opts: { unit?: string; perUnit?: boolean } = {},
): Buckets {
  const p = periodS * 1000;
  const byStart = new Map<number, Map<string, Agg>>();
  const units = new Set<string>();
  for (const r of rows) {
    if (opts.unit !== undefined && r.unit !== opts.unit) continue;
    const b = origin + Math.floor((r.ts - origin) / p) * p;
    let m = byStart.get(b);
    if (!m) byStart.set(b, (m = new Map()));
    const key = opts.perUnit ? r.unit : "";
    let a = m.get(key);
    if (!a) m.set(key, (a = newAgg()));
    addRow(a, r);
    units.add(r.unit);
  }
  return { byStart, units };
}

/** One statistic of one series over periods [origin + k*period, end): the periods with data, ascending. */
export async function readStat(
  store: MetricsStore,
  seriesId: number,
  q: { period: number; stat: StatSpec; unit?: string },
  origin: number,
  end: number,
  now: number,
): Promise<{ ts: number[]; vs: number[]; units: Set<string> }> {
  const rows = await readRows(store, seriesId, q.period, origin, end, now);
  const { byStart, units } = bucketize(rows, q.period, origin, { unit: q.unit });
  const ts: number[] = [];
  const vs: number[] = [];
  for (const t of [...byStart.keys()].sort((a, b) => a - b)) {
    const v = statValue(byStart.get(t)!.get("")!, q.stat);
    if (v === undefined) continue;
    ts.push(t);
    vs.push(v);
  }
  return { ts, vs, units };
}
