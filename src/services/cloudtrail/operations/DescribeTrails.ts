/**
 * DescribeTrails: the trails of the caller's region plus (includeShadowTrails, default true) the shadows of the
 * account's multi-region trails homed elsewhere, which keep their home-region ARN. Names match this region's trails
 * only; ARNs match any (spec §9.2). Unknown names are left out, not errors.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html
 */
import type { Handler } from "../../types.js";
import { describe, parseConfig, resolveArn } from "../trail.js";

export const DescribeTrails: Handler = async (
  input: { trailNameList?: string[]; includeShadowTrails?: boolean },
  ctx,
) => {
  const shadows = input.includeShadowTrails ?? true;
  const all = (await ctx.stores.trails.listAccount(ctx.account)).map(parseConfig);
  const visible = all.filter((t) => t.region === ctx.region || (shadows && t.multiRegion));
  let list = visible;
  if (input.trailNameList?.length) {
    const wanted = new Set(input.trailNameList.map((n) => resolveArn(n, ctx)));
    const byName = new Set(input.trailNameList.filter((n) => !n.startsWith("arn:")));
    list = visible.filter((t) => wanted.has(t.arn) || (byName.has(t.name) && t.multiRegion && shadows));
  }
  return { trailList: list.map(describe) };
};
