/**
 * ListTagsForResource: the tags of a log group named by its bare ARN (`{}` when it has none).
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_ListTagsForResource.html
 */
import type { Handler } from "../../types.js";
import { groupNotFound } from "../errors.js";
import { taggedGroupName } from "../tags.js";

export const ListTagsForResource: Handler = async (input: { resourceArn: string }, ctx) => {
  const group = await ctx.stores.logs.group(ctx, taggedGroupName(ctx, input.resourceArn));
  if (!group) throw groupNotFound();
  return { tags: group.tags };
};
