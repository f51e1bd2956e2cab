/** DescribeReplay. */
import type { Handler } from "../../types.js";
import { replayArn, replayView, requireReplay } from "../archives/resources.js";
import { busArn } from "../resources.js";

export const DescribeReplay: Handler = async (input, ctx) => {
  const r = await requireReplay(ctx.stores, ctx, input.ReplayName);
  return {
    ...replayView(ctx, r),
    ReplayArn: replayArn(ctx, r.name),
    Description: r.description,
    Destination: { Arn: busArn(ctx, r.bus), ...(r.filterArns ? { FilterArns: r.filterArns } : {}) },
  };
};
