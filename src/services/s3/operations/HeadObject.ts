/** HeadObject: GetObject's headers without the body; errors are bare statuses (HEAD has no body). */
import type { Handler } from "../../types.js";
import { noSuchKey } from "../errors.js";
import { authorize } from "../objects.js";
import { checkConditions, objectHeaders, parseRange } from "../reads.js";

export const HeadObject: Handler = async (input, ctx) => {
  const bucket = input.Bucket as string;
  const key = input.Key as string;
  await authorize(ctx, bucket, "s3:GetObject", key, false, input.ExpectedBucketOwner);
  const o = await ctx.stores.s3.head(bucket, key);
  if (!o) throw noSuchKey(key);
  checkConditions(input, o);
  const range = parseRange(input.Range as string | undefined, o.size);
  const out = objectHeaders(input, o, !range);
  out.ContentLength = range ? range.end - range.start + 1 : o.size;
  if (range) {
    out.ContentRange = `bytes ${range.start}-${range.end}/${o.size}`;
    out.$status = 206;
  }
  return out;
};
