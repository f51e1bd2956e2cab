/**
 * TagResource: adds or replaces tags of a log group named by its bare ARN; at most 50 tags per resource.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TagResource.html
 */
import type { Handler } from "../../types.js";
import { groupNotFound } from "../errors.js";
import { checkTagKeys, mergeTags, taggedGroupName, tooManyTags } from "../tags.js";

export const TagResource: Handler = async (input: { resourceArn: string; tags: Record<string, string> }, ctx) => {
  const name = taggedGroupName(ctx, input.resourceArn);
  checkTagKeys(Object.keys(input.tags));
  const updated = await ctx.stores.logs.updateGroup(ctx, name, (g) => ({
    tags: mergeTags(g.tags, input.tags, () => tooManyTags(input.resourceArn)),
  }));
  if (!updated) throw groupNotFound();
  return {};
};
