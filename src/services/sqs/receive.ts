/**
 * Receiving, with long polling on a real wait: a receive that finds nothing is held until a message may have become
 * available (WaitHub: sends, visibility changes and dead-letter moves notify the queue; a timer fires when the queue's
 * next delayed or in-flight message becomes visible) or until WaitTimeSeconds pass. With a manual clock the wait ends
 * when the clock has advanced by WaitTimeSeconds or that much real time has passed, whichever comes first.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html
 */
import type { DeadLetterTarget, QueueRecord, StoredMessage } from "../../storage/sqs-store.js";
import type { RequestContext } from "../types.js";
import { settingsOf } from "./attributes.js";
import { retentionCutoff } from "./move-tasks.js";
import { arnOf, queueByArn } from "./queues.js";
import { ATTEMPT_WINDOW_MS, sqsRuntime } from "./runtime.js";

export interface ReceiveRequest {
  queue: QueueRecord;
  max: number;
  visibilityTimeout: number;
  waitSeconds: number;
  attemptId?: string;
}

/** Receivers on other nodes of a PostgreSQL deployment are not notified here: waits there look again every second. */
const REMOTE_POLL_MS = 1000;

async function deadLetterTarget(ctx: RequestContext, q: QueueRecord): Promise<DeadLetterTarget | undefined> {
  const p = settingsOf(q).redrive;
  if (!p) return undefined;
  const dlq = await queueByArn(ctx, p.deadLetterTargetArn);
  // A dead-letter queue deleted since: messages stay where they are.
  if (!dlq) return undefined;
  return { maxReceiveCount: p.maxReceiveCount, queueId: dlq.id, fifo: dlq.fifo, sourceArn: arnOf(q) };
}

export async function receiveMessages(ctx: RequestContext, r: ReceiveRequest): Promise<StoredMessage[]> {
  const q = r.queue;
  const rt = sqsRuntime(ctx.stores);
  const redrive = await deadLetterTarget(ctx, q);
  const waitMs = r.waitSeconds * 1000;
  const realEnd = Date.now() + waitMs;
  const clockEnd = ctx.clock.now() + waitMs;
  for (;;) {
    const now = ctx.clock.now();
    const res = await ctx.stores.sqs.receive({
      queueId: q.id,
      fifo: q.fifo,
      now,
      max: r.max,
      visibilityMs: r.visibilityTimeout * 1000,
      retentionCutoff: retentionCutoff(q, now),
      redrive,
      attemptId: q.fifo ? r.attemptId : undefined,
      attemptWindowMs: ATTEMPT_WINDOW_MS,
    });
    if (res.movedToDlq > 0 && redrive) rt.waiters.notify(redrive.queueId);
    if (res.messages.length > 0 || waitMs <= 0 || rt.waiters.closed) return res.messages;
    const realLeft = realEnd - Date.now();
    if (realLeft <= 0 || ctx.clock.now() >= clockEnd) return [];
    let ms = realLeft;
    if (!ctx.clock.manual) {
      const next = await ctx.stores.sqs.nextVisibleAt(q.id, ctx.clock.now());
      if (next !== undefined) ms = Math.min(ms, Math.max(1, next - ctx.clock.now()));
    }
    if (ctx.stores.dialect === "postgres") ms = Math.min(ms, REMOTE_POLL_MS);
    await rt.waiters.wait(q.id, ms);
  }
}
