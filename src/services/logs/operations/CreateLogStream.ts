/**
 * CreateLogStream: a new, empty stream in an existing group.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html
 */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { groupNotFound } from "../errors.js";

export const CreateLogStream: Handler = async (input: { logGroupName: string; logStreamName: string }, ctx) => {
  const r = await ctx.stores.logs.createStream(ctx, input.logGroupName, input.logStreamName, ctx.clock.now());
  if (r.status === "noGroup") throw groupNotFound();
  if (r.status === "exists")
    throw awsError("ResourceAlreadyExistsException", "The specified log stream already exists");
  return {};
};
