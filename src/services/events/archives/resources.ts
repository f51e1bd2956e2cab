/** Archives and replays: ARNs, lookups with the recorded messages, and the views Describe/List answer. */
import { awsError } from "../../../errors/index.js";
import { partition } from "../../../runtime/regions.js";
import type { EventsScope } from "../../../storage/events-store.js";
import type { Stores } from "../../../storage/types.js";
import type { ArchiveDoc } from "../bus-cache.js";
import { busArn } from "../resources.js";

export type { ArchiveDoc } from "../bus-cache.js";

export type ReplayState = "STARTING" | "RUNNING" | "CANCELLING" | "COMPLETED" | "CANCELLED" | "FAILED";

export interface ReplayDoc {
  name: string;
  description?: string;
  archive: string;
  bus: string;
  /** Destination.FilterArns: only these rules receive the replayed events (all rules when absent). */
  filterArns?: string[];
  eventStart: number;
  eventEnd: number;
  state: ReplayState;
  stateReason?: string;
  replayStart: number;
  replayEnd?: number;
  lastReplayed?: number;
}

export const archiveArn = (s: EventsScope, name: string) =>
  `arn:${partition(s.region)}:events:${s.region}:${s.account}:archive/${name}`;
export const replayArn = (s: EventsScope, name: string) =>
  `arn:${partition(s.region)}:events:${s.region}:${s.account}:replay/${name}`;

export async function requireArchive(stores: Stores, scope: EventsScope, name: string): Promise<ArchiveDoc> {
  const a = await stores.events.get<ArchiveDoc>(scope, "archive", "", name);
  if (!a) throw awsError("ResourceNotFoundException", `Archive ${name} does not exist.`);
  return a;
}

export async function requireReplay(stores: Stores, scope: EventsScope, name: string): Promise<ReplayDoc> {
  const r = await stores.events.get<ReplayDoc>(scope, "replay", "", name);
  if (!r) throw awsError("ResourceNotFoundException", `Replay ${name} does not exist.`);
  return r;
}

export async function archiveView(stores: Stores, scope: EventsScope, a: ArchiveDoc) {
  const { count, bytes } = await stores.events.archiveStats(scope, a.name);
  return {
    ArchiveName: a.name,
    EventSourceArn: busArn(scope, a.bus),
    State: a.state,
    RetentionDays: a.retentionDays,
    SizeBytes: bytes,
    EventCount: count,
    CreationTime: a.createdAt,
  };
}

export const replayView = (scope: EventsScope, r: ReplayDoc) => ({
  ReplayName: r.name,
  EventSourceArn: archiveArn(scope, r.archive),
  State: r.state,
  StateReason: r.stateReason,
  EventStartTime: r.eventStart,
  EventEndTime: r.eventEnd,
  EventLastReplayedTime: r.lastReplayed,
  ReplayStartTime: r.replayStart,
  ReplayEndTime: r.replayEnd,
});
