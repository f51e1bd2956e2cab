/**
 * ListTagsLogGroup (deprecated for ListTagsForResource): the tags of a log group named by its name.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_ListTagsLogGroup.html
 */
import type { Handler } from "../../types.js";
import { groupNotFound } from "../errors.js";

export const ListTagsLogGroup: Handler = async (input: { logGroupName: string }, ctx) => {
  const group = await ctx.stores.logs.group(ctx, input.logGroupName);
  if (!group) throw groupNotFound();
  return { tags: group.tags };
};
