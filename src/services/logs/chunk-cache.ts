/**
 * Recently read chunks, decoded, shared by every read of one store: repeated scans of the same stream or group
 * (a tail that polls, a dashboard that filters every minute) read the database once. Bounded by the bytes of the
 * chunks it holds, least recently used out first.
 *
 * Coherent without invalidation: a chunk only ever changes by having segments appended, which raises its event
 * count, and ids are never reused; so (id, count) names one content forever, on every node of a shared database.
 */
import type { ChunkMeta, LogEventsStore } from "../../storage/log-events-store.js";
import { DecodedChunk } from "./chunk.js";

export const CHUNK_CACHE_BYTES = 64 * 1024 * 1024;

class ChunkCache {
  private readonly entries = new Map<number, DecodedChunk>();
  private bytes = 0;
  constructor(private readonly limit: number) {}

  get(meta: ChunkMeta): DecodedChunk | undefined {
    const c = this.entries.get(meta.id);
    if (!c) return undefined;
    this.entries.delete(meta.id);
    if (c.count !== meta.count) {
      this.bytes -= c.data.length;
      return undefined;
    }
    this.entries.set(meta.id, c);
    return c;
  }

  put(c: DecodedChunk): void {
    if (c.data.length > this.limit) return;
    const old = this.entries.get(c.id);
    if (old) {
      this.entries.delete(c.id);
      this.bytes -= old.data.length;
    }
    this.entries.set(c.id, c);
    this.bytes += c.data.length;
    for (const [id, e] of this.entries) {
      if (this.bytes <= this.limit) break;
      this.entries.delete(id);
      this.bytes -= e.data.length;
    }
  }
}

const caches = new WeakMap<LogEventsStore, ChunkCache>();

/** The chunk, from the cache or the store; undefined when it is gone (deleted meanwhile). */
export async function loadChunk(store: LogEventsStore, meta: ChunkMeta): Promise<DecodedChunk | undefined> {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new ChunkCache(CHUNK_CACHE_BYTES)));
  const hit = cache.get(meta);
  if (hit) return hit;
  const [data] = await store.chunkData([meta.id]);
  if (!data) return undefined;
  const chunk = new DecodedChunk(meta.id, meta.streamId, data);
  // A read racing an append may see more events than its metadata row said; cache it under what it holds.
  if (chunk.count >= meta.count) cache.put(chunk);
  return chunk;
}
