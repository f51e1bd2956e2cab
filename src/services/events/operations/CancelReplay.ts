/** CancelReplay: a replay that is starting or running stops between pages (CANCELLING, then CANCELLED). */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { replayArn, requireReplay } from "../archives/resources.js";

const REPLAY_ARN = /^arn:aws[\w-]*:events:[a-z0-9-]+:\d{12}:replay\/(.+)$/;

export const CancelReplay: Handler = async (input, ctx) => {
  const name = REPLAY_ARN.exec(input.ReplayArn)?.[1] ?? input.ReplayArn;
  const r = await requireReplay(ctx.stores, ctx, name);
  if (r.state !== "STARTING" && r.state !== "RUNNING")
    throw awsError("IllegalStatusException", `Replay ${name} is not in a valid state for this operation.`);
  r.state = "CANCELLING";
  await ctx.stores.events.put(ctx, "replay", "", name, r);
  return { ReplayArn: replayArn(ctx, name), State: r.state };
};
