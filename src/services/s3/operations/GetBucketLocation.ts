/** GetBucketLocation: the bucket's region; empty (null) for us-east-1, as S3 answers. */
import type { Handler } from "../../types.js";
import { authorize } from "../objects.js";

export const GetBucketLocation: Handler = async (input, ctx) => {
  const b = await authorize(
    ctx,
    input.Bucket as string,
    "s3:GetBucketLocation",
    undefined,
    false,
    input.ExpectedBucketOwner,
  );
  return { LocationConstraint: b.region === "us-east-1" ? undefined : b.region };
};
