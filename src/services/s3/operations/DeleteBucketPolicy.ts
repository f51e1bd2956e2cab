/** DeleteBucketPolicy: removes the policy (204 whether or not there was one). */
import type { Handler } from "../../types.js";
import { authorize } from "../objects.js";

export const DeleteBucketPolicy: Handler = async (input, ctx) => {
  const name = input.Bucket as string;
  await authorize(ctx, name, "s3:DeleteBucketPolicy", undefined, true, input.ExpectedBucketOwner);
  await ctx.stores.s3.setPolicy(name, null);
  return {};
};
