/**
 * ListQueueTags: the queue's tags; no Tags member when it has none (recorded).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueueTags.html
 */
import type { Handler } from "../../types.js";
import { resolveQueue } from "../queues.js";

export const ListQueueTags: Handler = async (input: { QueueUrl: string }, ctx) => {
  const q = await resolveQueue(ctx, input.QueueUrl);
  return Object.keys(q.tags).length ? { Tags: q.tags } : {};
};
