/** SetTopicAttributes: one attribute; FifoTopic cannot change ("Invalid parameter: AttributeName", recorded). */
import type { RequestContext } from "../../types.js";
import { checkTopicAttribute, topicOf } from "../topics.js";

export async function SetTopicAttributes(
  input: { TopicArn: string; AttributeName: string; AttributeValue?: string },
  ctx: RequestContext,
) {
  const topic = await topicOf(ctx, input.TopicArn);
  const value = input.AttributeValue ?? "";
  checkTopicAttribute(input.AttributeName, value, topic.fifo);
  const attributes = { ...topic.attributes };
  // An empty Policy or DeliveryPolicy restores the default.
  if (value === "" && (input.AttributeName === "Policy" || input.AttributeName === "DeliveryPolicy"))
    delete attributes[input.AttributeName];
  else attributes[input.AttributeName] = value;
  await ctx.stores.sns.updateTopic(topic.arn, { attributes });
  return {};
}
