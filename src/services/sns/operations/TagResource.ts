/** TagResource: adds or overwrites topic tags, at most 50 in all. */
import { awsError } from "../../../errors/index.js";
import type { RequestContext } from "../../types.js";
import { resourceTopic } from "../resource.js";
import { checkTags, MAX_TAGS, tagMap } from "../tags.js";

export async function TagResource(
  input: { ResourceArn: string; Tags: { Key: string; Value: string }[] },
  ctx: RequestContext,
) {
  const topic = await resourceTopic(ctx, input.ResourceArn);
  checkTags(input.Tags);
  const tags = { ...topic.tags, ...tagMap(input.Tags) };
  if (Object.keys(tags).length > MAX_TAGS)
    throw awsError("TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded");
  await ctx.stores.sns.updateTopic(topic.arn, { tags });
  return {};
}
