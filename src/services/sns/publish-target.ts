/**
 * The topic a Publish names (TopicArn or TargetArn), the caller's own or another account's when its topic policy
 * allows the caller to publish.
 */
import type { TopicRecord } from "../../storage/sns-store.js";
import type { RequestContext } from "../types.js";
import { mayPublish, publishDenied } from "./access.js";
import { checkArn, invalidParameter, topicNotFound } from "./errors.js";

export async function publishTopic(
  ctx: RequestContext,
  input: { TopicArn?: string; TargetArn?: string; PhoneNumber?: string },
): Promise<TopicRecord> {
  if (input.PhoneNumber !== undefined && input.TopicArn === undefined && input.TargetArn === undefined)
    throw invalidParameter("PhoneNumber Reason: Vigil does not send SMS");
  const param = input.TopicArn !== undefined ? "TopicArn" : "TargetArn";
  const arn = input.TopicArn ?? input.TargetArn;
  if (arn === undefined) throw invalidParameter("TopicArn or TargetArn Reason: no value for required parameter");
  const parts = checkArn(param, arn);
  if (parts[2] !== "sns" || parts.length !== 6) {
    if (param === "TargetArn")
      throw invalidParameter("TargetArn Reason: No endpoint found for the target arn specified");
    throw invalidParameter("TopicArn");
  }
  if (parts[3] !== ctx.region) throw topicNotFound();
  const topic = await ctx.stores.sns.getTopic(arn);
  if (!topic) throw topicNotFound();
  if (topic.account !== ctx.account) {
    const publisher = { account: ctx.account, principalArn: ctx.identity.arn };
    if (!mayPublish(topic, publisher)) throw publishDenied(topic, publisher);
  }
  return topic;
}
