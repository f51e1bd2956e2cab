/** ListTagsForResource: a topic's tags. */
import type { RequestContext } from "../../types.js";
import { resourceTopic } from "../resource.js";
import { tagList } from "../tags.js";

export async function ListTagsForResource(input: { ResourceArn: string }, ctx: RequestContext) {
  const topic = await resourceTopic(ctx, input.ResourceArn);
  return { Tags: tagList(topic.tags) };
}
