/**
 * PutMetricFilter: creates or replaces a metric filter of a log group (at most 100 per group), its pattern compiled
 * as AWS does ("Invalid metric filter pattern") and its one transformation checked (metric-filters.ts).
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html
 */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { groupNotFound } from "../errors.js";
import {
  checkTransformation,
  compileMetricFilterPattern,
  MAX_FILTERS_PER_GROUP,
  type MetricTransformation,
} from "../metric-filters.js";

interface Input {
  logGroupName: string;
  filterName: string;
  filterPattern: string;
  metricTransformations: MetricTransformation[];
  applyOnTransformedLogs?: boolean;
}

export const PutMetricFilter: Handler = async (input: Input, ctx) => {
  const group = await ctx.stores.logs.group(ctx, input.logGroupName);
  if (!group) throw groupNotFound();
  compileMetricFilterPattern(input.filterPattern);
  for (const t of input.metricTransformations) checkTransformation(input.filterPattern, t);
  const existing = await ctx.stores.metrics.metricFilters(ctx.account, ctx.region, input.logGroupName);
  const replacing = existing.find((f) => f.filterName === input.filterName);
  if (!replacing && existing.length >= MAX_FILTERS_PER_GROUP)
    throw awsError("LimitExceededException", "Resource limit exceeded.");
  const transformations = input.metricTransformations.map((t) => ({
    metricName: t.metricName,
    metricNamespace: t.metricNamespace,
    metricValue: t.metricValue,
    ...(t.defaultValue !== undefined ? { defaultValue: t.defaultValue } : {}),
    ...(t.dimensions && Object.keys(t.dimensions).length ? { dimensions: t.dimensions } : {}),
    ...(t.unit !== undefined ? { unit: t.unit } : {}),
  }));
  await ctx.stores.metrics.putMetricFilter(group.id, {
    account: ctx.account,
    region: ctx.region,
    logGroupName: input.logGroupName,
    filterName: input.filterName,
    filterPattern: input.filterPattern,
    transformations: JSON.stringify(transformations),
    applyOnTransformed: input.applyOnTransformedLogs ?? false,
    createdAt: replacing?.createdAt ?? ctx.clock.now(),
  });
  return {};
};
