/**
 * PurgeQueue: deletes every message sent before the call (in flight and delayed ones too) and the FIFO deduplication
 * records; once per 60 seconds per queue (PurgeQueueInProgress, 403, recorded).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html
 */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { queueDoesNotExist } from "../errors.js";
import { resolveQueue } from "../queues.js";

const PURGE_INTERVAL_MS = 60_000;

export const PurgeQueue: Handler = async (input: { QueueUrl: string }, ctx) => {
  const q = await resolveQueue(ctx, input.QueueUrl);
  const r = await ctx.stores.sqs.purge(q.id, ctx.clock.now(), PURGE_INTERVAL_MS);
  if (r === "gone") throw queueDoesNotExist(ctx);
  if (r === "inProgress")
    throw awsError(
      "PurgeQueueInProgress",
      `Only one PurgeQueue operation on ${q.name} is allowed every 60 seconds.`,
      403,
    );
  return {};
};
