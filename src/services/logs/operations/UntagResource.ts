/**
 * UntagResource: removes tags (keys the resource does not have are ignored) from a log group named by its bare ARN.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_UntagResource.html
 */
import type { Handler } from "../../types.js";
import { groupNotFound } from "../errors.js";
import { taggedGroupName, withoutKeys } from "../tags.js";

export const UntagResource: Handler = async (input: { resourceArn: string; tagKeys: string[] }, ctx) => {
  const name = taggedGroupName(ctx, input.resourceArn);
  const updated = await ctx.stores.logs.updateGroup(ctx, name, (g) => ({ tags: withoutKeys(g.tags, input.tagKeys) }));
  if (!updated) throw groupNotFound();
  return {};
};
