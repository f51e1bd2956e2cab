/**
 * TagLogGroup (deprecated for TagResource): adds or replaces tags of a log group named by its name.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TagLogGroup.html
 * Its model has no TooManyTagsException, so more than 50 tags is an InvalidParameterException here.
 */
import type { Handler } from "../../types.js";
import { groupNotFound, invalidParameter } from "../errors.js";
import { checkTagKeys, mergeTags } from "../tags.js";

export const TagLogGroup: Handler = async (input: { logGroupName: string; tags: Record<string, string> }, ctx) => {
  checkTagKeys(Object.keys(input.tags));
  const updated = await ctx.stores.logs.updateGroup(ctx, input.logGroupName, (g) => ({
    tags: mergeTags(g.tags, input.tags, () => invalidParameter("A resource can have no more than 50 tags.")),
  }));
  if (!updated) throw groupNotFound();
  return {};
};
