/**
 * Message move tasks (dead-letter queue redrive): StartMessageMoveTask records a task; a job on the scheduler moves
 * the source's available messages each second, at most MaxNumberOfMessagesPerSecond of them (500 without a limit),
 * to the destination or, without one, back to the queue each message was dead-lettered from.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 * A task handle is base64 of `{"taskId":...,"sourceArn":...}`, the form AWS accepts back (LocalStack's AWS-validated
 * move-task tests build handles that way).
 */
import type { Logger } from "pino";
import type { Clock } from "../../runtime/clock.js";
import type { MovePlan, MoveTaskRecord, QueueRecord } from "../../storage/sqs-store.js";
import type { Stores } from "../../storage/types.js";
import { settingsOf } from "./attributes.js";
import { parseQueueArn } from "./urls.js";
import type { WaitHub } from "./waiters.js";

export const DEFAULT_MOVES_PER_SECOND = 500;
export const NON_EXISTENT_QUEUE = "AWS.SimpleQueueService.NonExistentQueue";

export function encodeTaskHandle(taskId: string, sourceArn: string): string {
  return Buffer.from(JSON.stringify({ taskId, sourceArn }), "utf8").toString("base64");
}

export function decodeTaskHandle(handle: string): { taskId: string; sourceArn: string } | undefined {
  try {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(handle)) return undefined;
    const doc = JSON.parse(Buffer.from(handle, "base64").toString("utf8")) as Record<string, unknown>;
    if (typeof doc.taskId !== "string" || typeof doc.sourceArn !== "string") return undefined;
    return { taskId: doc.taskId, sourceArn: doc.sourceArn };
  } catch {
    return undefined;
  }
}

/** ListMessageMoveTasks' entry: the handle only while the task runs (recorded). */
export function describeTask(t: MoveTaskRecord): Record<string, unknown> {
  return {
    TaskHandle: t.status === "RUNNING" ? encodeTaskHandle(t.taskId, t.sourceArn) : undefined,
    Status: t.status,
    SourceArn: t.sourceArn,
    DestinationArn: t.destinationArn ?? undefined,
    MaxNumberOfMessagesPerSecond: t.maxPerSecond ?? undefined,
    ApproximateNumberOfMessagesMoved: t.moved,
    ApproximateNumberOfMessagesToMove: t.toMove,
    FailureReason: t.failureReason ?? undefined,
    StartedTimestamp: t.startedAt,
  };
}

export const retentionCutoff = (q: QueueRecord, now: number): number => now - settingsOf(q).retentionSeconds * 1000;

interface Deps {
  stores: Stores;
  clock: Clock;
  log: Logger;
  waiters: WaitHub;
}

/** One second of every active task; resolves with whether any is still active. */
export async function runMoveTasks(deps: Deps, now: number): Promise<boolean> {
  const tasks = await deps.stores.sqs.activeMoveTasks();
  for (const t of tasks) {
    try {
      await step(deps, t, now);
    } catch (err) {
      deps.log.error({ err, task: t.taskId }, "sqs move task step failed");
    }
  }
  if (tasks.length === 0) return false;
  return (await deps.stores.sqs.activeMoveTasks()).length > 0;
}

async function step(deps: Deps, t: MoveTaskRecord, now: number): Promise<void> {
  const sqs = deps.stores.sqs;
  const finish = (status: "COMPLETED" | "CANCELLED" | "FAILED", failureReason?: string) =>
    sqs.updateMoveTask(t.taskId, { status, failureReason }, now);
  if (t.status === "CANCELLING") return finish("CANCELLED");
  const queues = new Map<string, QueueRecord | undefined>();
  const byArn = async (arn: string) => {
    if (!queues.has(arn)) {
      const ref = parseQueueArn(arn);
      queues.set(arn, ref && (await sqs.queue(ref, ref.name)));
    }
    return queues.get(arn);
  };
  const source = await byArn(t.sourceArn);
  if (!source) return finish("FAILED", NON_EXISTENT_QUEUE);
  const remaining = t.toMove - t.moved;
  if (remaining <= 0) return finish("COMPLETED");
  const limit = Math.min(t.maxPerSecond ?? DEFAULT_MOVES_PER_SECOND, remaining);
  const messages = await sqs.peekAvailable(source.id, now, retentionCutoff(source, now), limit);
  if (messages.length === 0) return finish("COMPLETED");
  const plans: MovePlan[] = [];
  for (const m of messages) {
    const arn = t.destinationArn ?? m.dlqSourceArn;
    const to = arn ? await byArn(arn) : undefined;
    if (!to) return finish("FAILED", NON_EXISTENT_QUEUE);
    plans.push({ rowId: m.rowId, toQueueId: to.id, toFifo: to.fifo });
  }
  const moved = await sqs.moveMessages(plans, now);
  const done = t.moved + moved >= t.toMove;
  await sqs.updateMoveTask(t.taskId, { movedDelta: moved, status: done ? "COMPLETED" : undefined }, now);
  for (const p of plans) deps.waiters.notify(p.toQueueId);
}
