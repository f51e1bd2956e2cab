/**
 * DeleteQueue: the queue and its messages; its name can be used again after 60 seconds.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteQueue.html
 */
import type { Handler } from "../../types.js";
import { queueDoesNotExist } from "../errors.js";
import { resolveQueue } from "../queues.js";
import { sqsRuntime } from "../runtime.js";

export const DeleteQueue: Handler = async (input: { QueueUrl: string }, ctx) => {
  const q = await resolveQueue(ctx, input.QueueUrl);
  if (!(await ctx.stores.sqs.deleteQueue(q, q.name, ctx.clock.now()))) throw queueDoesNotExist(ctx);
  sqsRuntime(ctx.stores).waiters.notify(q.id);
  return {};
};
