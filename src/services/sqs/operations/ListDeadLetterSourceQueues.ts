/**
 * ListDeadLetterSourceQueues: the queues whose RedrivePolicy names this queue as their dead-letter queue.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListDeadLetterSourceQueues.html
 */
import type { Handler } from "../../types.js";
import { nextTokenAfter, pageOf } from "../pagination.js";
import { arnOf, resolveQueue, urlOf } from "../queues.js";

interface Input {
  QueueUrl: string;
  NextToken?: string;
  MaxResults?: number;
}

export const ListDeadLetterSourceQueues: Handler = async (input: Input, ctx) => {
  const q = await resolveQueue(ctx, input.QueueUrl);
  const page = pageOf(input.MaxResults, input.NextToken);
  const sources = await ctx.stores.sqs.deadLetterSources(q, arnOf(q), page.after, page.limit + 1);
  const shown = sources.slice(0, page.limit);
  return {
    queueUrls: shown.map((s) => urlOf(ctx, s)),
    NextToken: sources.length > page.limit && page.paged ? nextTokenAfter(shown[shown.length - 1]!.name) : undefined,
  };
};
