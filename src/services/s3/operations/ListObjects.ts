/**
 * ListObjects (v1): Marker paging (NextMarker only with a Delimiter, as S3 answers; clients use the last Key
 * otherwise), Prefix, Delimiter/CommonPrefixes, MaxKeys (at most 1000), encoding-type=url. This is what
 * `aws cloudtrail validate-logs` lists digests with.
 */
import type { Handler } from "../../types.js";
import { invalidArgument } from "../errors.js";
import { listObjects, urlEncode } from "../listing.js";
import { authorize, ownerOf } from "../objects.js";

export const ListObjects: Handler = async (input, ctx) => {
  const name = input.Bucket as string;
  const b = await authorize(ctx, name, "s3:ListBucket", undefined, false, input.ExpectedBucketOwner);
  const url = checkEncoding(input.EncodingType);
  const maxKeys = checkMaxKeys(input.MaxKeys);
  const prefix = (input.Prefix as string | undefined) ?? "";
  const marker = (input.Marker as string | undefined) ?? "";
  const delimiter = (input.Delimiter as string | undefined) || undefined;
  const l = await listObjects(ctx.stores, { bucket: name, prefix, delimiter, after: marker || undefined, maxKeys });
  const owner = ownerOf(b.account);
  return {
    Name: name,
    Prefix: urlEncode(prefix, url),
    Marker: urlEncode(marker, url),
    NextMarker: l.isTruncated && delimiter ? urlEncode(l.last, url) : undefined,
    MaxKeys: maxKeys,
    Delimiter: urlEncode(delimiter, url),
    IsTruncated: l.isTruncated,
    EncodingType: url ? "url" : undefined,
    Contents: l.contents.map((o) => ({
      Key: urlEncode(o.key, url),
      LastModified: new Date(o.lastModified),
      ETag: o.etag,
      Size: o.size,
      StorageClass: o.meta.storageClass ?? "STANDARD",
      Owner: owner,
    })),
    CommonPrefixes: l.commonPrefixes.map((p) => ({ Prefix: urlEncode(p, url) })),
  };
};

/** Only `url` is a valid encoding-type. */
export function checkEncoding(v: unknown): boolean {
  if (v === undefined) return false;
  if (v !== "url") throw invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", String(v));
  return true;
}

/** MaxKeys: negative is refused, more than 1000 is served as 1000 (S3 never returns more per page). */
export function checkMaxKeys(v: unknown): number {
  if (v === undefined) return 1000;
  const n = v as number;
  if (n < 0) {
    throw invalidArgument("Argument maxKeys must be an integer between 0 and 2147483647", "maxKeys", String(n));
  }
  return Math.min(n, 1000);
}
