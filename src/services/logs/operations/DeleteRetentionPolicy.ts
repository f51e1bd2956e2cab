/**
 * DeleteRetentionPolicy: the group's events never expire again.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteRetentionPolicy.html
 */
import type { Handler } from "../../types.js";
import { groupNotFound } from "../errors.js";

export const DeleteRetentionPolicy: Handler = async (input: { logGroupName: string }, ctx) => {
  const updated = await ctx.stores.logs.updateGroup(ctx, input.logGroupName, () => ({ retentionInDays: null }));
  if (!updated) throw groupNotFound();
  return {};
};
