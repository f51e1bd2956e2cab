/**
 * GetLogEvents: one stream's events in time order, a page at a time in either direction.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html
 * Without a token the page is the first events of the range (startFromHead) or its last ones (the default); a token
 * reads on from where a page ended, and a page with nothing more answers the token it was given.
 */
import type { ChunkMeta } from "../../../storage/log-events-store.js";
import type { Handler } from "../../types.js";
import { EVENT_OVERHEAD } from "../chunk.js";
import { streamNotFound } from "../errors.js";
import { MAX_PAGE_BYTES, MAX_PAGE_EVENTS, retentionFloor, targetGroup } from "../read.js";
import { scanEvents, storeSource, type EventKey } from "../scan.js";
import { parseStreamToken, tokenAfter, tokenBefore, type StreamToken } from "../tokens.js";

interface GetLogEventsInput {
  logGroupName?: string;
  logGroupIdentifier?: string;
  logStreamName: string;
  startTime?: number;
  endTime?: number;
  nextToken?: string;
  limit?: number;
  startFromHead?: boolean;
  /** Vigil masks nothing, so there is nothing to unmask. */
  unmask?: boolean;
}

interface OutputLogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

/** Chunk metadata rows per store round trip. */
const PAGE_ROWS = 32;

export const GetLogEvents: Handler = async (input: GetLogEventsInput, ctx) => {
  const token: StreamToken | undefined = input.nextToken === undefined ? undefined : parseStreamToken(input.nextToken);
  const { group, streamId } = await targetGroup(ctx, input.logGroupName, input.logGroupIdentifier, input.logStreamName);
  if (streamId === undefined) throw streamNotFound();

  const store = ctx.stores.logEvents;
  const limit = input.limit ?? MAX_PAGE_EVENTS;
  const forward = token ? token.direction === "f" : input.startFromHead === true;
  // startTime is inclusive, endTime exclusive.
  const fromTs = Math.max(input.startTime ?? 0, retentionFloor(group, ctx.clock.now()));
  const toTs = input.endTime === undefined ? Number.MAX_SAFE_INTEGER : input.endTime - 1;
  const range = { streamId, fromTs, toTs };

  const events: OutputLogEvent[] = [];
  const keys: EventKey[] = [];
  let bytes = 0;
  if (fromTs <= toTs) {
    const source = storeSource(store, (last?: ChunkMeta) =>
      forward
        ? store.chunksForward(range, last && { ts: last.minTs, id: last.id }, PAGE_ROWS)
        : store.chunksBackward(range, last && { ts: last.maxTs, id: last.id }, PAGE_ROWS),
    );
    await scanEvents(
      source,
      {
        forward,
        fromTs,
        toTs,
        after: forward ? token?.bound : undefined,
        before: forward ? undefined : token?.bound,
      },
      (chunk, i) => {
        const size = chunk.size(i) + EVENT_OVERHEAD;
        if (bytes + size > MAX_PAGE_BYTES) return false;
        bytes += size;
        events.push({ timestamp: chunk.ts[i]!, message: chunk.message(i), ingestionTime: chunk.ingestionTime(i) });
        keys.push({ ts: chunk.ts[i]!, chunk: chunk.id, idx: i });
        return events.length < limit;
      },
    );
  }
  if (!forward) {
    events.reverse();
    keys.reverse();
  }

  if (keys.length === 0) {
    // Nothing (more) this way: the same gap in both directions, the given token itself when there was one.
    const gap = input.nextToken ?? tokenBefore("f", { ts: Math.max(input.startTime ?? 0, 0), chunk: 0, idx: 0 });
    const digits = gap.slice(2);
    return { events, nextForwardToken: `f/${digits}`, nextBackwardToken: `b/${digits}` };
  }
  return {
    events,
    nextForwardToken: tokenAfter("f", keys[keys.length - 1]!),
    nextBackwardToken: tokenBefore("b", keys[0]!),
  };
};
