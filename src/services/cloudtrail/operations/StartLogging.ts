/**
 * StartLogging: from the trail's home region. Records committed from now on are delivered; with log file validation
 * a new digest chain starts (spec §4.6).
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartLogging.html
 */
import type { Handler } from "../../types.js";
import { readState, serverFor, withTrailLock } from "../state.js";
import { findTrail } from "../trail.js";

export const StartLogging: Handler = async (input: { Name: string }, ctx) => {
  const t = await findTrail(input.Name, ctx, true);
  await withTrailLock(ctx.stores, t.arn, async () => {
    const { logging, state } = await readState(ctx.stores, t.arn);
    if (logging) return;
    const now = ctx.clock.now();
    // Records still owed to the previous logging period (deliverUntil) keep the cursor where it is.
    if (state.deliverUntil === undefined && !state.pending) state.cursor = await ctx.stores.trails.maxAuditSeq();
    state.deliverUntil = undefined;
    state.startLoggingTime = now;
    state.chains = {};
    state.finalDigest = false;
    state.digestFrom = now;
    await ctx.stores.trails.putState(t.arn, true, JSON.stringify(state));
  });
  serverFor(ctx.stores).wake();
  return {};
};
