/** ListBuckets: the caller's buckets by name, with Prefix, BucketRegion and MaxBuckets / ContinuationToken paging. */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { accessDenied } from "../errors.js";
import { isAnonymous, ownerOf } from "../objects.js";

export const ListBuckets: Handler = async (input, ctx) => {
  if (isAnonymous(ctx)) throw accessDenied();
  const prefix = (input.Prefix as string | undefined) ?? "";
  const max = input.MaxBuckets as number | undefined;
  if (max !== undefined && (max < 1 || max > 10000)) {
    throw awsError("InvalidArgument", "Argument max-buckets must be an integer between 1 and 10000", 400, {
      ArgumentName: "max-buckets",
      ArgumentValue: String(max),
    });
  }
  const after = input.ContinuationToken ? Buffer.from(input.ContinuationToken as string, "base64url").toString() : "";
  let buckets = (await ctx.stores.s3.listBuckets(ctx.account)).filter(
    (b) =>
      b.name.startsWith(prefix) &&
      b.name > after &&
      (input.BucketRegion === undefined || b.region === input.BucketRegion),
  );
  let token: string | undefined;
  if (max !== undefined && buckets.length > max) {
    buckets = buckets.slice(0, max);
    token = Buffer.from(buckets[max - 1]!.name).toString("base64url");
  }
  return {
    Buckets: buckets.map((b) => ({ Name: b.name, CreationDate: new Date(b.createdAt), BucketRegion: b.region })),
    Owner: ownerOf(ctx.account),
    ContinuationToken: token,
    Prefix: input.Prefix,
  };
};
