/**
 * StartReplay: replays an archive's events of a time range to the archive's own bus (cross-bus replay is refused, as
 * recorded), optionally to some rules only; answers STARTING and runs in the background. At most 10 replays run at
 * once per account and region (EventBridge quotas), with the recorded LimitExceededException.
 */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { replayArn, type ArchiveDoc, type ReplayDoc } from "../archives/resources.js";
import { runReplay } from "../archives/replay.js";
import { findBus, busNotFound, resolveBus } from "../resources.js";
import { eventsEnv } from "../state.js";

const MAX_ACTIVE = 10;
const ARCHIVE_ARN = /^arn:aws[\w-]*:events:[a-z0-9-]+:\d{12}:archive\/(.+)$/;

const ms = (v: Date | number | string) => (v instanceof Date ? v.getTime() : typeof v === "number" ? v : Date.parse(v));

export const StartReplay: Handler = async (input, ctx) => {
  const archiveName = ARCHIVE_ARN.exec(input.EventSourceArn)?.[1] ?? input.EventSourceArn;
  const archive = await ctx.stores.events.get<ArchiveDoc>(ctx, "archive", "", archiveName);
  if (!archive)
    throw awsError(
      "ValidationException",
      `Parameter EventSourceArn is not valid. Reason: Archive ${archiveName} does not exist.`,
    );
  const dest = resolveBus(ctx, input.Destination.Arn);
  if (!(await findBus(ctx.stores, dest, dest.name, ctx.clock.now()))) throw busNotFound(dest.name);
  if (dest.account !== ctx.account || dest.region !== ctx.region || dest.name !== archive.bus)
    throw awsError(
      "ValidationException",
      "Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.",
    );
  const start = ms(input.EventStartTime);
  const end = ms(input.EventEndTime);
  if (!(start < end))
    throw awsError(
      "ValidationException",
      "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.",
    );
  const replays = await ctx.stores.events.list<ReplayDoc>(ctx, "replay", { parent: "" });
  if (replays.filter((r) => ["STARTING", "RUNNING", "CANCELLING"].includes(r.doc.state)).length >= MAX_ACTIVE)
    throw awsError("LimitExceededException", "The requested resource exceeds the maximum number allowed.");
  const now = ctx.clock.now();
  const doc: ReplayDoc = {
    name: input.ReplayName,
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    archive: archive.name,
    bus: archive.bus,
    ...(input.Destination.FilterArns ? { filterArns: input.Destination.FilterArns } : {}),
    eventStart: start,
    eventEnd: end,
    state: "STARTING",
    replayStart: now,
  };
  if (!(await ctx.stores.events.create(ctx, "replay", "", doc.name, doc)))
    throw awsError("ResourceAlreadyExistsException", `Replay ${doc.name} already exists.`);
  const env = eventsEnv(ctx.stores);
  const scope = { account: ctx.account, region: ctx.region };
  setImmediate(
    () =>
      void runReplay(env, scope, doc.name).catch((err: unknown) =>
        env.deps.log.error({ err }, "events: replay failed"),
      ),
  );
  return { ReplayArn: replayArn(ctx, doc.name), State: doc.state, ReplayStartTime: now };
};
