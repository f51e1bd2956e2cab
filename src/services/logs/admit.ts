/**
 * PutLogEvents' rules for a batch, in the order Vigil checks them
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html):
 *   1. each event (UTF-8 message bytes + 26) at most 1,048,576 bytes: "Log event too large: N bytes exceeds limit of
 *      1048576";
 *   2. the batch (the same sum over its events) at most 1,048,576 bytes: "Upload too large: N bytes exceeds limit of
 *      1048576" (at most 10,000 events is the model's constraint, checked by the codec);
 *   3. timestamps in chronological order;
 *   4. events more than 2 hours in the future, older than 14 days, or older than the group's retention are skipped
 *      and reported in rejectedLogEventsInfo, the rest stored;
 *   5. the events kept span at most 24 hours.
 * A failed rule fails the whole call with InvalidParameterException. The messages are the ones AWS answers.
 */
import { awsError } from "../../errors/index.js";
import { EVENT_OVERHEAD, type SegmentInput } from "./chunk.js";

export const MAX_BATCH_BYTES = 1_048_576;
export const MAX_EVENT_BYTES = 1_048_576;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const TOO_NEW_MS = 2 * HOUR;
export const TOO_OLD_MS = 14 * DAY;
export const MAX_SPAN_MS = DAY;

export interface InputLogEvent {
  timestamp: number;
  message: string;
}

export interface RejectedLogEventsInfo {
  tooNewLogEventStartIndex?: number;
  tooOldLogEventEndIndex?: number;
  expiredLogEventEndIndex?: number;
}

export interface Admitted {
  /** The events to store, in order (possibly none). */
  accepted: Omit<SegmentInput, "ingestionTime">;
  rejected?: RejectedLogEventsInfo;
}

const invalid = (message: string) => awsError("InvalidParameterException", message);

/** What checkBatch measured: each message's UTF-8 size, and whether every message is ASCII. */
export interface BatchSizes {
  sizes: number[];
  ascii: boolean;
}

/**
 * The rules that need nothing but the request (1 to 3): throws for a batch AWS refuses whole. Measures the
 * messages for admitBatch and the chunk encoder.
 */
export function checkBatch(events: readonly InputLogEvent[]): BatchSizes {
  const n = events.length;
  const sizes = new Array<number>(n);
  let ascii = true;
  for (let i = 0; i < n; i++) {
    const m = events[i]!.message;
    const size = Buffer.byteLength(m, "utf8");
    sizes[i] = size;
    if (size !== m.length) ascii = false;
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const size = sizes[i]! + EVENT_OVERHEAD;
    if (size > MAX_EVENT_BYTES) throw invalid(`Log event too large: ${size} bytes exceeds limit of ${MAX_EVENT_BYTES}`);
    total += size;
  }
  if (total > MAX_BATCH_BYTES) throw invalid(`Upload too large: ${total} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  for (let i = 1; i < n; i++) {
    if (events[i]!.timestamp < events[i - 1]!.timestamp) {
      throw invalid("Log events in a single PutLogEvents request must be in chronological order.");
    }
  }
  return { sizes, ascii };
}

/** Rules 4 and 5 at `now`, for a batch that passed checkBatch (`measured` is what it returned). */
export function admitBatch(
  events: readonly InputLogEvent[],
  measured: BatchSizes,
  now: number,
  retentionDays: number | null,
): Admitted {
  const n = events.length;
  const sizes = measured.sizes;
  // Sorted, so the rejected events are a prefix (too old, expired) and a suffix (too new).
  const oldest = now - TOO_OLD_MS;
  const newest = now + TOO_NEW_MS;
  const retained = retentionDays === null ? -Infinity : now - retentionDays * DAY;
  let tooOld = 0;
  while (tooOld < n && events[tooOld]!.timestamp < oldest) tooOld++;
  let expired = tooOld;
  while (expired < n && events[expired]!.timestamp < retained) expired++;
  let tooNew = n;
  while (tooNew > expired && events[tooNew - 1]!.timestamp > newest) tooNew--;

  if (tooNew > expired && events[tooNew - 1]!.timestamp - events[expired]!.timestamp > MAX_SPAN_MS) {
    throw invalid("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
  }

  const rejected: RejectedLogEventsInfo = {};
  if (tooNew < n) rejected.tooNewLogEventStartIndex = tooNew;
  if (tooOld > 0) rejected.tooOldLogEventEndIndex = tooOld;
  if (expired > tooOld) rejected.expiredLogEventEndIndex = expired;
  const timestamps: number[] = [];
  const messages: string[] = [];
  for (let i = expired; i < tooNew; i++) {
    timestamps.push(events[i]!.timestamp);
    messages.push(events[i]!.message);
  }
  return {
    accepted: { timestamps, messages, sizes: sizes.slice(expired, tooNew), ascii: measured.ascii },
    rejected: Object.keys(rejected).length > 0 ? rejected : undefined,
  };
}
