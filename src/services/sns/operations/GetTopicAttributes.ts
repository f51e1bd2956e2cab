/** GetTopicAttributes: the settable attributes plus Owner, Policy, counts and EffectiveDeliveryPolicy. */
import type { RequestContext } from "../../types.js";
import { topicAttributes, topicOf } from "../topics.js";

export async function GetTopicAttributes(input: { TopicArn: string }, ctx: RequestContext) {
  const topic = await topicOf(ctx, input.TopicArn);
  const subs = await ctx.stores.sns.subscriptionsOfTopic(topic.arn);
  return { Attributes: topicAttributes(topic, subs) };
}
