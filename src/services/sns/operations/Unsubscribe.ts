/**
 * Unsubscribe: idempotent (an unknown subscription answers success, recorded). Reached also from the UnsubscribeURL
 * of every notification, unsigned: the subscription ARN is the capability, as on AWS, unless the subscription was
 * confirmed with AuthenticateOnUnsubscribe. A signed caller must own the subscription or its topic.
 */
import type { RequestContext } from "../../types.js";
import { authorizationError } from "../errors.js";
import { checkSubscriptionArn } from "../subscription-arn.js";
import { AUTH_ON_UNSUBSCRIBE } from "../subscriptions.js";

export async function Unsubscribe(input: { SubscriptionArn: string }, ctx: RequestContext) {
  const arn = checkSubscriptionArn(input.SubscriptionArn);
  const sub = await ctx.stores.sns.getSubscription(arn);
  if (!sub) return {};
  const anonymous = !ctx.identity.arn;
  const topicOwner = sub.topicArn.split(":")[4];
  const allowed = anonymous
    ? sub.attributes[AUTH_ON_UNSUBSCRIBE] !== "true"
    : ctx.account === sub.owner || ctx.account === topicOwner;
  if (!allowed)
    throw authorizationError(
      `User: ${ctx.identity.arn || "anonymous"} is not authorized to perform: SNS:Unsubscribe on resource: ${arn}`,
    );
  await ctx.stores.sns.deleteSubscription(arn);
  return {};
}
