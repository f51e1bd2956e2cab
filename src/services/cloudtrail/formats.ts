/**
 * CloudTrail's S3 object names and file contents (spec cloudtrail.md §3.1, §3.2, §4.2):
 *   [P/]AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<U16>.json.gz
 *   [P/]AWSLogs/<acct>/CloudTrail-Digest/<src>/YYYY/MM/DD/<acct>_CloudTrail-Digest_<src>_<trail>_<home>_<YYYYMMDDTHHMMSSZ>.json.gz
 * Log files are one gzip member of {"Records":[...]}; digests are one gzip member of the digest JSON, whose exact
 * uncompressed bytes are hashed and signed.
 */
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { gzip as gzipCallback, gzipSync } from "node:zlib";

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** YYYY-MM-DDTHH:MM:SSZ (record, digest times). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

function parts(ms: number) {
  const d = new Date(ms);
  return {
    y: String(d.getUTCFullYear()),
    m: pad(d.getUTCMonth() + 1),
    d: pad(d.getUTCDate()),
    hh: pad(d.getUTCHours()),
    mm: pad(d.getUTCMinutes()),
    ss: pad(d.getUTCSeconds()),
  };
}

const withPrefix = (prefix: string | undefined, rest: string) => (prefix ? `${prefix}/${rest}` : rest);

const ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * The 16 `[A-Za-z0-9]` characters that make a log file name unique. Derived from `seed` (the delivery batch), so a
 * delivery redone after a crash writes the same key again rather than a second copy.
 */
export function uniqueSuffix(seed: string): string {
  const h = createHash("sha256").update(seed).digest();
  let out = "";
  for (let i = 0; i < 16; i++) out += ALPHANUM[h[i] % ALPHANUM.length];
  return out;
}

export type LogKind = "CloudTrail" | "CloudTrail-Insight";

/** A log (or Insights) file key; the time is the delivery time, to the minute. */
export function logFileKey(
  prefix: string | undefined,
  account: string,
  region: string,
  deliveryMs: number,
  unique: string,
  kind: LogKind = "CloudTrail",
): string {
  const p = parts(deliveryMs);
  return withPrefix(
    prefix,
    `AWSLogs/${account}/${kind}/${region}/${p.y}/${p.m}/${p.d}/` +
      `${account}_${kind}_${region}_${p.y}${p.m}${p.d}T${p.hh}${p.mm}Z_${unique}.json.gz`,
  );
}

/** A digest key; the time is digestEndTime, to the second. */
export function digestKey(
  prefix: string | undefined,
  account: string,
  sourceRegion: string,
  trailName: string,
  homeRegion: string,
  endMs: number,
): string {
  const p = parts(endMs);
  return withPrefix(
    prefix,
    `AWSLogs/${account}/CloudTrail-Digest/${sourceRegion}/${p.y}/${p.m}/${p.d}/` +
      `${account}_CloudTrail-Digest_${sourceRegion}_${trailName}_${homeRegion}_${p.y}${p.m}${p.d}T${p.hh}${p.mm}${p.ss}Z.json.gz`,
  );
}

/** The uncompressed bytes of a log file: {"Records":[...]} with each record's JSON as recorded. */
export function logFileBody(records: readonly string[]): Buffer {
  return Buffer.from(`{"Records":[${records.join(",")}]}`, "utf8");
}

/** One gzip member (validate-logs reads only the first member of a file). */
export const gzip = (bytes: Buffer): Buffer => gzipSync(bytes);
/** The same off the event loop (zlib's thread pool), for large log files. */
export const gzipAsync: (bytes: Buffer) => Promise<Buffer> = promisify(gzipCallback);

export interface DigestLogFile {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
  hashAlgorithm: "SHA-256";
  newestEventTime: string;
  oldestEventTime: string;
}

/** Every documented digest field, in AWS's order (spec §4.2). */
export interface DigestFile {
  awsAccountId: string;
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: "SHA256withRSA";
  newestEventTime: string | null;
  oldestEventTime: string | null;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: "SHA-256" | null;
  previousDigestSignature: string | null;
  logFiles: DigestLogFile[];
}

/** Serializes a digest once; these exact bytes are hashed, signed and gzipped. */
export function digestBody(d: DigestFile): Buffer {
  const ordered: DigestFile = {
    awsAccountId: d.awsAccountId,
    digestStartTime: d.digestStartTime,
    digestEndTime: d.digestEndTime,
    digestS3Bucket: d.digestS3Bucket,
    digestS3Object: d.digestS3Object,
    digestPublicKeyFingerprint: d.digestPublicKeyFingerprint,
    digestSignatureAlgorithm: d.digestSignatureAlgorithm,
    newestEventTime: d.newestEventTime,
    oldestEventTime: d.oldestEventTime,
    previousDigestS3Bucket: d.previousDigestS3Bucket,
    previousDigestS3Object: d.previousDigestS3Object,
    previousDigestHashValue: d.previousDigestHashValue,
    previousDigestHashAlgorithm: d.previousDigestHashAlgorithm,
    previousDigestSignature: d.previousDigestSignature,
    logFiles: d.logFiles.map((f) => ({
      s3Bucket: f.s3Bucket,
      s3Object: f.s3Object,
      hashValue: f.hashValue,
      hashAlgorithm: f.hashAlgorithm,
      newestEventTime: f.newestEventTime,
      oldestEventTime: f.oldestEventTime,
    })),
  };
  return Buffer.from(JSON.stringify(ordered), "utf8");
}
