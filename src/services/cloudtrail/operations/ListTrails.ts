/**
 * ListTrails: every trail of the account visible from this region (its own and multi-region shadows), with a
 * NextToken after 50.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListTrails.html
 */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";

const PAGE = 50;

export const ListTrails: Handler = async (input: { NextToken?: string }, ctx) => {
  const all = (await ctx.stores.trails.listAccount(ctx.account)).filter(
    (t) => t.region === ctx.region || t.multiRegion,
  );
  let start = 0;
  if (input.NextToken !== undefined) {
    start = Number(Buffer.from(input.NextToken, "base64url").toString());
    if (!Number.isInteger(start) || start < 0) throw awsError("InvalidTokenException", "Invalid token.");
  }
  const page = all.slice(start, start + PAGE);
  return {
    Trails: page.map((t) => ({ TrailARN: t.arn, Name: t.name, HomeRegion: t.region })),
    NextToken: start + PAGE < all.length ? Buffer.from(String(start + PAGE)).toString("base64url") : undefined,
  };
};
