/** UntagResource: removes the named tag keys (absent keys are ignored). */
import type { RequestContext } from "../../types.js";
import { resourceTopic } from "../resource.js";

export async function UntagResource(input: { ResourceArn: string; TagKeys: string[] }, ctx: RequestContext) {
  const topic = await resourceTopic(ctx, input.ResourceArn);
  const tags = { ...topic.tags };
  for (const k of input.TagKeys) delete tags[k];
  await ctx.stores.sns.updateTopic(topic.arn, { tags });
  return {};
}
