/**
 * Subscribe: sqs subscriptions are confirmed at once; http/https and email/email-json wait for ConfirmSubscription
 * with the token SNS sends them ("pending confirmation" unless ReturnSubscriptionArn). The same topic, protocol and
 * endpoint return the existing subscription, or fail when the attributes differ (recorded).
 */
import type { RequestContext } from "../../types.js";
import { invalidParameter } from "../errors.js";
import { snsState } from "../state.js";
import {
  checkProtocolEndpoint,
  checkSubscriptionAttribute,
  newSubscriptionArn,
  newToken,
  sendConfirmation,
} from "../subscriptions.js";
import { topicOf } from "../topics.js";

interface Input {
  TopicArn: string;
  Protocol: string;
  Endpoint?: string;
  Attributes?: Record<string, string>;
  ReturnSubscriptionArn?: boolean;
}

export async function Subscribe(input: Input, ctx: RequestContext) {
  const topic = await topicOf(ctx, input.TopicArn);
  const protocol = input.Protocol.toLowerCase();
  const endpoint = checkProtocolEndpoint(topic, protocol, input.Endpoint);
  const attributes = { ...(input.Attributes ?? {}) };
  for (const [k, v] of Object.entries(attributes))
    checkSubscriptionAttribute(k, v, attributes, { protocol, endpoint }, topic, "Attributes Reason: ");
  if (attributes.RawMessageDelivery === "true" && protocol.startsWith("email"))
    throw invalidParameter("Attributes Reason: RawMessageDelivery: Invalid value [true]. Must be false.");

  const existing = (await ctx.stores.sns.subscriptionsOfTopic(topic.arn)).find(
    (s) => s.protocol === protocol && s.endpoint === endpoint,
  );
  if (existing) {
    for (const [k, v] of Object.entries(attributes))
      if ((existing.attributes[k] ?? (k === "RawMessageDelivery" ? "false" : "")) !== v)
        throw invalidParameter("Attributes Reason: Subscription already exists with different attributes");
    return {
      SubscriptionArn: existing.confirmed || input.ReturnSubscriptionArn ? existing.arn : "pending confirmation",
    };
  }
  const confirmed = protocol === "sqs";
  const sub = {
    arn: newSubscriptionArn(topic.arn),
    account: ctx.account,
    region: ctx.region,
    topicArn: topic.arn,
    protocol,
    endpoint,
    owner: ctx.account,
    confirmed,
    token: confirmed ? null : newToken(),
    attributes,
    createdAt: ctx.clock.now(),
  };
  await ctx.stores.sns.createSubscription(sub);
  if (!confirmed) await sendConfirmation(snsState(ctx.stores), topic, sub, ctx.endpoint);
  return { SubscriptionArn: confirmed || input.ReturnSubscriptionArn ? sub.arn : "pending confirmation" };
}
