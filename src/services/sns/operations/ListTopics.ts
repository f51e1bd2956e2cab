/** ListTopics: 100 topics per page ("Each call returns a limited list of topics, up to 100"). */
import type { RequestContext } from "../../types.js";
import { decodeToken, encodeToken } from "../pagination.js";

const PAGE = 100;

export async function ListTopics(input: { NextToken?: string }, ctx: RequestContext) {
  const after = decodeToken(input.NextToken);
  const topics = await ctx.stores.sns.listTopics({ account: ctx.account, region: ctx.region }, after, PAGE + 1);
  const page = topics.slice(0, PAGE);
  return {
    Topics: page.map((t) => ({ TopicArn: t.arn })),
    NextToken: topics.length > PAGE ? encodeToken(page[page.length - 1]!.arn) : undefined,
  };
}
