/**
 * ListQueues: the caller's queues in the region, by name, optionally with a name prefix; pages of MaxResults.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html
 */
import type { Handler } from "../../types.js";
import { nextTokenAfter, pageOf } from "../pagination.js";
import { scopeOf, urlOf } from "../queues.js";

interface ListQueuesInput {
  QueueNamePrefix?: string;
  NextToken?: string;
  MaxResults?: number;
}

export const ListQueues: Handler = async (input: ListQueuesInput, ctx) => {
  const page = pageOf(input.MaxResults, input.NextToken);
  const queues = await ctx.stores.sqs.queues(scopeOf(ctx), {
    prefix: input.QueueNamePrefix || undefined,
    after: page.after,
    limit: page.limit + 1,
  });
  const more = queues.length > page.limit;
  const shown = queues.slice(0, page.limit);
  return {
    QueueUrls: shown.length ? shown.map((q) => urlOf(ctx, q)) : undefined,
    NextToken: more && page.paged ? nextTokenAfter(shown[shown.length - 1]!.name) : undefined,
  };
};
