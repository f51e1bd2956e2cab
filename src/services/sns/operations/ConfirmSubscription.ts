/** ConfirmSubscription: the token SNS sent an HTTP/S or email endpoint confirms its pending subscription. */
import type { RequestContext } from "../../types.js";
import { invalidParameter, invalidParameterRaw } from "../errors.js";
import { AUTH_ON_UNSUBSCRIBE } from "../subscriptions.js";

export async function ConfirmSubscription(
  input: { TopicArn: string; Token: string; AuthenticateOnUnsubscribe?: string },
  ctx: RequestContext,
) {
  const parts = input.TopicArn.split(":");
  if (parts.length !== 6 || parts[0] !== "arn" || parts[2] !== "sns") throw invalidParameter("Topic");
  // Tokens are hex (SNS answers "Invalid token" for one that cannot be a token at all).
  if (!/^[0-9a-f]+$/i.test(input.Token)) throw invalidParameterRaw("Invalid token");
  const topic = await ctx.stores.sns.getTopic(input.TopicArn);
  if (!topic || topic.region !== ctx.region) throw invalidParameter("Token");
  const sub = (await ctx.stores.sns.subscriptionsOfTopic(topic.arn)).find((s) => s.token === input.Token);
  if (!sub) throw invalidParameter("Token");
  if (!sub.confirmed) {
    await ctx.stores.sns.updateSubscription(sub.arn, { confirmed: true, token: sub.token });
    // "AuthenticateOnUnsubscribe: true" disallows unauthenticated unsubscribes (kept out of the visible attributes).
    if (input.AuthenticateOnUnsubscribe?.toLowerCase() === "true")
      await ctx.stores.sns.updateSubscription(sub.arn, {
        attributes: { ...sub.attributes, [AUTH_ON_UNSUBSCRIBE]: "true" },
      });
  }
  return { SubscriptionArn: sub.arn };
}
