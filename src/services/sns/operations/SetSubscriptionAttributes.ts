/** SetSubscriptionAttributes: one attribute, checked as SNS does (recorded messages); an empty value removes it. */
import type { RequestContext } from "../../types.js";
import { subscriptionNotFound } from "../errors.js";
import { checkSubscriptionArn } from "../subscription-arn.js";
import { checkSubscriptionAttribute } from "../subscriptions.js";

export async function SetSubscriptionAttributes(
  input: { SubscriptionArn: string; AttributeName: string; AttributeValue?: string },
  ctx: RequestContext,
) {
  const sub = await ctx.stores.sns.getSubscription(checkSubscriptionArn(input.SubscriptionArn));
  if (!sub || sub.account !== ctx.account || sub.region !== ctx.region) throw subscriptionNotFound();
  const topic = await ctx.stores.sns.getTopic(sub.topicArn);
  const value = input.AttributeValue ?? "";
  const attributes = { ...sub.attributes, [input.AttributeName]: value };
  checkSubscriptionAttribute(input.AttributeName, value, attributes, sub, topic);
  if (value === "" && input.AttributeName !== "RawMessageDelivery") delete attributes[input.AttributeName];
  await ctx.stores.sns.updateSubscription(sub.arn, { attributes });
  return {};
}
