/**
 * CopyObject (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html): x-amz-copy-source
 * `[/]bucket/key[?versionId=..]` (URL-encoded), MetadataDirective COPY (default: source headers and metadata) or
 * REPLACE (the request's), x-amz-copy-source-if-* conditions (412), and the rule that an object cannot be copied onto
 * itself without a change. Notifications: ObjectCreated:Copy.
 */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { invalidArgument, invalidRequest, noSuchKey } from "../errors.js";
import { checkKey } from "../names.js";
import { authorize, eventSourceOf, lastModifiedOf, storeObject } from "../objects.js";
import { metaFrom } from "./PutObject.js";

function parseSource(raw: string): { bucket: string; key: string } {
  let s = raw;
  const q = s.indexOf("?");
  if (q !== -1) s = s.slice(0, q);
  try {
    s = decodeURIComponent(s);
  } catch {
    throw invalidArgument("Invalid copy source encoding", "x-amz-copy-source", raw);
  }
  if (s.startsWith("/")) s = s.slice(1);
  const slash = s.indexOf("/");
  if (slash <= 0 || slash === s.length - 1) {
    throw invalidArgument("Invalid copy source object key", "x-amz-copy-source", raw);
  }
  return { bucket: s.slice(0, slash), key: s.slice(slash + 1) };
}

const preconditionFailed = (condition: string) =>
  awsError("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412, {
    Condition: condition,
  });
const bare = (e: string) => e.trim().replace(/"/g, "");

export const CopyObject: Handler = async (input, ctx) => {
  const bucket = input.Bucket as string;
  const key = input.Key as string;
  checkKey(key);
  const src = parseSource(input.CopySource as string);
  await authorize(ctx, src.bucket, "s3:GetObject", src.key, false, input.ExpectedSourceBucketOwner);
  const dest = await authorize(ctx, bucket, "s3:PutObject", key, false, input.ExpectedBucketOwner);
  const o = await ctx.stores.s3.get(src.bucket, src.key);
  if (!o) throw noSuchKey(src.key);
  const directive = (input.MetadataDirective as string | undefined) ?? "COPY";
  if (directive !== "COPY" && directive !== "REPLACE") {
    throw invalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", directive);
  }
  const etagOk = (h: unknown) => bare(String(h)) === "*" || bare(String(h)) === bare(o.etag);
  if (input.CopySourceIfMatch !== undefined && !etagOk(input.CopySourceIfMatch)) {
    throw preconditionFailed("x-amz-copy-source-If-Match");
  }
  if (input.CopySourceIfNoneMatch !== undefined && etagOk(input.CopySourceIfNoneMatch)) {
    throw preconditionFailed("x-amz-copy-source-If-None-Match");
  }
  const ums = input.CopySourceIfUnmodifiedSince as Date | undefined;
  if (ums && o.lastModified > ums.getTime()) throw preconditionFailed("x-amz-copy-source-If-Unmodified-Since");
  const ms = input.CopySourceIfModifiedSince as Date | undefined;
  if (ms && o.lastModified <= ms.getTime()) throw preconditionFailed("x-amz-copy-source-If-Modified-Since");
  if (
    src.bucket === bucket &&
    src.key === key &&
    directive === "COPY" &&
    input.StorageClass === undefined &&
    input.WebsiteRedirectLocation === undefined &&
    input.ServerSideEncryption === undefined
  ) {
    throw invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const meta = directive === "REPLACE" ? metaFrom(input) : { ...o.meta };
  if (directive === "REPLACE" && o.meta.checksums) meta.checksums = o.meta.checksums;
  if (input.StorageClass !== undefined) meta.storageClass = input.StorageClass as string;
  const lastModified = lastModifiedOf(ctx.clock.now());
  await storeObject(
    ctx.stores,
    dest,
    { bucket, key, size: o.size, etag: o.etag, lastModified, meta, body: o.body },
    "ObjectCreated:Copy",
    eventSourceOf(ctx, "CopyObject"),
  );
  return { CopyObjectResult: { ETag: o.etag, LastModified: new Date(lastModified) }, ServerSideEncryption: "AES256" };
};
