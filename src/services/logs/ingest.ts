/**
 * The one path by which log events enter a stream: PutLogEvents, and the services that write logs themselves
 * (EventBridge log-group targets, CloudTrail's CloudWatch Logs delivery). After the events commit, every ingest
 * listener sees them: metric filters and the AWS/Logs metrics subscribe here (onLogsIngest).
 */
import type { Stores } from "../../storage/types.js";
import type { LogGroupRef } from "../../storage/log-events-store.js";
import { admitBatch, checkBatch, type InputLogEvent, type RejectedLogEventsInfo } from "./admit.js";
import { encodeSegment } from "./chunk.js";
import { groupNotFound, streamNotFound } from "./errors.js";

const DAY_MS = 24 * 3600 * 1000;

/** What listeners see of one committed batch. */
export interface IngestedBatch {
  account: string;
  region: string;
  logGroupName: string;
  logStreamName: string;
  /** Milliseconds since the epoch. */
  ingestionTime: number;
  /** The stored events in order (the rejected ones are not here). */
  timestamps: readonly number[];
  messages: readonly string[];
  /** UTF-8 bytes of each message. */
  sizes: readonly number[];
}

export type IngestListener = (batch: IngestedBatch) => void | Promise<void>;

const listeners = new WeakMap<Stores, IngestListener[]>();

/** Subscribes to every batch committed on the server owning `stores`. A listener's failure is logged, never answered. */
export function onLogsIngest(stores: Stores, listener: IngestListener): void {
  let list = listeners.get(stores);
  if (!list) listeners.set(stores, (list = []));
  list.push(listener);
}

export interface IngestRequest {
  account: string;
  region: string;
  logGroupName: string;
  logStreamName: string;
  logEvents: InputLogEvent[];
  /** Creates the stream when missing (service deliveries do; PutLogEvents does not). */
  createStream?: boolean;
}

export interface IngestResult {
  streamId: number;
  rejected?: RejectedLogEventsInfo;
  group: LogGroupRef;
}

/**
 * Checks and stores a batch exactly as PutLogEvents does (same errors), resolves after commit, then tells the
 * listeners. Throws ResourceNotFoundException when the group (or, without createStream, the stream) does not exist.
 */
export async function ingestLogEvents(
  deps: { stores: Stores; now: number; onListenerError?: (err: unknown) => void },
  req: IngestRequest,
): Promise<IngestResult> {
  const { stores, now } = deps;
  const measured = checkBatch(req.logEvents);
  const store = stores.logEvents;
  let { group, streamId } = await store.target(req.account, req.region, req.logGroupName, req.logStreamName);
  if (!group) throw groupNotFound();
  if (streamId === undefined && req.createStream) {
    // "exists" (a concurrent delivery made it) and "noGroup" (deleted meanwhile) are told apart by the lookup below.
    await stores.logs.createStream(
      { account: req.account, region: req.region },
      req.logGroupName,
      req.logStreamName,
      now,
    );
    ({ group, streamId } = await store.target(req.account, req.region, req.logGroupName, req.logStreamName));
    if (!group) throw groupNotFound();
  }
  if (streamId === undefined) throw streamNotFound();
  const { accepted, rejected } = admitBatch(req.logEvents, measured, now, group.retentionDays);
  if (accepted.timestamps.length > 0) {
    const segment = encodeSegment({ ...accepted, ingestionTime: now });
    const stored = await store.append(
      {
        groupId: group.id,
        streamId,
        retentionCutoff: group.retentionDays === null ? undefined : now - group.retentionDays * DAY_MS,
      },
      { ...segment, ingestionTime: now },
    );
    if (!stored) {
      // Deleted while the batch was on its way: say which one is gone now.
      const again = await store.target(req.account, req.region, req.logGroupName);
      throw again.group ? streamNotFound() : groupNotFound();
    }
    const list = listeners.get(stores);
    if (list) {
      const batch: IngestedBatch = {
        account: req.account,
        region: req.region,
        logGroupName: req.logGroupName,
        logStreamName: req.logStreamName,
        ingestionTime: now,
        timestamps: accepted.timestamps,
        messages: accepted.messages,
        sizes: accepted.sizes,
      };
      for (const l of list) {
        try {
          await l(batch);
        } catch (err) {
          deps.onListenerError?.(err);
        }
      }
    }
  }
  return { streamId, rejected, group };
}
