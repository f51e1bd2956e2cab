/**
 * StartMessageMoveTask: redrives a dead-letter queue's messages to a destination, or back to their source queues
 * (see move-tasks.ts). One active task per source queue.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 */
import { randomUUID } from "node:crypto";
import type { Handler } from "../../types.js";
import { invalidParameter, invalidParameterValue, resourceNotFound } from "../errors.js";
import { encodeTaskHandle, retentionCutoff } from "../move-tasks.js";
import { arnOf, queueByArn } from "../queues.js";
import { sqsRuntime } from "../runtime.js";

interface Input {
  SourceArn: string;
  DestinationArn?: string;
  MaxNumberOfMessagesPerSecond?: number;
}

export const StartMessageMoveTask: Handler = async (input: Input, ctx) => {
  const source = await queueByArn(ctx, input.SourceArn);
  if (!source) throw resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
  const rate = input.MaxNumberOfMessagesPerSecond;
  if (rate !== undefined && (rate < 1 || rate > 500))
    throw invalidParameter("MaxNumberOfMessagesPerSecond", rate, "Must be between 1 and 500.");
  const sources = await ctx.stores.sqs.deadLetterSources(source, arnOf(source), undefined, 1);
  if (sources.length === 0) throw invalidParameterValue("Source queue must be configured as a Dead Letter Queue.");
  if (input.DestinationArn !== undefined && !(await queueByArn(ctx, input.DestinationArn)))
    throw resourceNotFound("The resource that you specified for the DestinationArn parameter doesn't exist.");
  const now = ctx.clock.now();
  const counts = await ctx.stores.sqs.counts(source.id, now, retentionCutoff(source, now));
  const taskId = randomUUID();
  const started = await ctx.stores.sqs.startMoveTask({
    taskId,
    account: source.account,
    region: source.region,
    sourceArn: arnOf(source),
    destinationArn: input.DestinationArn ?? null,
    maxPerSecond: rate ?? null,
    status: "RUNNING",
    moved: 0,
    toMove: counts.visible,
    failureReason: null,
    startedAt: now,
    updatedAt: now,
  });
  if (started === "running")
    throw invalidParameterValue(
      "There is already a task running. Only one active task is allowed for a source queue arn at a given time.",
    );
  sqsRuntime(ctx.stores).moveTasksStarted();
  return { TaskHandle: encodeTaskHandle(taskId, started.sourceArn) };
};
