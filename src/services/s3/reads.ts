/**
 * GetObject / HeadObject shared parts: conditional requests (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 * and RFC 7232 as S3 applies it: If-Match before If-Unmodified-Since, If-None-Match before If-Modified-Since),
 * single byte ranges (RFC 7233; several ranges are not supported by S3, which then sends the whole object), and the
 * object's headers.
 */
import { awsError } from "../../errors/index.js";
import type { S3ObjectRecord } from "../../storage/s3-store.js";
import { checksumMembers } from "./checksums.js";
import { invalidRange } from "./objects.js";

const strip = (etag: string) => etag.trim().replace(/^W\//, "").replace(/"/g, "");

function etagListMatches(header: string, etag: string): boolean {
  const want = strip(etag);
  return header.split(",").some((e) => e.trim() === "*" || strip(e) === want);
}

const preconditionFailed = (condition: string) =>
  awsError("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412, {
    Condition: condition,
  });

/** Throws 412 PreconditionFailed or 304 NotModified (no body) where the conditions say so. */
export function checkConditions(input: Record<string, unknown>, o: S3ObjectRecord): void {
  const ifMatch = input.IfMatch as string | undefined;
  const ifNoneMatch = input.IfNoneMatch as string | undefined;
  const ifModifiedSince = input.IfModifiedSince as Date | undefined;
  const ifUnmodifiedSince = input.IfUnmodifiedSince as Date | undefined;
  if (ifMatch !== undefined) {
    if (!etagListMatches(ifMatch, o.etag)) throw preconditionFailed("If-Match");
  } else if (ifUnmodifiedSince !== undefined && o.lastModified > ifUnmodifiedSince.getTime()) {
    throw preconditionFailed("If-Unmodified-Since");
  }
  if (ifNoneMatch !== undefined) {
    if (etagListMatches(ifNoneMatch, o.etag)) throw notModified();
  } else if (ifModifiedSince !== undefined && o.lastModified <= ifModifiedSince.getTime()) {
    throw notModified();
  }
}

export const notModified = () => awsError("NotModified", "Not Modified", 304);

/** A single `bytes=` range within `size`; undefined means the whole object (no range, or one S3 ignores). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  let start: number;
  let end: number;
  if (m[1] === "") {
    // Suffix range: the last n bytes.
    const n = Number(m[2]);
    if (n === 0) throw invalidRange(size, header);
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== "" && Number(m[2]) < start) return undefined; // syntactically invalid: ignored per RFC 7233
  }
  if (start >= size) throw invalidRange(size, header);
  return { start, end };
}

/** The object's headers as GetObject and HeadObject return them, with response-* overrides applied. */
export function objectHeaders(
  input: Record<string, unknown>,
  o: S3ObjectRecord,
  whole: boolean,
): Record<string, unknown> {
  const m = o.meta;
  const out: Record<string, unknown> = {
    AcceptRanges: "bytes",
    LastModified: new Date(o.lastModified),
    ETag: o.etag,
    // Objects stored without a Content-Type are served as binary/octet-stream.
    ContentType: input.ResponseContentType ?? m.contentType ?? "binary/octet-stream",
    ContentEncoding: input.ResponseContentEncoding ?? m.contentEncoding,
    ContentDisposition: input.ResponseContentDisposition ?? m.contentDisposition,
    ContentLanguage: input.ResponseContentLanguage ?? m.contentLanguage,
    CacheControl: input.ResponseCacheControl ?? m.cacheControl,
    WebsiteRedirectLocation: m.websiteRedirectLocation,
    Metadata: m.metadata,
    ServerSideEncryption: "AES256",
  };
  if (m.storageClass && m.storageClass !== "STANDARD") out.StorageClass = m.storageClass;
  const expires = input.ResponseExpires ?? (m.expires ? new Date(m.expires) : undefined);
  if (expires) out.Expires = expires;
  // Checksums describe the whole object: returned on request, never with a range.
  if (whole && input.ChecksumMode === "ENABLED") Object.assign(out, checksumMembers(m.checksums));
  return out;
}
