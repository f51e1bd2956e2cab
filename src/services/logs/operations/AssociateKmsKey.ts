/**
 * AssociateKmsKey: events ingested from now on are encrypted with the key (recorded as the group's kmsKeyId).
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_AssociateKmsKey.html
 */
import type { Handler } from "../../types.js";
import { groupNotFound } from "../errors.js";
import { checkKmsKeyArn } from "../kms.js";
import { kmsTargetGroup } from "../kms-target.js";

interface AssociateKmsKeyInput {
  logGroupName?: string;
  kmsKeyId: string;
  resourceIdentifier?: string;
}

export const AssociateKmsKey: Handler = async (input: AssociateKmsKeyInput, ctx) => {
  const name = kmsTargetGroup("AssociateKmsKey", ctx, input);
  checkKmsKeyArn(input.kmsKeyId);
  const updated = await ctx.stores.logs.updateGroup(ctx, name, () => ({ kmsKeyId: input.kmsKeyId }));
  if (!updated) throw groupNotFound();
  return {};
};
