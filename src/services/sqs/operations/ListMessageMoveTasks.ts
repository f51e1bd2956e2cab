/**
 * ListMessageMoveTasks: the most recent tasks of a source queue, newest first (MaxResults 1 to 10, default 1).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListMessageMoveTasks.html
 */
import type { Handler } from "../../types.js";
import { invalidParameter, resourceNotFound } from "../errors.js";
import { describeTask } from "../move-tasks.js";
import { arnOf, queueByArn } from "../queues.js";

export const ListMessageMoveTasks: Handler = async (input: { SourceArn: string; MaxResults?: number }, ctx) => {
  const max = input.MaxResults ?? 1;
  if (max < 1 || max > 10) throw invalidParameter("MaxResults", max, "Must be between 1 and 10, if provided.");
  const source = await queueByArn(ctx, input.SourceArn);
  if (!source) throw resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
  const tasks = await ctx.stores.sqs.moveTasks(source, arnOf(source), max);
  return tasks.length ? { Results: tasks.map(describeTask) } : {};
};
