/** DeleteBucket: the owner only, and only once the bucket is empty (BucketNotEmpty, 409). */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { authorize } from "../objects.js";

export const DeleteBucket: Handler = async (input, ctx) => {
  const name = input.Bucket as string;
  await authorize(ctx, name, "s3:DeleteBucket", undefined, true, input.ExpectedBucketOwner);
  if (!(await ctx.stores.s3.deleteBucket(name))) {
    throw awsError("BucketNotEmpty", "The bucket you tried to delete is not empty", 409, { BucketName: name });
  }
  return {};
};
