/**
 * Reads a stream's or a group's events in order from their chunks: a k-way merge over the chunks whose time ranges
 * overlap, opened lazily in time order, so memory holds only the chunks that overlap the current instant whatever the
 * stored volume. Chunks of one stream may overlap (a later batch can carry older events), and a group's streams
 * interleave; the merge puts every event in (timestamp, chunk id, index) order, which is timestamp order with ties in
 * ingestion order (chunk ids grow with ingestion, indexes with position in the chunk).
 */
import type { ChunkMeta, LogEventsStore } from "../../storage/log-events-store.js";
import type { DecodedChunk } from "./chunk.js";
import { loadChunk } from "./chunk-cache.js";

/** An event's place in the order; also what page tokens carry. */
export interface EventKey {
  ts: number;
  chunk: number;
  idx: number;
}

export const compareKeys = (a: EventKey, b: EventKey): number => a.ts - b.ts || a.chunk - b.chunk || a.idx - b.idx;

/** Where chunks come from, in scan order, and their contents. */
export interface ChunkSource {
  /** The next chunks in scan order ([] at the end). */
  next(): Promise<ChunkMeta[]>;
  /** undefined when the chunk is gone meanwhile (retention, or its stream or group deleted). */
  load(meta: ChunkMeta): Promise<DecodedChunk | undefined>;
}

export interface ScanOptions {
  forward: boolean;
  /** Inclusive timestamp bounds. */
  fromTs: number;
  toTs: number;
  /** Only events after (exclusive) / before (exclusive) these keys. */
  after?: EventKey;
  before?: EventKey;
  /**
   * Only events whose raw UTF-8 message contains these bytes are visited (a necessary condition the caller derived
   * from its filter); the rest are skipped without being decoded.
   */
  needle?: Buffer;
  /** Stop before opening another chunk once this many events have been looked at. */
  budget?: number;
}

export interface ScanResult {
  /** True when every event in range was visited (or skipped by the needle). */
  complete: boolean;
  /** Set when stopped by the budget: resume with events after this key. */
  resumeAfter?: EventKey;
  /** Events looked at (in range, whether or not visited). */
  scanned: number;
}

/** A scan gives the event loop a turn at least this often (milliseconds). */
const YIELD_MS = 20;

/** Called for each event in order; return false to stop (the event counts as taken). */
export type Visitor = (chunk: DecodedChunk, index: number) => boolean;

class Cursor {
  p: number;
  constructor(
    readonly chunk: DecodedChunk,
    /** Indexes to visit, in chunk order; or a range [lo, hi). */
    readonly list: number[] | undefined,
    readonly lo: number,
    readonly hi: number,
    forward: boolean,
  ) {
    this.p = list ? (forward ? 0 : list.length - 1) : forward ? lo : hi - 1;
  }
  index(): number {
    return this.list ? this.list[this.p]! : this.p;
  }
  done(): boolean {
    return this.list ? this.p < 0 || this.p >= this.list.length : this.p < this.lo || this.p >= this.hi;
  }
  ts(): number {
    return this.chunk.ts[this.index()]!;
  }
}

/** Negative when cursor a's current event comes first in scan order. */
function before(a: Cursor, b: Cursor, forward: boolean): boolean {
  const d = a.ts() - b.ts() || a.chunk.id - b.chunk.id || a.index() - b.index();
  return forward ? d < 0 : d > 0;
}

/** A binary heap of cursors by their current event. Small: one entry per chunk overlapping the current instant. */
class CursorHeap {
  readonly items: Cursor[] = [];
  constructor(private readonly forward: boolean) {}
  get size() {
    return this.items.length;
  }
  peek(): Cursor | undefined {
    return this.items[0];
  }
  push(c: Cursor): void {
    const a = this.items;
    a.push(c);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!, this.forward)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }
  /** The best of the root's children: the next cursor in line. */
  second(): Cursor | undefined {
    const a = this.items;
    if (a.length < 3) return a[1];
    return before(a[1]!, a[2]!, this.forward) ? a[1] : a[2];
  }
  /** Re-sorts after the root's current event moved on (or removes the root when it is done). */
  fixTop(): void {
    const a = this.items;
    if (a.length === 0) return;
    if (a[0]!.done()) {
      const last = a.pop()!;
      if (a.length === 0) return;
      a[0] = last;
    }
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < a.length && before(a[l]!, a[best]!, this.forward)) best = l;
      if (r < a.length && before(a[r]!, a[best]!, this.forward)) best = r;
      if (best === i) return;
      [a[i], a[best]] = [a[best]!, a[i]!];
      i = best;
    }
  }
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/** The range [lo, hi) of a chunk's indexes inside the scan's bounds. */
function chunkRange(c: DecodedChunk, o: ScanOptions): [number, number] {
  let lo = c.lowerBound(o.fromTs);
  let hi = c.lowerBound(o.toTs + 1);
  if (o.after) {
    const a = o.after;
    const lb = c.lowerBound(a.ts);
    const ub = c.lowerBound(a.ts + 1);
    lo = Math.max(lo, c.id < a.chunk ? ub : c.id > a.chunk ? lb : clamp(a.idx + 1, lb, ub));
  }
  if (o.before) {
    const b = o.before;
    const lb = c.lowerBound(b.ts);
    const ub = c.lowerBound(b.ts + 1);
    hi = Math.min(hi, c.id < b.chunk ? ub : c.id > b.chunk ? lb : clamp(b.idx, lb, ub));
  }
  return [lo, hi];
}

/** Visits the events in range in order until the visitor stops, the budget runs out, or the events do. */
export async function scanEvents(source: ChunkSource, o: ScanOptions, visit: Visitor): Promise<ScanResult> {
  const forward = o.forward;
  const heap = new CursorHeap(forward);
  let pending: ChunkMeta[] = [];
  let pi = 0;
  let exhausted = false;
  let scanned = 0;
  let lastYield = performance.now();

  const peekMeta = async (): Promise<ChunkMeta | undefined> => {
    while (pi >= pending.length) {
      if (exhausted) return undefined;
      pending = await source.next();
      pi = 0;
      if (pending.length === 0) exhausted = true;
    }
    return pending[pi];
  };

  for (;;) {
    // Open every chunk that may hold an event before the heap's first one (or any chunk, when the heap is empty).
    let limit: number = forward ? Infinity : -Infinity;
    for (;;) {
      const m = await peekMeta();
      if (!m) break;
      const top = heap.peek();
      const edge = forward ? m.minTs : m.maxTs;
      if (top && (forward ? edge > top.ts() : edge < top.ts())) {
        limit = edge;
        break;
      }
      // Everything taken so far lies strictly before this chunk's edge, everything left at or after it; stopping
      // there must be progress past where the scan began, or a caller resuming would loop.
      if (o.budget !== undefined && scanned >= o.budget && forward && edge > (o.after?.ts ?? o.fromTs)) {
        return {
          complete: false,
          resumeAfter: { ts: edge, chunk: 0, idx: 0 },
          scanned,
        };
      }
      pi++;
      // SQLite reads are synchronous: let other requests in now and then during a long scan.
      if (performance.now() - lastYield > YIELD_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
      const chunk = await source.load(m);
      if (!chunk) continue;
      const [lo, hi] = chunkRange(chunk, o);
      if (lo >= hi) continue;
      scanned += hi - lo;
      const list = o.needle ? chunk.containing(o.needle, lo, hi) : undefined;
      if (list && list.length === 0) continue;
      heap.push(new Cursor(chunk, list, lo, hi, forward));
    }

    const c = heap.peek();
    if (!c) return { complete: true, scanned };
    const next = heap.second();
    const chunk = c.chunk;
    const step = forward ? 1 : -1;
    // Take events from the first cursor while they stay ahead of the next cursor and of the next unopened chunk.
    for (;;) {
      const t = c.ts();
      if (forward ? t >= limit : t <= limit) break;
      if (next && before(next, c, forward)) break;
      const keep = visit(chunk, c.index());
      c.p += step;
      if (!keep) return { complete: false, scanned };
      if (c.done()) break;
    }
    heap.fixTop();
  }
}

/**
 * Pages through chunk metadata from the store, optionally keeping only the chunks of some streams, and loads
 * chunks through the cache.
 */
export function storeSource(
  store: LogEventsStore,
  page: (after: ChunkMeta | undefined) => Promise<ChunkMeta[]>,
  keep?: (metas: ChunkMeta[]) => Promise<ChunkMeta[]>,
): ChunkSource {
  let last: ChunkMeta | undefined;
  let done = false;
  return {
    async next() {
      while (!done) {
        const rows = await page(last);
        if (rows.length === 0) {
          done = true;
          break;
        }
        last = rows[rows.length - 1];
        const kept = keep ? await keep(rows) : rows;
        if (kept.length > 0) return kept;
      }
      return [];
    },
    load: (meta) => loadChunk(store, meta),
  };
}
