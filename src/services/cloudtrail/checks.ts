/**
 * Destination checks CreateTrail/UpdateTrail make, as AWS does: the bucket exists and its policy lets
 * cloudtrail.amazonaws.com write under the trail's prefix (aws:SourceArn the trail), the SNS topic exists, and the
 * CloudWatch Logs group and role come together.
 */
import { awsError } from "../../errors/index.js";
import { internal, type Publisher } from "../internal.js";
import type { RequestContext } from "../types.js";

export const cloudTrailPublisher = (account: string, arn: string): Publisher => ({
  account,
  service: "cloudtrail.amazonaws.com",
  sourceArn: arn,
  sourceAccount: account,
});

/** S3 bucket naming rules (3-63 of [a-z0-9.-], starting and ending with a letter or digit). */
export function checkBucketName(bucket: string): void {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes("..")) {
    // Assumption: AWS's exact wording for this exception is not recorded here.
    throw awsError("InvalidS3BucketNameException", `Bucket name ${bucket} is not valid.`);
  }
}

export function checkPrefix(prefix: string | undefined): void {
  if (prefix !== undefined && prefix.length > 200) {
    throw awsError("InvalidS3PrefixException", "S3 prefix is longer than 200 characters.");
  }
}

/** The bucket must exist and allow CloudTrail to write; skipped while S3 is not installed in this server. */
export async function checkBucket(
  ctx: RequestContext,
  bucket: string,
  prefix: string | undefined,
  arn: string,
): Promise<void> {
  const canWrite = internal(ctx.stores).s3CanWrite;
  if (!canWrite) return;
  const key = `${prefix ? prefix + "/" : ""}AWSLogs/${ctx.account}/`;
  const r = await canWrite(bucket, key, cloudTrailPublisher(ctx.account, arn));
  if (r === "NoSuchBucket") throw awsError("S3BucketDoesNotExistException", `S3 bucket ${bucket} does not exist.`);
  if (r === "AccessDenied") {
    throw awsError(
      "InsufficientS3BucketPolicyException",
      `Incorrect S3 bucket policy is detected for bucket: ${bucket}`,
    );
  }
}

/** Topic name or ARN -> ARN; the topic must exist (InsufficientSnsTopicPolicyException, AWS's message). */
export async function checkTopic(ctx: RequestContext, nameOrArn: string): Promise<string> {
  const arn = nameOrArn.startsWith("arn:") ? nameOrArn : `arn:aws:sns:${ctx.region}:${ctx.account}:${nameOrArn}`;
  const sns = (ctx.stores as { sns?: { getTopic(arn: string): Promise<unknown> } }).sns;
  if (sns && !(await sns.getTopic(arn))) {
    throw awsError("InsufficientSnsTopicPolicyException", "SNS Topic does not exist or the topic policy is incorrect!");
  }
  return arn;
}

/** CloudWatch Logs group and role come together; the group ARN is a log-group ARN. */
export function checkCloudWatch(group: string | undefined, role: string | undefined): void {
  if (!group && !role) return;
  if (!group || !role) {
    throw awsError(
      "InvalidCloudWatchLogsLogGroupArnException",
      "You must specify a log group and a role ARN together.",
    );
  }
  if (!/^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[\w#/.-]+(:\*)?$/.test(group)) {
    throw awsError("InvalidCloudWatchLogsLogGroupArnException", "CloudWatch Logs log group ARN is invalid.");
  }
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(role)) {
    throw awsError("InvalidCloudWatchLogsRoleArnException", "CloudWatch Logs role ARN is invalid.");
  }
}

/** Log group ARN -> name (the ":*" suffix dropped). */
export const logGroupName = (arn: string) => arn.split(":log-group:")[1]?.replace(/:\*$/, "") ?? arn;

export function checkKmsKeyId(ctx: RequestContext, id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  if (id.startsWith("arn:")) return id;
  // Responses return the full ARN; an alias name becomes the alias ARN.
  return id.startsWith("alias/")
    ? `arn:aws:kms:${ctx.region}:${ctx.account}:${id}`
    : `arn:aws:kms:${ctx.region}:${ctx.account}:key/${id}`;
}
