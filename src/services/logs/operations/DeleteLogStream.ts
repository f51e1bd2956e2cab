/**
 * DeleteLogStream: the stream and all its events (log_chunks cascade), unless its group has deletion protection on.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogStream.html
 */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { groupNotFound, streamNotFound } from "../errors.js";

export const DeleteLogStream: Handler = async (input: { logGroupName: string; logStreamName: string }, ctx) => {
  const r = await ctx.stores.logs.deleteStream(ctx, input.logGroupName, input.logStreamName);
  if (r === "noGroup") throw groupNotFound();
  if (r === "noStream") throw streamNotFound();
  // Deletion protection "blocks all deletion operations"; AWS documents the message for the group only.
  if (r === "protected")
    throw awsError(
      "ValidationException",
      "Cannot delete log stream in a log group with deletion protection enabled. Disable deletion protection first.",
    );
  return {};
};
