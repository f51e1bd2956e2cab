/**
 * Event ids, GetLogEvents' nextForwardToken / nextBackwardToken and FilterLogEvents' nextToken.
 *
 * An event id is 56 decimal digits, as AWS's are: the timestamp (20 digits), the chunk id (26) and the index in the
 * chunk (10), so ids sort like the events. GetLogEvents tokens name a gap between two events in that order:
 * `f/<56 digits>/s` reads the events after the gap, `b/<56 digits>/s` the events before it. The digits are the key of
 * the event just after the gap with its index counted from 1 (the gap before an event is the gap after its
 * predecessor), so the gap after event e is (e.ts, e.chunk, e.idx + 1) and the one before it (e.ts, e.chunk, e.idx).
 * A page answers the gap after its last event as nextForwardToken and the gap before its first as nextBackwardToken;
 * a page with no events answers the token it was given, as AWS documents for the end of a stream.
 */
import { createHash } from "node:crypto";
import { awsError } from "../../errors/index.js";
import type { EventKey } from "./scan.js";

const TS_DIGITS = 20;
const CHUNK_DIGITS = 26;
const IDX_DIGITS = 10;

export const invalidToken = () => awsError("InvalidParameterException", "The specified nextToken is invalid.");

const ZEROS = "0".repeat(CHUNK_DIGITS);
const pad = (n: number, width: number) => {
  const s = String(n);
  return ZEROS.slice(0, width - s.length) + s;
};

const digits = (k: EventKey, idx: number) => pad(k.ts, TS_DIGITS) + pad(k.chunk, CHUNK_DIGITS) + pad(idx, IDX_DIGITS);

export const eventId = (k: EventKey): string => digits(k, k.idx);

/** Event ids of one chunk's events, the chunk's digits computed once (FilterLogEvents makes one per event). */
export function chunkEventIds(chunk: number): (ts: number, idx: number) => string {
  const middle = pad(chunk, CHUNK_DIGITS);
  return (ts, idx) => pad(ts, TS_DIGITS) + middle + pad(idx, IDX_DIGITS);
}

export type Direction = "f" | "b";

export interface StreamToken {
  direction: Direction;
  /** Forward: read events after this key (exclusive). Backward: events before it (exclusive). */
  bound: EventKey;
}

/** The token for the gap just after event `k`, read in `direction`. */
export const tokenAfter = (direction: Direction, k: EventKey): string => `${direction}/${digits(k, k.idx + 1)}/s`;
/** The token for the gap just before event `k`. */
export const tokenBefore = (direction: Direction, k: EventKey): string => `${direction}/${digits(k, k.idx)}/s`;
/** The gap before every event. */
export const headToken = (direction: Direction): string => `${direction}/${"0".repeat(56)}/s`;

const STREAM_TOKEN = /^([fb])\/(\d{20})(\d{26})(\d{10})(?:\/s)?$/;

export function parseStreamToken(token: string): StreamToken {
  const m = STREAM_TOKEN.exec(token);
  if (!m) throw invalidToken();
  const ts = Number(m[2]);
  const chunk = Number(m[3]);
  const gap = Number(m[4]);
  if (!Number.isSafeInteger(ts) || !Number.isSafeInteger(chunk) || !Number.isSafeInteger(gap)) throw invalidToken();
  const direction = m[1] as Direction;
  // Gap g sits between the events with (ts, chunk, idx + 1) <= g and those above.
  return direction === "f"
    ? { direction, bound: { ts, chunk, idx: gap - 1 } }
    : { direction, bound: { ts, chunk, idx: gap } };
}

/**
 * FilterLogEvents' nextToken: where the next page resumes (after an event key) in which group, with a checksum so
 * that a token this server did not issue is refused as AWS refuses one.
 */
export function filterToken(groupId: number, after: EventKey): string {
  const body = `${groupId}.${after.ts}.${after.chunk}.${after.idx}`;
  return Buffer.from(`${body}.${checksum(body)}`).toString("base64url");
}

export function parseFilterToken(token: string, groupId: number): EventKey {
  const text = Buffer.from(token, "base64url").toString("latin1");
  const m = /^(\d{1,16})\.(\d{1,20})\.(\d{1,20})\.(-?\d{1,10})\.([0-9a-f]{16})$/.exec(text);
  if (!m || checksum(`${m[1]}.${m[2]}.${m[3]}.${m[4]}`) !== m[5] || Number(m[1]) !== groupId) throw invalidToken();
  const key = { ts: Number(m[2]), chunk: Number(m[3]), idx: Number(m[4]) };
  if (!Number.isSafeInteger(key.ts) || !Number.isSafeInteger(key.chunk)) throw invalidToken();
  return key;
}

const checksum = (s: string) => createHash("sha256").update(`vigil-logs-filter:${s}`).digest("hex").slice(0, 16);
