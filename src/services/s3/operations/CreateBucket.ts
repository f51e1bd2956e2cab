/**
 * CreateBucket (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html): name rules, the
 * LocationConstraint rules of each endpoint (us-east-1 takes none, or another region; other endpoints must name
 * their own region), and the global namespace: BucketAlreadyOwnedByYou (409), except in us-east-1 where re-creating
 * one's own bucket answers 200 for legacy compatibility, and BucketAlreadyExists (409) for another account's.
 */
import { awsError } from "../../../errors/index.js";
import { isKnownRegion } from "../../../runtime/regions.js";
import type { Handler } from "../../types.js";
import { accessDenied } from "../errors.js";
import { isAnonymous } from "../objects.js";
import { checkBucketName } from "../names.js";

const incompatible = (lc: string | undefined) =>
  awsError(
    "IllegalLocationConstraintException",
    `The ${lc === undefined ? "unspecified" : lc} location constraint is incompatible for the region specific endpoint this request was sent to.`,
  );
const invalidConstraint = (lc: string) =>
  awsError("InvalidLocationConstraint", "The specified location-constraint is not valid", 400, {
    LocationConstraint: lc,
  });

/** The region a bucket is created in, from the endpoint region and the request's LocationConstraint. */
export function bucketRegion(endpointRegion: string, lc: string | undefined): string {
  if (lc === "") lc = undefined;
  // "EU" is the legacy name of eu-west-1 (BucketLocationConstraint enum).
  const named = lc === "EU" ? "eu-west-1" : lc;
  if (named !== undefined && (named === "us-east-1" || !isKnownRegion(named))) throw invalidConstraint(lc!);
  if (endpointRegion === "us-east-1") return named ?? "us-east-1";
  if (named !== endpointRegion) throw incompatible(lc);
  return named;
}

export const CreateBucket: Handler = async (input, ctx) => {
  if (isAnonymous(ctx)) throw accessDenied();
  const name = input.Bucket as string;
  checkBucketName(name);
  const cfg = input.CreateBucketConfiguration as { LocationConstraint?: string } | undefined;
  const region = bucketRegion(ctx.region, cfg?.LocationConstraint);
  const res = await ctx.stores.s3.createBucket({ name, account: ctx.account, region, createdAt: ctx.clock.now() });
  if (!res.created) {
    if (res.existing.account !== ctx.account) {
      throw awsError(
        "BucketAlreadyExists",
        "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
        409,
        { BucketName: name },
      );
    }
    if (ctx.region !== "us-east-1" || res.existing.region !== "us-east-1") {
      throw awsError(
        "BucketAlreadyOwnedByYou",
        "Your previous request to create the named bucket succeeded and you already own it.",
        409,
        { BucketName: name },
      );
    }
  }
  return {
    Location: region === "us-east-1" ? `/${name}` : `http://${name}.s3.amazonaws.com/`,
    BucketArn: `arn:aws:s3:::${name}`,
  };
};
