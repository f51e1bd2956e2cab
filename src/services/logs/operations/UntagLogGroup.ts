/**
 * UntagLogGroup (deprecated for UntagResource): removes tags, by key, from a log group named by its name.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_UntagLogGroup.html
 */
import type { Handler } from "../../types.js";
import { groupNotFound } from "../errors.js";
import { withoutKeys } from "../tags.js";

export const UntagLogGroup: Handler = async (input: { logGroupName: string; tags: string[] }, ctx) => {
  const updated = await ctx.stores.logs.updateGroup(ctx, input.logGroupName, (g) => ({
    tags: withoutKeys(g.tags, input.tags),
  }));
  if (!updated) throw groupNotFound();
  return {};
};
