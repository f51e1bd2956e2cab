/** PutMetricData: every datum form (Value, Values + Counts, StatisticValues), checked whole, stored in one commit. */
import type { Handler } from "../../../types.js";
import type { MetricDatumInput } from "../../../internal.js";
import { ingestMetricData } from "../ingest.js";

interface WireDatum extends Omit<MetricDatumInput, "Timestamp"> {
  Timestamp?: Date;
}

export const PutMetricData: Handler = async (input: { Namespace: string; MetricData?: WireDatum[] }, ctx) => {
  const data = input.MetricData?.map((d) => ({ ...d, Timestamp: d.Timestamp?.getTime() }));
  await ingestMetricData(ctx.stores, ctx.clock.now(), ctx.account, ctx.region, input.Namespace, data);
  return {};
};
