/**
 * DeleteTrail: from the home region. Records already captured while it logged are delivered first (a final
 * delivery), then the trail and its delivery state go.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DeleteTrail.html
 */
import type { Handler } from "../../types.js";
import { serverFor } from "../state.js";
import { findTrail } from "../trail.js";

export const DeleteTrail: Handler = async (input: { Name: string }, ctx) => {
  const t = await findTrail(input.Name, ctx, true);
  await serverFor(ctx.stores)
    .flush(t.arn)
    .catch((err: unknown) => ctx.log.warn({ err, trail: t.arn }, "final delivery before DeleteTrail failed"));
  await ctx.stores.trails.delete(t.arn);
  return {};
};
