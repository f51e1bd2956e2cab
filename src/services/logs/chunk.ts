/**
 * The binary layout of a chunk: a block of one log stream's events, stored as one row (log_chunks.data).
 *
 * A chunk is a sequence of segments, each the events of one PutLogEvents batch in timestamp order. Small batches
 * that continue a stream in time are appended to its newest chunk as another segment (plain byte concatenation, so
 * the store can do it in SQL), which keeps one row per ~32 KB of events even when clients send one event per call.
 *
 * Segment (little-endian, 8-byte aligned so the timestamps can be viewed in place as a Float64Array):
 *   u8 version (1), u8 flags (bit 0: every message is ASCII), u16 0, u32 count, u32 message bytes, u32 0,
 *   f64 ingestion time, f64 timestamp[count], u32 message end offset[count], the UTF-8 messages back to back,
 *   zero padding to a multiple of 8.
 *
 * Why this layout: fixed-width columns decode without parsing (a view, or one copy), binary search by timestamp
 * needs no decoding at all, and the messages stay contiguous raw UTF-8, so a term search runs as Buffer.indexOf over a
 * whole segment and only candidate messages are ever turned into strings. Not compressed: Node 20 has no fast
 * codec built in (deflate would cost more CPU than the I/O it saves at these sizes, and it would rule out the raw
 * search).
 *
 * An event's position in a chunk (its index across segments) never changes: segments are only ever appended.
 */
import { endianness } from "node:os";

const VERSION = 1;
const HEADER = 24;
const FLAG_ASCII = 1;
const LITTLE_ENDIAN = endianness() === "LE";

/** A batch ready to store: events in timestamp order, with their UTF-8 sizes already measured by admission. */
export interface SegmentInput {
  timestamps: readonly number[];
  messages: readonly string[];
  /** UTF-8 bytes of each message. */
  sizes: readonly number[];
  /** Every message is ASCII (each size is its length). */
  ascii: boolean;
  ingestionTime: number;
}

export interface EncodedSegment {
  data: Buffer;
  count: number;
  minTs: number;
  maxTs: number;
  /** What the events count towards storedBytes: UTF-8 message bytes plus 26 per event, as AWS sizes a batch. */
  eventBytes: number;
}

export const EVENT_OVERHEAD = 26;

const pad8 = (n: number) => (n + 7) & ~7;

export function encodeSegment(input: SegmentInput): EncodedSegment {
  const n = input.timestamps.length;
  let msgBytes = 0;
  for (let i = 0; i < n; i++) msgBytes += input.sizes[i]!;
  const ascii = input.ascii;
  const endsAt = HEADER + 8 * n;
  const msgAt = endsAt + 4 * n;
  const total = pad8(msgAt + msgBytes);
  // Large enough not to come from Buffer's shared pool, so its own ArrayBuffer starts it: aligned for the views.
  const data = Buffer.allocUnsafeSlow(total);
  data.writeUInt8(VERSION, 0);
  data.writeUInt8(ascii ? FLAG_ASCII : 0, 1);
  data.writeUInt16LE(0, 2);
  data.writeUInt32LE(n, 4);
  data.writeUInt32LE(msgBytes, 8);
  data.writeUInt32LE(0, 12);
  data.writeDoubleLE(input.ingestionTime, 16);
  if (LITTLE_ENDIAN) {
    new Float64Array(data.buffer, data.byteOffset + HEADER, n).set(input.timestamps);
    const ends = new Uint32Array(data.buffer, data.byteOffset + endsAt, n);
    let end = 0;
    for (let i = 0; i < n; i++) ends[i] = end += input.sizes[i]!;
  } else {
    let end = 0;
    for (let i = 0; i < n; i++) {
      data.writeDoubleLE(input.timestamps[i]!, HEADER + 8 * i);
      data.writeUInt32LE((end += input.sizes[i]!), endsAt + 4 * i);
    }
  }
  let off = msgAt;
  if (ascii) {
    // A native write per message costs more than the copy; ASCII messages are written in runs of up to 64 K chars
    // (latin1 writes one byte per char, the same bytes as UTF-8 for ASCII). Not for other text: joining could pair
    // two messages' lone surrogates into one character.
    for (let i = 0; i < n;) {
      let run = input.messages[i++]!;
      while (i < n && run.length < 65_536) run += input.messages[i++]!;
      off += data.write(run, off, "latin1");
    }
  } else {
    for (let i = 0; i < n; i++) off += data.write(input.messages[i]!, off, "utf8");
  }
  if (off !== msgAt + msgBytes) throw new Error("chunk: message sizes do not match their UTF-8 encoding");
  data.fill(0, off, total);
  return {
    data,
    count: n,
    minTs: n ? input.timestamps[0]! : 0,
    maxTs: n ? input.timestamps[n - 1]! : 0,
    eventBytes: msgBytes + EVENT_OVERHEAD * n,
  };
}

/** One segment of a decoded chunk. Offsets are absolute in the chunk's buffer. */
export interface Segment {
  /** Index of the segment's first event in the chunk. */
  first: number;
  count: number;
  ascii: boolean;
  ingestionTime: number;
  /** Where the messages start and end in the buffer. */
  msgStart: number;
  msgEnd: number;
}

/** A chunk as scans read it: columns over the stored bytes; messages are decoded only when asked for. */
export class DecodedChunk {
  readonly count: number;
  /** Timestamp of each event, in chunk order (non-decreasing within a segment). */
  readonly ts: Float64Array;
  /** Absolute start and end offset of each message in `data`. */
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  readonly segments: Segment[];

  constructor(
    readonly id: number,
    readonly streamId: number,
    readonly data: Buffer,
  ) {
    const segments: Segment[] = [];
    let count = 0;
    for (let off = 0; off < data.length;) {
      if (data.length - off < HEADER || data[off] !== VERSION)
        throw new Error(`chunk ${id}: corrupt segment at ${off}`);
      const n = data.readUInt32LE(off + 4);
      const msgBytes = data.readUInt32LE(off + 8);
      const msgStart = off + HEADER + 12 * n;
      segments.push({
        first: count,
        count: n,
        ascii: (data[off + 1]! & FLAG_ASCII) !== 0,
        ingestionTime: data.readDoubleLE(off + 16),
        msgStart,
        msgEnd: msgStart + msgBytes,
      });
      count += n;
      off = pad8(msgStart + msgBytes);
    }
    this.count = count;
    this.segments = segments;
    if (segments.length === 1) {
      const s = segments[0]!;
      this.ts = f64View(data, HEADER, count);
      const ends = u32View(data, HEADER + 8 * count, count);
      this.ends = new Uint32Array(count);
      this.starts = new Uint32Array(count);
      let prev = s.msgStart;
      for (let i = 0; i < count; i++) {
        const e = s.msgStart + ends[i]!;
        this.starts[i] = prev;
        this.ends[i] = e;
        prev = e;
      }
      return;
    }
    this.ts = new Float64Array(count);
    this.starts = new Uint32Array(count);
    this.ends = new Uint32Array(count);
    let off = 0;
    for (const s of segments) {
      this.ts.set(f64View(data, off + HEADER, s.count), s.first);
      const ends = u32View(data, off + HEADER + 8 * s.count, s.count);
      let prev = s.msgStart;
      for (let i = 0; i < s.count; i++) {
        const e = s.msgStart + ends[i]!;
        this.starts[s.first + i] = prev;
        this.ends[s.first + i] = e;
        prev = e;
      }
      off = pad8(s.msgEnd);
    }
  }

  segmentOf(i: number): Segment {
    const segs = this.segments;
    if (segs.length === 1) return segs[0]!;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid]!.first <= i) lo = mid;
      else hi = mid - 1;
    }
    return segs[lo]!;
  }

  message(i: number): string {
    const s = this.segmentOf(i);
    return this.data.toString(s.ascii ? "latin1" : "utf8", this.starts[i]!, this.ends[i]!);
  }

  /** UTF-8 bytes of the message. */
  size(i: number): number {
    return this.ends[i]! - this.starts[i]!;
  }

  ingestionTime(i: number): number {
    return this.segmentOf(i).ingestionTime;
  }

  /** First index whose timestamp is >= t (count if none). Timestamps are sorted across the whole chunk. */
  lowerBound(t: number): number {
    const ts = this.ts;
    let lo = 0;
    let hi = ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Indexes of the events (in [lo, hi)) whose raw message bytes contain `needle`, in order. */
  containing(needle: Buffer, lo: number, hi: number): number[] {
    const out: number[] = [];
    if (lo >= hi) return out;
    const data = this.data;
    const starts = this.starts;
    const ends = this.ends;
    const from = starts[lo]!;
    const to = ends[hi - 1]!;
    let pos = from;
    let i = lo;
    while (pos < to) {
      const at = data.indexOf(needle, pos);
      if (at < 0 || at + needle.length > to) break;
      // Advance to the event whose message holds `at` (messages are contiguous within a segment; the gaps between
      // segments hold no message bytes of [lo, hi)).
      while (i < hi && ends[i]! <= at) i++;
      if (i >= hi) break;
      if (at < starts[i]!) {
        pos = starts[i]!; // the hit lies in a segment header between two segments
        continue;
      }
      if (at + needle.length <= ends[i]!) {
        out.push(i);
        pos = ends[i]!;
        i++;
      } else {
        pos = at + 1; // spans two messages: not a hit in either
      }
    }
    return out;
  }
}

/** Float64 timestamps as stored; a view when aligned on a little-endian machine, else a copy. */
function f64View(buf: Buffer, off: number, n: number): Float64Array {
  const abs = buf.byteOffset + off;
  if (LITTLE_ENDIAN && abs % 8 === 0) return new Float64Array(buf.buffer, abs, n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = buf.readDoubleLE(off + 8 * i);
  return out;
}

function u32View(buf: Buffer, off: number, n: number): Uint32Array {
  const abs = buf.byteOffset + off;
  if (LITTLE_ENDIAN && abs % 4 === 0) return new Uint32Array(buf.buffer, abs, n);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = buf.readUInt32LE(off + 4 * i);
  return out;
}
