/**
 * The metrics engine the alarms evaluate through (engine-api.ts). statSeriesMany answers every metric of an evaluation
 * tick with one bulk series-id lookup (cached) and one bulk indexed range read, so 10,000 alarms cost a few statements
 * rather than 10,000 (statSeries is a batch of one).
 */
import type { Clock } from "../../../runtime/clock.js";
import type { Stores } from "../../../storage/types.js";
import type { PointRange, RangePoint } from "../../../storage/metrics-store.js";
import type { Dimension, MetricsEngine, StatSeries, StatSeriesRequest } from "../engine-api.js";
import { canonicalDims } from "./datums.js";
import { runQueries, type QueryInput } from "./metric-data.js";
import { bucketize, readRanges } from "./read.js";
import { addRow, isExtended, newAgg, parseStat, statValue, type Agg, type StatSpec } from "./stats.js";

/** Requests per read of the store. */
const BATCH = 256;

/** Back to what newAgg() answers. */
function reset(a: Agg): void {
  a.count = 0;
  a.sum = 0;
  a.min = Infinity;
  a.max = -Infinity;
  a.skCount = 0;
  a.sketches.length = 0;
  a.units.clear();
  a.merged = undefined;
}

/** Appends one period's statistic (periods without one are absent). */
function push(out: StatSeries, t: number, agg: Agg, s: StatSpec): void {
  const v = statValue(agg, s);
  if (v === undefined) return;
  out.timestamps.push(t);
  out.values.push(v);
  out.sampleCounts.push(agg.count);
}

/** Canonical keys by dimension array: an alarm passes the same array every tick (its parsed configuration). */
const dimsKeys = new WeakMap<readonly Dimension[], string>();

function dimsKey(dims: readonly Dimension[]): string {
  let k = dimsKeys.get(dims);
  if (k === undefined) dimsKeys.set(dims, (k = canonicalDims(dims).key));
  return k;
}

export function createMetricsEngine(stores: Stores, clock: Clock): MetricsEngine {
  const specs = new Map<string, StatSpec | undefined>();
  const spec = (stat: string) => {
    if (!specs.has(stat)) specs.set(stat, parseStat(stat));
    return specs.get(stat);
  };
  /** Periods are aligned to the epoch: the read starts at the period holding startMs. */
  const origin = (r: StatSeriesRequest) => {
    const p = r.query.period * 1000;
    return Math.floor(r.startMs / p) * p;
  };
  /**
   * The periods of one range's rows, which come in ts order: one running aggregate, reset from period to period,
   * rather than a map of periods (bucketize), which costs a map, an aggregate and a set per period.
   */
  const fold = (rows: readonly RangePoint[], r: StatSeriesRequest, s: StatSpec, agg: Agg, out: StatSeries) => {
    const p = r.query.period * 1000;
    const o = origin(r);
    let current: number | undefined;
    for (const row of rows) {
      if (r.query.unit !== undefined && row.unit !== r.query.unit) continue;
      const b = o + Math.floor((row.ts - o) / p) * p;
      if (b !== current) {
        if (current !== undefined && current >= r.startMs) push(out, current, agg, s);
        reset(agg);
        current = b;
      }
      addRow(agg, row);
    }
    if (current !== undefined && current >= r.startMs) push(out, current, agg, s);
  };
  /** One batch of requests: their ranges read in one go (two: sketches only where percentile-like stats need them). */
  const batch = async (requests: readonly StatSeriesRequest[], ids: (number | undefined)[], out: StatSeries[]) => {
    const now = clock.now();
    const plain: PointRange[] = [];
    const sketched: PointRange[] = [];
    /** Request index -> its ranges: which read, and where in it. */
    const owned: { sketch: boolean; at: number }[][] = [];
    const specOf = requests.map((r) => spec(r.query.stat));
    requests.forEach((r, i) => {
      const id = ids[i];
      const s = specOf[i];
      owned.push([]);
      if (id === undefined || !s) return;
      const sketch = isExtended(s);
      const list = sketch ? sketched : plain;
      for (const range of readRanges(id, r.query.period, origin(r), r.endMs, now)) {
        owned[i].push({ sketch, at: list.length });
        list.push(range);
      }
    });
    const [plainRows, sketchedRows] = await Promise.all([
      stores.metrics.pointsIn(plain, false),
      stores.metrics.pointsIn(sketched, true),
    ]);
    const rowsOf = (o: { sketch: boolean; at: number }) => (o.sketch ? sketchedRows : plainRows)[o.at];
    const agg = newAgg();
    requests.forEach((r, i) => {
      const s = specOf[i];
      if (!s || owned[i].length === 0) return;
      if (owned[i].length === 1) fold(rowsOf(owned[i][0]), r, s, agg, out[i]);
      else {
        // Several tiers: rows are not in one ts order, so through the map of periods.
        const { byStart } = bucketize(owned[i].flatMap(rowsOf), r.query.period, origin(r), { unit: r.query.unit });
        for (const t of [...byStart.keys()].sort((a, b) => a - b))
          if (t >= r.startMs) push(out[i], t, byStart.get(t)!.get("")!, s);
      }
    });
  };
  const many = async (requests: readonly StatSeriesRequest[]): Promise<StatSeries[]> => {
    const out = requests.map(() => ({
      timestamps: [] as number[],
      values: [] as number[],
      sampleCounts: [] as number[],
    }));
    const ids = await stores.metrics.seriesIds(
      requests.map((r) => ({
        account: r.account,
        region: r.region,
        namespace: r.query.namespace,
        name: r.query.metricName,
        dimsKey: dimsKey(r.query.dimensions),
      })),
    );
    // In batches, each folded before the next is read: a tick over 10,000 metrics never holds all their rows at once,
    // which would leave the garbage collector that many more live objects to copy.
    for (let i = 0; i < requests.length; i += BATCH)
      await batch(requests.slice(i, i + BATCH), ids.slice(i, i + BATCH), out.slice(i, i + BATCH));
    return out;
  };
  return {
    async statSeries(account, region, query, startMs, endMs) {
      return (await many([{ account, region, query, startMs, endMs }]))[0];
    },
    statSeriesMany: many,
    async metricData(account, region, queries, startMs, endMs) {
      const { results } = await runQueries(
        { store: stores.metrics, now: clock.now(), account, region },
        queries as unknown as QueryInput[],
        startMs,
        endMs,
      );
      return results;
    },
  };
}
