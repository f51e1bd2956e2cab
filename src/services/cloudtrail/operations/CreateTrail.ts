/**
 * CreateTrail: a trail in the caller's region (its home), not logging until StartLogging.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
 */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { checkBucket, checkBucketName, checkCloudWatch, checkKmsKeyId, checkPrefix, checkTopic } from "../checks.js";
import { initialState } from "../state.js";
import { checkTrailName, createOutput, parseConfig, trailArn, type Tag, type TrailConfig } from "../trail.js";

/** AWS allows 5 trails per region per account. */
const MAX_TRAILS_PER_REGION = 5;

export interface TrailInput {
  Name: string;
  S3BucketName?: string;
  S3KeyPrefix?: string;
  SnsTopicName?: string;
  IncludeGlobalServiceEvents?: boolean;
  IsMultiRegionTrail?: boolean;
  EnableLogFileValidation?: boolean;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  KmsKeyId?: string;
  IsOrganizationTrail?: boolean;
  TagsList?: Tag[];
}

/** The rules Create and Update share, applied to the resulting configuration. */
export function checkCombination(c: TrailConfig): void {
  if (c.IsMultiRegionTrail && !c.IncludeGlobalServiceEvents) {
    throw awsError("InvalidParameterCombinationException", "Multi-Region trail must include global service events.");
  }
  checkCloudWatch(c.CloudWatchLogsLogGroupArn, c.CloudWatchLogsRoleArn);
}

export const CreateTrail: Handler = async (input: TrailInput, ctx) => {
  checkTrailName(input.Name);
  const bucket = input.S3BucketName ?? "";
  checkBucketName(bucket);
  const prefix = input.S3KeyPrefix?.replace(/\/+$/, "") || undefined;
  checkPrefix(input.S3KeyPrefix);
  const arn = trailArn(ctx.region, ctx.account, input.Name);
  const existing = await ctx.stores.trails.listAccount(ctx.account);
  if (existing.some((t) => t.arn === arn)) {
    throw awsError("TrailAlreadyExistsException", `Trail ${input.Name} already exists for customer: ${ctx.account}`);
  }
  if (existing.filter((t) => t.region === ctx.region).length >= MAX_TRAILS_PER_REGION) {
    throw awsError(
      "MaximumNumberOfTrailsExceededException",
      `User: ${ctx.account} already has ${MAX_TRAILS_PER_REGION} trails in ${ctx.region}.`,
    );
  }
  const tags = input.TagsList ?? [];
  if (tags.length > 200)
    throw awsError(
      "TagsLimitExceededException",
      "The number of tags per trail has exceeded the permitted amount. Currently, the limit is 200.",
    );
  const cfg: TrailConfig = {
    S3BucketName: bucket,
    S3KeyPrefix: prefix,
    IncludeGlobalServiceEvents: input.IncludeGlobalServiceEvents ?? true,
    IsMultiRegionTrail: input.IsMultiRegionTrail ?? false,
    LogFileValidationEnabled: input.EnableLogFileValidation ?? false,
    CloudWatchLogsLogGroupArn: input.CloudWatchLogsLogGroupArn,
    CloudWatchLogsRoleArn: input.CloudWatchLogsRoleArn,
    KmsKeyId: checkKmsKeyId(ctx, input.KmsKeyId),
    IsOrganizationTrail: input.IsOrganizationTrail ?? false,
    Tags: tags,
  };
  checkCombination(cfg);
  if (input.SnsTopicName !== undefined) cfg.SnsTopicARN = await checkTopic(ctx, input.SnsTopicName);
  await checkBucket(ctx, bucket, prefix, arn);
  const stored = {
    arn,
    account: ctx.account,
    region: ctx.region,
    name: input.Name,
    multiRegion: cfg.IsMultiRegionTrail,
    config: JSON.stringify(cfg),
    createdAt: ctx.clock.now(),
  };
  if (!(await ctx.stores.trails.create(stored, JSON.stringify(initialState())))) {
    throw awsError("TrailAlreadyExistsException", `Trail ${input.Name} already exists for customer: ${ctx.account}`);
  }
  return createOutput(parseConfig(stored));
};
