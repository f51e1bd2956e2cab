/** GetSubscriptionAttributes: NotFound "Subscription does not exist" (recorded). */
import type { RequestContext } from "../../types.js";
import { subscriptionNotFound } from "../errors.js";
import { checkSubscriptionArn } from "../subscription-arn.js";
import { subscriptionAttributes } from "../subscriptions.js";

export async function GetSubscriptionAttributes(input: { SubscriptionArn: string }, ctx: RequestContext) {
  const sub = await ctx.stores.sns.getSubscription(checkSubscriptionArn(input.SubscriptionArn));
  if (!sub || sub.account !== ctx.account || sub.region !== ctx.region) throw subscriptionNotFound();
  const topic = await ctx.stores.sns.getTopic(sub.topicArn);
  return { Attributes: subscriptionAttributes(sub, topic) };
}
