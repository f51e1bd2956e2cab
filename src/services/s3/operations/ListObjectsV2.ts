/** ListObjectsV2: ContinuationToken (opaque) / StartAfter paging, KeyCount, FetchOwner, Prefix, Delimiter, encoding-type=url. */
import type { Handler } from "../../types.js";
import { invalidArgument } from "../errors.js";
import { listObjects, urlEncode } from "../listing.js";
import { authorize, ownerOf } from "../objects.js";
import { checkEncoding, checkMaxKeys } from "./ListObjects.js";

const TOKEN_PREFIX = "v1:";

export const ListObjectsV2: Handler = async (input, ctx) => {
  const name = input.Bucket as string;
  const b = await authorize(ctx, name, "s3:ListBucket", undefined, false, input.ExpectedBucketOwner);
  const url = checkEncoding(input.EncodingType);
  const maxKeys = checkMaxKeys(input.MaxKeys);
  const prefix = (input.Prefix as string | undefined) ?? "";
  const delimiter = (input.Delimiter as string | undefined) || undefined;
  let after = (input.StartAfter as string | undefined) || undefined;
  const token = input.ContinuationToken as string | undefined;
  if (token !== undefined) {
    const text = Buffer.from(token, "base64").toString("utf8");
    if (!text.startsWith(TOKEN_PREFIX)) {
      throw invalidArgument("The continuation token provided is incorrect", "continuation-token", token);
    }
    after = text.slice(TOKEN_PREFIX.length);
  }
  const l = await listObjects(ctx.stores, { bucket: name, prefix, delimiter, after, maxKeys });
  const owner = input.FetchOwner ? ownerOf(b.account) : undefined;
  return {
    Name: name,
    Prefix: urlEncode(prefix, url),
    Delimiter: urlEncode(delimiter, url),
    MaxKeys: maxKeys,
    EncodingType: url ? "url" : undefined,
    KeyCount: l.contents.length + l.commonPrefixes.length,
    IsTruncated: l.isTruncated,
    ContinuationToken: token,
    NextContinuationToken:
      l.isTruncated && l.last !== undefined ? Buffer.from(TOKEN_PREFIX + l.last).toString("base64") : undefined,
    StartAfter: urlEncode(input.StartAfter as string | undefined, url),
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
