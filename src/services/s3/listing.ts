/**
 * Object listing shared by ListObjects (v1) and ListObjectsV2: keys in ascending UTF-8 binary order after a marker,
 * within a prefix, rolled up into CommonPrefixes at the delimiter, at most MaxKeys entries (keys plus prefixes).
 * Reads in bounded batches; a rolled-up prefix is skipped in one jump, so a listing never walks a prefix's keys twice.
 */
import type { S3ObjectRecord } from "../../storage/s3-store.js";
import type { Stores } from "../../storage/types.js";

export interface ListingRequest {
  bucket: string;
  prefix: string;
  delimiter?: string;
  /** Exclusive start (Marker, StartAfter, or the continuation token's key). */
  after?: string;
  maxKeys: number;
}

export interface Listing {
  contents: S3ObjectRecord[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix returned. */
  last?: string;
}

const cmp = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
/** Greater than every key of at most 1024 bytes that starts with `p`. */
const pastPrefix = (p: string) => p + "\u{10FFFF}".repeat(256);

const BATCH = 1000;

export async function listObjects(stores: Stores, r: ListingRequest): Promise<Listing> {
  const out: Listing = { contents: [], commonPrefixes: [], isTruncated: false };
  if (r.maxKeys <= 0) return out;
  let cursor = r.after;
  let count = 0;
  for (;;) {
    const batch = await stores.s3.list(r.bucket, cursor, r.prefix || undefined, BATCH);
    if (batch.length === 0) return out;
    for (const o of batch) {
      if (!o.key.startsWith(r.prefix)) return out;
      let entry: string = o.key;
      let prefix: string | undefined;
      if (r.delimiter) {
        const i = o.key.indexOf(r.delimiter, r.prefix.length);
        if (i !== -1) prefix = entry = o.key.slice(0, i + r.delimiter.length);
      }
      // A prefix at or before the marker was returned on an earlier page.
      if (prefix !== undefined && r.after !== undefined && cmp(prefix, r.after) <= 0) {
        cursor = pastPrefix(prefix);
        break;
      }
      if (count === r.maxKeys) {
        out.isTruncated = true;
        return out;
      }
      count++;
      out.last = entry;
      if (prefix !== undefined) {
        out.commonPrefixes.push(prefix);
        cursor = pastPrefix(prefix);
        break; // re-query past the prefix
      }
      out.contents.push(o);
      cursor = o.key;
    }
  }
}

/** encoding-type=url: S3 percent-encodes keys and prefixes (botocore decodes with unquote_plus). */
export const urlEncode = (s: string | undefined, on: boolean) => (s === undefined || !on ? s : encodeURIComponent(s));
