/**
 * GetMetricStatistics: one metric's statistics per period, a datapoint per period and unit. The rules of the API
 * reference: StartTime before EndTime; Statistics or ExtendedStatistics (p0.0-p100 and the other extended
 * statistics), not both; at most 1,440 datapoints; Period by the age of StartTime (within 3 hours 1, 5, 10, 20, 30, 60 or
 * a multiple of 60; then multiples of 60 up to 15 days, of 300 up to 63 days, of 3600 beyond, else no datapoints) and
 * StartTime rounded down to the minute, 5 minutes or hour by the same ages.
 */
import { awsError } from "../../../../errors/index.js";
import type { Handler } from "../../../types.js";
import { canonicalDims, type Dimension } from "../datums.js";
import { bucketize, readRows } from "../read.js";
import { parseStat, statValue, type StatSpec } from "../stats.js";
import { checkPeriod, roundStart, periodAllowedAt } from "../periods.js";

interface Input {
  Namespace: string;
  MetricName: string;
  Dimensions?: Dimension[];
  StartTime: Date;
  EndTime: Date;
  Period: number;
  Statistics?: string[];
  ExtendedStatistics?: string[];
  Unit?: string;
}

export const MAX_DATAPOINTS = 1440;

export const GetMetricStatistics: Handler = async (input: Input, ctx) => {
  const now = ctx.clock.now();
  const start = input.StartTime.getTime();
  const end = input.EndTime.getTime();
  const stats = input.Statistics ?? [];
  const ext = input.ExtendedStatistics ?? [];
  if (stats.length > 0 && ext.length > 0)
    throw awsError(
      "InvalidParameterCombination",
      "The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both.",
    );
  if (stats.length === 0 && ext.length === 0)
    throw awsError("MissingParameter", "Must specify either Statistics or ExtendedStatistics.");
  const extSpecs: [string, StatSpec][] = ext.map((name) => {
    const spec = parseStat(name);
    if (!spec || spec.kind === "basic")
      throw awsError("InvalidParameterValue", `The value ${name} for parameter ExtendedStatistics is not supported.`);
    return [name, spec];
  });
  checkPeriod(input.Period, "Period");
  if (start >= end)
    throw awsError("InvalidParameterValue", "The parameter StartTime must be less than the parameter EndTime.");
  const requested = Math.ceil((end - start) / (input.Period * 1000));
  if (requested > MAX_DATAPOINTS)
    throw awsError(
      "InvalidParameterCombination",
      `You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_DATAPOINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  const out = { Label: input.MetricName, Datapoints: [] as Record<string, unknown>[] };
  if (!periodAllowedAt(input.Period, start, now)) return out;
  const { key } = canonicalDims(input.Dimensions);
  const id = await ctx.stores.metrics.seriesId(ctx.account, ctx.region, input.Namespace, input.MetricName, key);
  if (id === undefined) return out;
  const origin = roundStart(start, input.Period, now);
  const rows = await readRows(ctx.stores.metrics, id, input.Period, origin, end, now);
  const { byStart } = bucketize(rows, input.Period, origin, { unit: input.Unit, perUnit: true });
  const basic = stats.map((s) => [s, parseStat(s)!] as const);
  for (const b of [...byStart.keys()].sort((x, y) => x - y)) {
    for (const [unit, agg] of byStart.get(b)!) {
      const dp: Record<string, unknown> = { Timestamp: new Date(b) };
      for (const [name, spec] of basic) dp[name] = statValue(agg, spec);
      if (extSpecs.length) {
        const values: Record<string, number> = {};
        for (const [name, spec] of extSpecs) {
          const v = statValue(agg, spec);
          if (v !== undefined) values[name] = v;
        }
        dp.ExtendedStatistics = values;
      }
      dp.Unit = unit;
      out.Datapoints.push(dp);
    }
  }
  return out;
};
