/** PutMetricData: every datum form (Value, Values + Counts, StatisticValues), checked whole, stored in one commit. */
import type { Handler } from "../../../types.js";
import type { MetricDatumInput } from "../../../internal.js";
import { ingestMetricData } from "../ingest.js";

export const PutMetricData: Handler = async (input: { Namespace: string; MetricData?: MetricDatumInput[] }, ctx) => {
  await ingestMetricData(ctx.stores, ctx.clock.now(), ctx.account, ctx.region, input.Namespace, input.MetricData);
  return {};
};
