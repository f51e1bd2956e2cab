/**
 * PutObject: stores the bytes with their headers and user metadata (names lower-case), after verifying Content-MD5
 * and x-amz-checksum-*; ETag is the quoted MD5 hex. If-None-Match: * / If-Match make it conditional (412).
 * Objects are capped by the gateway's body cap (--max-object-bytes, default 64 MiB; AWS's single PUT limit is 5 GB).
 */
import { awsError } from "../../../errors/index.js";
import type { S3ObjectMeta } from "../../../storage/s3-store.js";
import type { Handler } from "../../types.js";
import { checksumMembers, md5Hex, verifyUpload } from "../checksums.js";
import { noSuchKey } from "../errors.js";
import { checkKey } from "../names.js";
import { authorize, eventSourceOf, lastModifiedOf, storeObject } from "../objects.js";

/** The headers an upload sets on the object (PutObject, CopyObject with REPLACE). */
export function metaFrom(input: Record<string, unknown>): S3ObjectMeta {
  const meta: S3ObjectMeta = { metadata: {} };
  for (const [k, v] of Object.entries((input.Metadata as Record<string, string> | undefined) ?? {})) {
    meta.metadata[k.toLowerCase()] = v;
  }
  if (input.ContentType !== undefined) meta.contentType = input.ContentType as string;
  if (input.ContentEncoding !== undefined) meta.contentEncoding = input.ContentEncoding as string;
  if (input.ContentDisposition !== undefined) meta.contentDisposition = input.ContentDisposition as string;
  if (input.ContentLanguage !== undefined) meta.contentLanguage = input.ContentLanguage as string;
  if (input.CacheControl !== undefined) meta.cacheControl = input.CacheControl as string;
  if (input.Expires instanceof Date) meta.expires = input.Expires.toUTCString();
  if (input.WebsiteRedirectLocation !== undefined)
    meta.websiteRedirectLocation = input.WebsiteRedirectLocation as string;
  if (input.StorageClass !== undefined) meta.storageClass = input.StorageClass as string;
  return meta;
}

export const PutObject: Handler = async (input, ctx) => {
  const bucket = input.Bucket as string;
  const key = input.Key as string;
  checkKey(key);
  const b = await authorize(ctx, bucket, "s3:PutObject", key, false, input.ExpectedBucketOwner);
  const body = (input.Body as Buffer | undefined) ?? Buffer.alloc(0);
  const checksums = verifyUpload(input, body);
  if (input.IfNoneMatch !== undefined || input.IfMatch !== undefined) {
    const existing = await ctx.stores.s3.head(bucket, key);
    if (input.IfNoneMatch !== undefined) {
      if (input.IfNoneMatch !== "*")
        throw awsError("NotImplemented", "A header you provided implies functionality that is not implemented", 501, {
          Header: "If-None-Match",
        });
      if (existing) {
        throw awsError("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412, {
          Condition: "If-None-Match",
        });
      }
    }
    if (input.IfMatch !== undefined) {
      if (!existing) throw noSuchKey(key);
      if ((input.IfMatch as string).replace(/"/g, "") !== existing.etag.replace(/"/g, "")) {
        throw awsError("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412, {
          Condition: "If-Match",
        });
      }
    }
  }
  const meta = metaFrom(input);
  if (Object.keys(checksums).length) meta.checksums = checksums;
  const etag = `"${md5Hex(body)}"`;
  await storeObject(
    ctx.stores,
    b,
    { bucket, key, size: body.length, etag, lastModified: lastModifiedOf(ctx.clock.now()), meta, body },
    "ObjectCreated:Put",
    eventSourceOf(ctx, "PutObject"),
  );
  return { ETag: etag, ServerSideEncryption: "AES256", ...checksumMembers(checksums) };
};
