/**
 * DescribeMetricFilters: "ASCII-sorted by filter name", filtered by log group, filter name prefix, and metric name
 * with namespace; pages of `limit` (default 50).
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeMetricFilters.html
 */
import type { Handler } from "../../types.js";
import { groupNotFound, invalidParameter } from "../errors.js";
import type { MetricTransformation } from "../metric-filters.js";
import { decodePageToken, encodePageToken } from "../pagination.js";

interface Input {
  logGroupName?: string;
  filterNamePrefix?: string;
  nextToken?: string;
  limit?: number;
  metricName?: string;
  metricNamespace?: string;
}

const isOffset = (c: unknown): c is number => typeof c === "number" && Number.isInteger(c) && c >= 0;

export const DescribeMetricFilters: Handler = async (input: Input, ctx) => {
  // Assumption (no recording): AWS's wording when only one of the two is given.
  if ((input.metricName === undefined) !== (input.metricNamespace === undefined))
    throw invalidParameter("metricName and metricNamespace must be specified together.");
  if (input.logGroupName !== undefined && !(await ctx.stores.logs.group(ctx, input.logGroupName)))
    throw groupNotFound();
  const binding = [
    ctx.account,
    ctx.region,
    "DescribeMetricFilters",
    input.logGroupName,
    input.filterNamePrefix,
    input.metricName,
    input.metricNamespace,
  ];
  const offset = input.nextToken === undefined ? 0 : decodePageToken(input.nextToken, binding, isOffset);
  const limit = input.limit ?? 50;
  const rows = (await ctx.stores.metrics.metricFilters(ctx.account, ctx.region, input.logGroupName))
    .map((f) => ({ f, t: JSON.parse(f.transformations) as MetricTransformation[] }))
    .filter(({ f }) => input.filterNamePrefix === undefined || f.filterName.startsWith(input.filterNamePrefix))
    .filter(
      ({ t }) =>
        input.metricName === undefined ||
        t.some((x) => x.metricName === input.metricName && x.metricNamespace === input.metricNamespace),
    )
    .sort((a, b) =>
      a.f.filterName < b.f.filterName
        ? -1
        : a.f.filterName > b.f.filterName
          ? 1
          : a.f.logGroupName < b.f.logGroupName
            ? -1
            : 1,
    );
  const page = rows.slice(offset, offset + limit);
  return {
    metricFilters: page.map(({ f, t }) => ({
      filterName: f.filterName,
      filterPattern: f.filterPattern,
      metricTransformations: t,
      creationTime: f.createdAt,
      logGroupName: f.logGroupName,
      applyOnTransformedLogs: f.applyOnTransformed,
    })),
    ...(offset + limit < rows.length ? { nextToken: encodePageToken(binding, offset + limit) } : {}),
  };
};
