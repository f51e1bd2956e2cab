/**
 * UntagQueue: removes tags by key; keys the queue does not have are ignored (AWS-validated).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_UntagQueue.html
 */
import type { Handler } from "../../types.js";
import { queueDoesNotExist } from "../errors.js";
import { resolveQueue } from "../queues.js";

export const UntagQueue: Handler = async (input: { QueueUrl: string; TagKeys: string[] }, ctx) => {
  const q = await resolveQueue(ctx, input.QueueUrl);
  const updated = await ctx.stores.sqs.modifyQueue(q, q.name, ctx.clock.now(), (current) => {
    const tags = { ...current.tags };
    for (const k of input.TagKeys) delete tags[k];
    return { tags };
  });
  if (!updated) throw queueDoesNotExist(ctx);
  return {};
};
