/**
 * UpdateTrail: changes a trail's destination and options from its home region; takes effect for the next delivery.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_UpdateTrail.html
 */
import type { Handler } from "../../types.js";
import { checkBucket, checkBucketName, checkKmsKeyId, checkPrefix, checkTopic } from "../checks.js";
import { readState, withTrailLock } from "../state.js";
import { createOutput, findTrail } from "../trail.js";
import { checkCombination, type TrailInput } from "./CreateTrail.js";

export const UpdateTrail: Handler = async (input: Omit<TrailInput, "TagsList">, ctx) => {
  const t = await findTrail(input.Name, ctx, true);
  const c = { ...t.cfg };
  if (input.S3BucketName !== undefined) {
    checkBucketName(input.S3BucketName);
    c.S3BucketName = input.S3BucketName;
  }
  if (input.S3KeyPrefix !== undefined) {
    checkPrefix(input.S3KeyPrefix);
    c.S3KeyPrefix = input.S3KeyPrefix.replace(/\/+$/, "") || undefined;
  }
  if (input.SnsTopicName !== undefined) {
    c.SnsTopicARN = input.SnsTopicName === "" ? undefined : await checkTopic(ctx, input.SnsTopicName);
  }
  if (input.IncludeGlobalServiceEvents !== undefined) c.IncludeGlobalServiceEvents = input.IncludeGlobalServiceEvents;
  if (input.IsMultiRegionTrail !== undefined) c.IsMultiRegionTrail = input.IsMultiRegionTrail;
  const enabling = input.EnableLogFileValidation === true && !c.LogFileValidationEnabled;
  if (input.EnableLogFileValidation !== undefined) c.LogFileValidationEnabled = input.EnableLogFileValidation;
  if (input.CloudWatchLogsLogGroupArn !== undefined)
    c.CloudWatchLogsLogGroupArn = input.CloudWatchLogsLogGroupArn || undefined;
  if (input.CloudWatchLogsRoleArn !== undefined) c.CloudWatchLogsRoleArn = input.CloudWatchLogsRoleArn || undefined;
  if (input.KmsKeyId !== undefined) c.KmsKeyId = input.KmsKeyId === "" ? undefined : checkKmsKeyId(ctx, input.KmsKeyId);
  if (input.IsOrganizationTrail !== undefined) c.IsOrganizationTrail = input.IsOrganizationTrail;
  checkCombination(c);
  if (input.S3BucketName !== undefined || input.S3KeyPrefix !== undefined) {
    await checkBucket(ctx, c.S3BucketName, c.S3KeyPrefix, t.arn);
  }
  await withTrailLock(ctx.stores, t.arn, async () => {
    await ctx.stores.trails.updateConfig(t.arn, JSON.stringify(c), c.IsMultiRegionTrail);
    if (enabling) {
      // Enabling validation starts a new digest chain (spec §4.6).
      const { logging, state } = await readState(ctx.stores, t.arn);
      state.chains = {};
      if (logging) state.digestFrom = ctx.clock.now();
      await ctx.stores.trails.putState(t.arn, logging, JSON.stringify(state));
    }
  });
  return createOutput({ ...t, multiRegion: c.IsMultiRegionTrail, cfg: c });
};
