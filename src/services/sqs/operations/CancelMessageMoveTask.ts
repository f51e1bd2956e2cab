/**
 * CancelMessageMoveTask: stops a running task; the messages already moved stay moved (recorded answers).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CancelMessageMoveTask.html
 */
import type { Handler } from "../../types.js";
import { invalidParameterValue, resourceNotFound } from "../errors.js";
import { decodeTaskHandle } from "../move-tasks.js";
import { queueByArn } from "../queues.js";

export const CancelMessageMoveTask: Handler = async (input: { TaskHandle: string }, ctx) => {
  const handle = decodeTaskHandle(input.TaskHandle);
  if (!handle) throw invalidParameterValue("Value for parameter TaskHandle is invalid.");
  if (!(await queueByArn(ctx, handle.sourceArn)))
    throw resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
  const task = await ctx.stores.sqs.moveTask(handle.taskId);
  if (!task || task.sourceArn !== handle.sourceArn) throw resourceNotFound("Task does not exist.");
  if (task.status !== "RUNNING") throw invalidParameterValue(`Task ${task.taskId} is not running (${task.status}).`);
  const cancelled = await ctx.stores.sqs.cancelMoveTask(task.taskId, ctx.clock.now());
  return { ApproximateNumberOfMessagesMoved: cancelled?.moved ?? task.moved };
};
