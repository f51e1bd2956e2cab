/**
 * DeleteObjects: up to 1000 keys from an XML body (the body's Content-MD5 or x-amz-checksum-* is required and
 * checked before decoding, see prepare.ts); each key is reported Deleted (also when it did not exist) or in Errors;
 * Quiet leaves out the successes.
 */
import { isAwsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { malformedXml, noSuchBucket } from "../errors.js";
import { authorize, eventSourceOf, removeObject } from "../objects.js";
import { MAX_KEY_BYTES } from "../names.js";

export const DeleteObjects: Handler = async (input, ctx) => {
  const name = input.Bucket as string;
  const del = input.Delete as { Objects?: { Key: string; VersionId?: string }[]; Quiet?: boolean } | undefined;
  const objects = del?.Objects ?? [];
  if (objects.length === 0 || objects.length > 1000) throw malformedXml();
  const b = await ctx.stores.s3.bucket(name);
  if (!b) throw noSuchBucket(name);
  const Deleted: { Key: string; VersionId?: string }[] = [];
  const Errors: { Key: string; Code: string; Message: string; VersionId?: string }[] = [];
  const src = eventSourceOf(ctx, "DeleteObjects");
  for (const o of objects) {
    if (Buffer.byteLength(o.Key, "utf8") > MAX_KEY_BYTES) {
      Errors.push({ Key: o.Key, Code: "KeyTooLongError", Message: "Your key is too long" });
      continue;
    }
    try {
      await authorize(ctx, name, "s3:DeleteObject", o.Key, false, input.ExpectedBucketOwner);
      await removeObject(ctx.stores, b, o.Key, ctx.clock.now(), src);
      if (!del?.Quiet) Deleted.push({ Key: o.Key, ...(o.VersionId ? { VersionId: o.VersionId } : {}) });
    } catch (e) {
      if (!isAwsError(e)) throw e;
      Errors.push({ Key: o.Key, Code: e.code, Message: e.message });
    }
  }
  return { Deleted, Errors };
};
