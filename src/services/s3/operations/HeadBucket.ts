/** HeadBucket: 200 with the bucket's region, 404 / 403 without a body (HEAD). */
import type { Handler } from "../../types.js";
import { authorize } from "../objects.js";

export const HeadBucket: Handler = async (input, ctx) => {
  const b = await authorize(ctx, input.Bucket as string, "s3:ListBucket", undefined, false, input.ExpectedBucketOwner);
  return { BucketRegion: b.region, AccessPointAlias: false };
};
