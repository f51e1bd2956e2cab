/**
 * The metrics engine the alarms evaluate through (engine-api.ts). statSeries is one cached series-id lookup and one
 * indexed range read per call, so evaluating many alarms each minute stays cheap.
 */
import type { Clock } from "../../../runtime/clock.js";
import type { Stores } from "../../../storage/types.js";
import type { MetricsEngine } from "../engine-api.js";
import { canonicalDims } from "./datums.js";
import { runQueries, type QueryInput } from "./metric-data.js";
import { bucketize, readRows } from "./read.js";
import { parseStat, statValue, type StatSpec } from "./stats.js";

export function createMetricsEngine(stores: Stores, clock: Clock): MetricsEngine {
  const specs = new Map<string, StatSpec | undefined>();
  const spec = (stat: string) => {
    if (!specs.has(stat)) specs.set(stat, parseStat(stat));
    return specs.get(stat);
  };
  return {
    async statSeries(account, region, q, startMs, endMs) {
      const out = { timestamps: [] as number[], values: [] as number[], sampleCounts: [] as number[] };
      const s = spec(q.stat);
      if (!s) return out;
      const id = await stores.metrics.seriesId(
        account,
        region,
        q.namespace,
        q.metricName,
        canonicalDims(q.dimensions).key,
      );
      if (id === undefined) return out;
      const p = q.period * 1000;
      const origin = Math.floor(startMs / p) * p;
      const rows = await readRows(stores.metrics, id, q.period, origin, endMs, clock.now());
      const { byStart } = bucketize(rows, q.period, origin, { unit: q.unit });
      for (const t of [...byStart.keys()].sort((a, b) => a - b)) {
        if (t < startMs) continue;
        const agg = byStart.get(t)!.get("")!;
        const v = statValue(agg, s);
        if (v === undefined) continue;
        out.timestamps.push(t);
        out.values.push(v);
        out.sampleCounts.push(agg.count);
      }
      return out;
    },
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
