/**
 * FilterLogEvents: the events of a group's streams (all, some by name, or by name prefix) that match a filter
 * pattern, interleaved in time order across streams, a page at a time.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
 * A page stops at `limit` events, at 1 MB, or after looking at SCAN_BUDGET events; nextToken then resumes where it
 * stopped (so a page may be short, or empty, while more follows, as AWS documents). searchedLogStreams is always
 * empty: AWS stopped filling it in 2020.
 */
import { compileFilterPattern, type FilterPattern } from "../../../filter-patterns/index.js";
import type { ChunkMeta } from "../../../storage/log-events-store.js";
import type { Handler } from "../../types.js";
import { EVENT_OVERHEAD } from "../chunk.js";
import { invalidParameter } from "../errors.js";
import { patternNeedle } from "../needle.js";
import { MAX_PAGE_BYTES, MAX_PAGE_EVENTS, retentionFloor, targetGroup } from "../read.js";
import { scanEvents, storeSource, type EventKey } from "../scan.js";
import { chunkEventIds, filterToken, parseFilterToken } from "../tokens.js";

interface FilterLogEventsInput {
  logGroupName?: string;
  logGroupIdentifier?: string;
  logStreamNames?: string[];
  logStreamNamePrefix?: string;
  startTime?: number;
  endTime?: number;
  filterPattern?: string;
  nextToken?: string;
  limit?: number;
  /** Ignored by AWS since 2019: results are always interleaved. */
  interleaved?: boolean;
  /** Vigil masks nothing, so there is nothing to unmask. */
  unmask?: boolean;
}

interface FilteredLogEvent {
  logStreamName: string;
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}

/** Events one call looks at before it answers with what it found and a nextToken. */
let scanBudget = 1_000_000;

/** Test seam: a smaller budget makes budget-bounded pages observable with few events. */
export function setFilterScanBudget(n: number): void {
  scanBudget = n;
}

const PAGE_ROWS = 64;

export const FilterLogEvents: Handler = async (input: FilterLogEventsInput, ctx) => {
  if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
    throw invalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
  }
  const { group } = await targetGroup(ctx, input.logGroupName, input.logGroupIdentifier);
  const pattern: FilterPattern | undefined =
    input.filterPattern === undefined || input.filterPattern.trim() === ""
      ? undefined
      : compileFilterPattern(input.filterPattern);
  const after = input.nextToken === undefined ? undefined : parseFilterToken(input.nextToken, group.id);

  const store = ctx.stores.logEvents;
  const fromTs = Math.max(input.startTime ?? 0, retentionFloor(group, ctx.clock.now()));
  const toTs = input.endTime ?? Number.MAX_SAFE_INTEGER;
  const limit = input.limit ?? MAX_PAGE_EVENTS;

  // Stream names by id: the selected streams when named, else learned page by page (and filtered by the prefix).
  const names = new Map<number, string | null>();
  if (input.logStreamNames !== undefined) {
    const ids = await store.streamIds(group.id, input.logStreamNames);
    for (const [name, id] of ids) names.set(id, name);
    if (names.size === 0) return { events: [], searchedLogStreams: [] };
  }
  const prefix = input.logStreamNamePrefix;
  const keep = async (metas: ChunkMeta[]): Promise<ChunkMeta[]> => {
    if (input.logStreamNames === undefined) {
      const unknown = [...new Set(metas.map((m) => m.streamId).filter((id) => !names.has(id)))];
      if (unknown.length > 0) {
        const found = await store.streamNames(group.id, unknown);
        for (const id of unknown) {
          const name = found.get(id);
          names.set(id, name !== undefined && (prefix === undefined || name.startsWith(prefix)) ? name : null);
        }
      }
    }
    return metas.filter((m) => typeof names.get(m.streamId) === "string");
  };

  const events: FilteredLogEvent[] = [];
  let bytes = 0;
  let last: EventKey | undefined;
  let full = false;
  let resumeAfter: EventKey | undefined;
  let idsOf = -1;
  let ids = chunkEventIds(0);
  if (fromTs <= toTs) {
    const range = { groupId: group.id, fromTs, toTs };
    const source = storeSource(
      store,
      (prev?: ChunkMeta) => store.chunksForward(range, prev && { ts: prev.minTs, id: prev.id }, PAGE_ROWS),
      keep,
    );
    const result = await scanEvents(
      source,
      { forward: true, fromTs, toTs, after, needle: patternNeedle(input.filterPattern), budget: scanBudget },
      (chunk, i) => {
        if (chunk.id !== idsOf) {
          idsOf = chunk.id;
          ids = chunkEventIds(chunk.id);
        }
        const message = chunk.message(i);
        if (pattern && !pattern.matches(message)) return true;
        const size = chunk.size(i) + EVENT_OVERHEAD;
        if (bytes + size > MAX_PAGE_BYTES) {
          full = true;
          return false;
        }
        bytes += size;
        last = { ts: chunk.ts[i]!, chunk: chunk.id, idx: i };
        events.push({
          logStreamName: names.get(chunk.streamId) as string,
          timestamp: last.ts,
          message,
          ingestionTime: chunk.ingestionTime(i),
          eventId: ids(last.ts, i),
        });
        if (events.length >= limit) full = true;
        return !full;
      },
    );
    resumeAfter = result.resumeAfter;
  }
  const resume = full ? last : resumeAfter;
  return {
    events,
    searchedLogStreams: [],
    nextToken: resume ? filterToken(group.id, resume) : undefined,
  };
};
