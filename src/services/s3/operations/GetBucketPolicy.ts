/** GetBucketPolicy: the stored text, or NoSuchBucketPolicy (404). */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { authorize } from "../objects.js";

export const GetBucketPolicy: Handler = async (input, ctx) => {
  const name = input.Bucket as string;
  const b = await authorize(ctx, name, "s3:GetBucketPolicy", undefined, true, input.ExpectedBucketOwner);
  if (!b.policy) {
    throw awsError("NoSuchBucketPolicy", "The bucket policy does not exist", 404, { BucketName: name });
  }
  return { Policy: b.policy };
};
