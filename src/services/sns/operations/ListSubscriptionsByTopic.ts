/** ListSubscriptionsByTopic: 100 per page; NotFound for a topic that does not exist. */
import type { RequestContext } from "../../types.js";
import { decodeToken, encodeToken } from "../pagination.js";
import { listed } from "../subscription-list.js";
import { topicOf } from "../topics.js";

const PAGE = 100;

export async function ListSubscriptionsByTopic(input: { TopicArn: string; NextToken?: string }, ctx: RequestContext) {
  const topic = await topicOf(ctx, input.TopicArn);
  const subs = await ctx.stores.sns.subscriptionsOfTopic(topic.arn, decodeToken(input.NextToken), PAGE + 1);
  const page = subs.slice(0, PAGE);
  return {
    Subscriptions: page.map(listed),
    NextToken: subs.length > PAGE ? encodeToken(page[page.length - 1]!.arn) : undefined,
  };
}
