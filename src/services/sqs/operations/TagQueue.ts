/**
 * TagQueue: adds tags, replacing the values of keys already there.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_TagQueue.html
 */
import type { Handler } from "../../types.js";
import { queueDoesNotExist } from "../errors.js";
import { resolveQueue } from "../queues.js";
import { checkTags } from "../tags.js";

export const TagQueue: Handler = async (input: { QueueUrl: string; Tags: Record<string, string> }, ctx) => {
  const q = await resolveQueue(ctx, input.QueueUrl);
  const updated = await ctx.stores.sqs.modifyQueue(q, q.name, ctx.clock.now(), (current) => {
    checkTags(input.Tags, current.name, current.tags);
    return { tags: { ...current.tags, ...input.Tags } };
  });
  if (!updated) throw queueDoesNotExist(ctx);
  return {};
};
