/** Publish: checks the message, fans it out to the topic's confirmed subscriptions, acknowledges after commit. */
import type { RequestContext } from "../../types.js";
import { checkPublish, publishChecked, type PublishInput } from "../publish.js";
import { publishTopic } from "../publish-target.js";
import { snsState } from "../state.js";

export async function Publish(
  input: PublishInput & { TopicArn?: string; TargetArn?: string; PhoneNumber?: string },
  ctx: RequestContext,
) {
  const topic = await publishTopic(ctx, input);
  const checked = checkPublish(topic, input);
  const { messageId, sequenceNumber } = await publishChecked(snsState(ctx.stores), topic, checked, ctx.endpoint);
  return { MessageId: messageId, SequenceNumber: sequenceNumber };
}
