/** DeleteMetricFilter. https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteMetricFilter.html */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { groupNotFound } from "../errors.js";

export const DeleteMetricFilter: Handler = async (input: { logGroupName: string; filterName: string }, ctx) => {
  const group = await ctx.stores.logs.group(ctx, input.logGroupName);
  if (!group) throw groupNotFound();
  const deleted = await ctx.stores.metrics.deleteMetricFilter(
    ctx.account,
    ctx.region,
    input.logGroupName,
    input.filterName,
  );
  // Assumption (no recording): AWS's wording for a filter that does not exist.
  if (!deleted) throw awsError("ResourceNotFoundException", "The specified metric filter does not exist.");
  return {};
};
