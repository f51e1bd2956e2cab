/**
 * DisassociateKmsKey: events ingested from now on are no longer encrypted with the group's key.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DisassociateKmsKey.html
 */
import type { Handler } from "../../types.js";
import { groupNotFound } from "../errors.js";
import { kmsTargetGroup } from "../kms-target.js";

export const DisassociateKmsKey: Handler = async (
  input: { logGroupName?: string; resourceIdentifier?: string },
  ctx,
) => {
  const name = kmsTargetGroup("DisassociateKmsKey", ctx, input);
  const updated = await ctx.stores.logs.updateGroup(ctx, name, () => ({ kmsKeyId: null }));
  if (!updated) throw groupNotFound();
  return {};
};
