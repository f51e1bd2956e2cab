/**
 * DeleteLogGroup: the group, its streams and all their events (log_chunks cascade), unless deletion protection is on.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogGroup.html
 */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { groupNotFound } from "../errors.js";

/** Documented in "Protecting log groups from deletion" (CloudWatch Logs User Guide). */
export const deletionProtected = () =>
  awsError(
    "ValidationException",
    "Cannot delete log group with deletion protection enabled. Disable deletion protection first.",
  );

export const DeleteLogGroup: Handler = async (input: { logGroupName: string }, ctx) => {
  const result = await ctx.stores.logs.deleteGroup(ctx, input.logGroupName);
  if (result === "notFound") throw groupNotFound();
  if (result === "protected") throw deletionProtected();
  return {};
};
