/**
 * CreateLogGroup: a new, empty group; events never expire until PutRetentionPolicy.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
 */
import { awsError } from "../../../errors/index.js";
import type { LogGroupClass } from "../../../storage/logs-store.js";
import type { Handler } from "../../types.js";
import { invalidParameter } from "../errors.js";
import { checkKmsKeyArn } from "../kms.js";
import { checkTagKeys } from "../tags.js";

interface CreateLogGroupInput {
  logGroupName: string;
  kmsKeyId?: string;
  tags?: Record<string, string>;
  logGroupClass?: LogGroupClass;
  deletionProtectionEnabled?: boolean;
}

export const CreateLogGroup: Handler = async (input: CreateLogGroupInput, ctx) => {
  // "Log group names can't start with the string aws/"; AWS answers this message, for any case of "aws".
  if (input.logGroupName.toLowerCase().startsWith("aws/"))
    throw invalidParameter("Log groups starting with AWS/ are reserved for AWS.");
  if (input.tags) checkTagKeys(Object.keys(input.tags));
  if (input.kmsKeyId !== undefined) checkKmsKeyArn(input.kmsKeyId);
  const created = await ctx.stores.logs.createGroup(ctx, {
    name: input.logGroupName,
    creationTime: ctx.clock.now(),
    kmsKeyId: input.kmsKeyId,
    logGroupClass: input.logGroupClass,
    deletionProtection: input.deletionProtectionEnabled,
    tags: input.tags,
  });
  if (!created) throw awsError("ResourceAlreadyExistsException", "The specified log group already exists");
  return {};
};
