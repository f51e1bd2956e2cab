/**
 * PutLogGroupDeletionProtection: switches deletion protection (CreateLogGroup's deletionProtectionEnabled) on or off.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogGroupDeletionProtection.html
 */
import type { Handler } from "../../types.js";
import { groupNameFromIdentifier } from "../arns.js";
import { groupNotFound } from "../errors.js";

interface PutLogGroupDeletionProtectionInput {
  logGroupIdentifier: string;
  deletionProtectionEnabled: boolean;
}

export const PutLogGroupDeletionProtection: Handler = async (input: PutLogGroupDeletionProtectionInput, ctx) => {
  const name = groupNameFromIdentifier(ctx, input.logGroupIdentifier);
  const updated =
    name !== undefined &&
    (await ctx.stores.logs.updateGroup(ctx, name, () => ({ deletionProtection: input.deletionProtectionEnabled })));
  if (!updated) throw groupNotFound();
  return {};
};
