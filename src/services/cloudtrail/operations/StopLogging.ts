/**
 * StopLogging: from the home region. Records up to and including this call are still delivered, and a final digest
 * closes the chain (spec §4.6).
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StopLogging.html
 */
import type { Handler } from "../../types.js";
import { readState, serverFor, withTrailLock } from "../state.js";
import { findTrail } from "../trail.js";

export const StopLogging: Handler = async (input: { Name: string }, ctx) => {
  const t = await findTrail(input.Name, ctx, true);
  await withTrailLock(ctx.stores, t.arn, async () => {
    const { logging, state } = await readState(ctx.stores, t.arn);
    if (!logging) return;
    const now = ctx.clock.now();
    state.stopLoggingTime = now;
    state.deliverUntil = now;
    state.finalDigest = true;
    await ctx.stores.trails.putState(t.arn, false, JSON.stringify(state));
  });
  serverFor(ctx.stores).wake();
  return {};
};
