/** GetObject: the stored bytes and headers; conditional requests (304/412) and single ranges (206, 416 InvalidRange). */
import type { Handler } from "../../types.js";
import { noSuchKey } from "../errors.js";
import { authorize } from "../objects.js";
import { checkConditions, objectHeaders, parseRange } from "../reads.js";

export const GetObject: Handler = async (input, ctx) => {
  const bucket = input.Bucket as string;
  const key = input.Key as string;
  await authorize(ctx, bucket, "s3:GetObject", key, false, input.ExpectedBucketOwner);
  const head = await ctx.stores.s3.head(bucket, key);
  if (!head) throw noSuchKey(key);
  checkConditions(input, head);
  const range = parseRange(input.Range as string | undefined, head.size);
  const o = await ctx.stores.s3.get(
    bucket,
    key,
    range ? { start: range.start, length: range.end - range.start + 1 } : undefined,
  );
  if (!o) throw noSuchKey(key);
  const out = objectHeaders(input, o, !range);
  out.Body = o.body;
  out.ContentLength = o.body.length;
  if (range) {
    out.ContentRange = `bytes ${range.start}-${range.end}/${o.size}`;
    out.$status = 206;
  }
  return out;
};
