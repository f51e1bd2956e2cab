/**
 * GetQueueUrl: the URL of a queue of the caller's account, or of QueueOwnerAWSAccountId's.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html
 */
import type { Handler } from "../../types.js";
import { queueDoesNotExist } from "../errors.js";
import { urlOf } from "../queues.js";

interface GetQueueUrlInput {
  QueueName: string;
  QueueOwnerAWSAccountId?: string;
}

export const GetQueueUrl: Handler = async (input: GetQueueUrlInput, ctx) => {
  const scope = { account: input.QueueOwnerAWSAccountId ?? ctx.account, region: ctx.region };
  const q = await ctx.stores.sqs.queue(scope, input.QueueName);
  if (!q) throw queueDoesNotExist(ctx);
  return { QueueUrl: urlOf(ctx, q) };
};
