/** ListSubscriptions: 100 per page. */
import type { RequestContext } from "../../types.js";
import { decodeToken, encodeToken } from "../pagination.js";
import { listed } from "../subscription-list.js";

const PAGE = 100;

export async function ListSubscriptions(input: { NextToken?: string }, ctx: RequestContext) {
  const after = decodeToken(input.NextToken);
  const subs = await ctx.stores.sns.listSubscriptions({ account: ctx.account, region: ctx.region }, after, PAGE + 1);
  const page = subs.slice(0, PAGE);
  return {
    Subscriptions: page.map(listed),
    NextToken: subs.length > PAGE ? encodeToken(page[page.length - 1]!.arn) : undefined,
  };
}
