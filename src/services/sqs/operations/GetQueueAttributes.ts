/**
 * GetQueueAttributes: the attributes asked for (`All` for every one), with the approximate message counts computed
 * from the messages at the time of the call.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
 */
import type { Handler } from "../../types.js";
import { describeAttributes, needsCounts, requestedAttributes } from "../attributes.js";
import { retentionCutoff } from "../move-tasks.js";
import { resolveQueue } from "../queues.js";

export const GetQueueAttributes: Handler = async (input: { QueueUrl: string; AttributeNames?: string[] }, ctx) => {
  const q = await resolveQueue(ctx, input.QueueUrl);
  const requested = requestedAttributes(input.AttributeNames);
  const now = ctx.clock.now();
  const counts = needsCounts(requested) ? await ctx.stores.sqs.counts(q.id, now, retentionCutoff(q, now)) : undefined;
  const attributes = describeAttributes(q, requested, counts);
  return Object.keys(attributes).length ? { Attributes: attributes } : {};
};
