/** PutBucketPolicy: the owner sets a policy checked as S3 checks it (MalformedPolicy); 204. */
import type { Handler } from "../../types.js";
import { authorize } from "../objects.js";
import { parseBucketPolicy } from "../policy.js";

export const PutBucketPolicy: Handler = async (input, ctx) => {
  const name = input.Bucket as string;
  await authorize(ctx, name, "s3:PutBucketPolicy", undefined, true, input.ExpectedBucketOwner);
  const text = (input.Policy as string | undefined) ?? "";
  parseBucketPolicy(text, name);
  await ctx.stores.s3.setPolicy(name, text);
  // S3 answers 204 No Content (the model declares no response code).
  return { $status: 204 };
};
