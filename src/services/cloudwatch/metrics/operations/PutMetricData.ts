/**
 * PutMetricData: every datum form (Value, Values + Counts, StatisticValues), checked whole, stored in one commit.
 * The datums of EntityMetricData count with MetricData (1,000 in all) and are stored the same way; Vigil keeps no
 * entities (CloudWatch's related-telemetry view), so an entity is neither validated nor associated, which is what AWS
 * does with an invalid entity when StrictEntityValidation is false.
 */
import { awsError } from "../../../../errors/index.js";
import type { Handler } from "../../../types.js";
import type { MetricDatumInput } from "../../../internal.js";
import { ingestMetricData } from "../ingest.js";

/** "Each PutMetricData request is limited to 1 MB in size for HTTP POST requests" (API reference), as sent. */
export const MAX_REQUEST_BYTES = 1_048_576;

interface Input {
  Namespace: string;
  MetricData?: MetricDatumInput[];
  EntityMetricData?: { Entity?: unknown; MetricData?: MetricDatumInput[] }[];
}

export const PutMetricData: Handler = async (input: Input, ctx) => {
  if (ctx.requestBytes > MAX_REQUEST_BYTES)
    // Assumption (no recording): the gateway's wording of a body over its limit, with the HTTP status 413.
    throw awsError(
      "RequestEntityTooLarge",
      `Request size ${ctx.requestBytes} bytes exceeds the limit of ${MAX_REQUEST_BYTES} bytes.`,
      413,
    );
  let data = input.MetricData;
  let pathOf: ((i: number) => string) | undefined;
  if (input.EntityMetricData?.length) {
    const paths: string[] = (input.MetricData ?? []).map((_, i) => `MetricData.member.${i + 1}`);
    data = [...(input.MetricData ?? [])];
    input.EntityMetricData.forEach((e, j) =>
      (e.MetricData ?? []).forEach((d, i) => {
        data!.push(d);
        paths.push(`EntityMetricData.member.${j + 1}.MetricData.member.${i + 1}`);
      }),
    );
    pathOf = (i) => paths[i];
  }
  await ingestMetricData(ctx.stores, ctx.clock.now(), ctx.account, ctx.region, input.Namespace, data, false, pathOf);
  return {};
};
