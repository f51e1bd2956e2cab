/**
 * GetMetricData: MetricStat and metric-math queries (metric-data.ts), newest first unless ScanBy is
 * TimestampAscending, paged by MaxDatapoints (default and maximum 100,800) with NextToken; a result cut by the page
 * answers StatusCode PartialData.
 */
import { awsError } from "../../../../errors/index.js";
import type { Handler } from "../../../types.js";
import { runQueries, type QueryInput } from "../metric-data.js";

interface Input {
  MetricDataQueries: QueryInput[];
  StartTime: Date;
  EndTime: Date;
  NextToken?: string;
  ScanBy?: "TimestampDescending" | "TimestampAscending";
  MaxDatapoints?: number;
}

const MAX_DATAPOINTS = 100_800;

function decodeToken(t: string): number {
  const m = /^v1:(\d{1,12})$/.exec(Buffer.from(t, "base64url").toString("utf8"));
  if (!m) throw awsError("InvalidNextToken", "The service returned an invalid NextToken.");
  return Number(m[1]);
}

export const GetMetricData: Handler = async (input: Input, ctx) => {
  const start = input.StartTime.getTime();
  const end = input.EndTime.getTime();
  const offset = input.NextToken === undefined ? 0 : decodeToken(input.NextToken);
  if (start >= end)
    throw awsError("InvalidParameterValue", "The parameter StartTime must be less than the parameter EndTime.");
  const { results, messages } = await runQueries(
    { store: ctx.stores.metrics, now: ctx.clock.now(), account: ctx.account, region: ctx.region },
    input.MetricDataQueries,
    start,
    end,
  );
  const max = Math.min(input.MaxDatapoints ?? MAX_DATAPOINTS, MAX_DATAPOINTS);
  const descending = (input.ScanBy ?? "TimestampDescending") === "TimestampDescending";
  let skip = offset;
  let room = max;
  let more = false;
  const out = results.map((r) => {
    let ts = r.Timestamps;
    let vs = r.Values;
    if (descending) {
      ts = [...ts].reverse();
      vs = [...vs].reverse();
    }
    const from = Math.min(skip, ts.length);
    skip -= from;
    const take = Math.min(room, ts.length - from);
    room -= take;
    const partial = from + take < ts.length;
    if (partial) more = true;
    return {
      Id: r.Id,
      Label: r.Label,
      Timestamps: ts.slice(from, from + take).map((t) => new Date(t)),
      Values: vs.slice(from, from + take),
      StatusCode: partial ? "PartialData" : r.StatusCode,
      ...(r.Messages ? { Messages: r.Messages } : {}),
    };
  });
  return {
    MetricDataResults: out,
    Messages: messages,
    ...(more ? { NextToken: Buffer.from(`v1:${offset + max}`).toString("base64url") } : {}),
  };
};
