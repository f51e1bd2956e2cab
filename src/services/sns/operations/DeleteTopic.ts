/** DeleteTopic: deletes the topic and its subscriptions; a topic that does not exist answers NotFound. */
import type { RequestContext } from "../../types.js";
import { topicOf } from "../topics.js";

export async function DeleteTopic(input: { TopicArn: string }, ctx: RequestContext) {
  const topic = await topicOf(ctx, input.TopicArn);
  await ctx.stores.sns.deleteTopic(topic.arn);
  return {};
}
