/**
 * PutAnomalyDetector / DescribeAnomalyDetectors / DeleteAnomalyDetector: detectors on one metric and statistic
 * (SingleMetricAnomalyDetector, or the legacy top-level Namespace / MetricName / Dimensions / Stat) or on a metric
 * math expression (MetricMathAnomalyDetector). The band they stand for is computed by metrics/anomaly.ts.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutAnomalyDetector.html
 */
import { awsError } from "../../../../errors/index.js";
import type { Dimension } from "../../engine-api.js";
import type { Handler, RequestContext } from "../../../types.js";
import { decodeToken, encodeToken } from "./common.js";

interface Single {
  AccountId?: string;
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Dimension[];
  Stat?: string;
}

interface Input extends Single {
  Configuration?: { ExcludedTimeRanges?: unknown[]; MetricTimezone?: string };
  MetricCharacteristics?: { PeriodicSpikes?: boolean };
  SingleMetricAnomalyDetector?: Single;
  MetricMathAnomalyDetector?: { MetricDataQueries?: Record<string, unknown>[] };
}

function detectorOf(input: Input, ctx: RequestContext) {
  const legacy = input.Namespace !== undefined || input.MetricName !== undefined || input.Stat !== undefined;
  const kinds =
    (legacy ? 1 : 0) + (input.SingleMetricAnomalyDetector ? 1 : 0) + (input.MetricMathAnomalyDetector ? 1 : 0);
  if (kinds > 1)
    throw awsError(
      "InvalidParameterCombination",
      "Only one of SingleMetricAnomalyDetector, MetricMathAnomalyDetector or the metric parameters may be specified.",
    ); // assumed wording
  if (input.MetricMathAnomalyDetector) {
    const queries = input.MetricMathAnomalyDetector.MetricDataQueries ?? [];
    if (queries.length === 0) throw awsError("MissingParameter", "MetricDataQueries is required."); // assumed
    return {
      key: `math:${JSON.stringify(queries)}`,
      detector: { MetricMathAnomalyDetector: { MetricDataQueries: queries } },
    };
  }
  const s: Single = input.SingleMetricAnomalyDetector ?? input;
  for (const [k, v] of [
    ["Namespace", s.Namespace],
    ["MetricName", s.MetricName],
    ["Stat", s.Stat],
  ] as const)
    if (v === undefined) throw awsError("MissingParameter", `The parameter ${k} is required.`); // assumed wording
  if (!/^(SampleCount|Average|Sum|Minimum|Maximum|p\d{1,2}(\.\d+)?|tm\d{1,2}|IQR)$/.test(s.Stat!))
    throw awsError("InvalidParameterValue", `The value ${s.Stat} for parameter Stat is not supported.`); // assumed
  const dims = s.Dimensions ?? [];
  const dimKey = JSON.stringify(dims.map((d) => [d.Name, d.Value]).sort());
  const single = {
    AccountId: s.AccountId ?? ctx.account,
    Namespace: s.Namespace,
    MetricName: s.MetricName,
    Dimensions: dims,
    Stat: s.Stat,
  };
  return {
    key: `single:${JSON.stringify([s.Namespace, s.MetricName, dimKey, s.Stat])}`,
    detector: {
      Namespace: s.Namespace,
      MetricName: s.MetricName,
      Dimensions: dims,
      Stat: s.Stat,
      SingleMetricAnomalyDetector: single,
    },
  };
}

export const PutAnomalyDetector: Handler = async (input: Input, ctx) => {
  const { key, detector } = detectorOf(input, ctx);
  await ctx.stores.alarms.putDetector({
    account: ctx.account,
    region: ctx.region,
    key,
    detector: JSON.stringify({
      ...detector,
      Configuration: {
        ExcludedTimeRanges: input.Configuration?.ExcludedTimeRanges ?? [],
        ...(input.Configuration?.MetricTimezone ? { MetricTimezone: input.Configuration.MetricTimezone } : {}),
      },
      ...(input.MetricCharacteristics ? { MetricCharacteristics: input.MetricCharacteristics } : {}),
      StateValue: "PENDING_TRAINING",
    }),
    createdAt: ctx.clock.now(),
  });
  return {};
};

export const DeleteAnomalyDetector: Handler = async (input: Input, ctx) => {
  const { key } = detectorOf(input, ctx);
  if (!(await ctx.stores.alarms.deleteDetector(ctx.account, ctx.region, key)))
    throw awsError("ResourceNotFoundException", "This anomaly detection model does not exist", 404); // assumed wording
  return {};
};

interface DescribeInput {
  NextToken?: string;
  MaxResults?: number;
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Dimension[];
  AnomalyDetectorTypes?: ("SINGLE_METRIC" | "METRIC_MATH")[];
}

export const DescribeAnomalyDetectors: Handler = async (input: DescribeInput, ctx) => {
  const rows = await ctx.stores.alarms.listDetectors(ctx.account, ctx.region);
  const types = new Set(
    input.AnomalyDetectorTypes?.length ? input.AnomalyDetectorTypes : ["SINGLE_METRIC", "METRIC_MATH"],
  );
  const wanted = (d: Record<string, unknown>) => {
    const math = d.MetricMathAnomalyDetector !== undefined;
    if (!types.has(math ? "METRIC_MATH" : "SINGLE_METRIC")) return false;
    if (math) return input.Namespace === undefined && input.MetricName === undefined && input.Dimensions === undefined;
    if (input.Namespace !== undefined && d.Namespace !== input.Namespace) return false;
    if (input.MetricName !== undefined && d.MetricName !== input.MetricName) return false;
    if (input.Dimensions !== undefined) {
      const have = d.Dimensions as Dimension[];
      if (!input.Dimensions.every((x) => have.some((y) => y.Name === x.Name && y.Value === x.Value))) return false;
    }
    return true;
  };
  let list = rows
    .map((r) => ({ key: r.key, d: JSON.parse(r.detector) as Record<string, unknown> }))
    .filter((x) => wanted(x.d));
  if (input.NextToken) {
    const after = decodeToken(input.NextToken);
    const i = list.findIndex((x) => x.key === after);
    list = i >= 0 ? list.slice(i + 1) : [];
  }
  const limit = input.MaxResults ?? 100;
  const page = list.slice(0, limit);
  return {
    AnomalyDetectors: page.map((x) => x.d),
    NextToken: list.length > limit ? encodeToken(page[page.length - 1].key) : undefined,
  };
};
