/**
 * Sending: a message checked and prepared for storage (SendMessage, SendMessageBatch, and other services delivering to
 * queues), then stored, acknowledged only after commit, with long polls on the queue woken.
 */
import { randomUUID } from "node:crypto";
import type { NewMessage, QueueRecord, SentMessage } from "../../storage/sqs-store.js";
import type { RequestContext } from "../types.js";
import { settingsOf } from "./attributes.js";
import { queueDoesNotExist } from "./errors.js";
import { queueByArn } from "./queues.js";
import { DEDUP_WINDOW_MS, fifoIds } from "./fifo.js";
import {
  checkDelay,
  checkMessageAttributes,
  checkSystemAttributes,
  invalidCharacter,
  invalidMessageContents,
  md5OfBody,
  messageTooLong,
  prepareAttributes,
  type InputAttribute,
} from "./messages.js";
import { missingParameter } from "./errors.js";
import { sqsRuntime } from "./runtime.js";

export interface OutgoingMessage {
  MessageBody?: string;
  DelaySeconds?: number;
  MessageAttributes?: Record<string, InputAttribute>;
  MessageSystemAttributes?: Record<string, InputAttribute>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

export interface PreparedMessage {
  message: NewMessage;
  md5Attributes?: string;
  md5SystemAttributes?: string;
  /** Bytes counted toward MaximumMessageSize: the body and the message attributes' names, types and values. */
  size: number;
}

/** The size SQS counts for a message, before any check (SendMessageBatch compares the sum with its limit first). */
export function messageSize(m: OutgoingMessage): number {
  let size = Buffer.byteLength(m.MessageBody ?? "", "utf8");
  for (const [name, a] of Object.entries(m.MessageAttributes ?? {})) {
    size += Buffer.byteLength(name, "utf8") + Buffer.byteLength(a.DataType ?? "", "utf8");
    size += a.BinaryValue ? a.BinaryValue.length : Buffer.byteLength(a.StringValue ?? "", "utf8");
  }
  return size;
}

type Ctx = Pick<RequestContext, "clock" | "identity" | "account">;

/**
 * Checks a message in the order SQS was observed to: body present, attributes, size against the queue's
 * MaximumMessageSize, body characters, delay, FIFO ids. `batch` selects SendMessageBatch's wording.
 */
export function prepareMessage(ctx: Ctx, q: QueueRecord, m: OutgoingMessage, batch = false): PreparedMessage {
  const s = settingsOf(q);
  const body = m.MessageBody;
  if (body === undefined || body === "") throw missingParameter("MessageBody");
  checkMessageAttributes(m.MessageAttributes);
  checkSystemAttributes(m.MessageSystemAttributes);
  const size = messageSize(m);
  if (size > s.maxMessageSize) throw messageTooLong(s.maxMessageSize, batch);
  const bad = invalidCharacter(body);
  if (bad) throw invalidMessageContents(bad);
  checkDelay(m.DelaySeconds, s.fifo);
  const ids = fifoIds(s, body, m.MessageGroupId, m.MessageDeduplicationId, batch);
  const attrs = prepareAttributes(m.MessageAttributes);
  const sys = prepareAttributes(m.MessageSystemAttributes);
  const now = ctx.clock.now();
  const delay = s.fifo || m.DelaySeconds === undefined ? s.delaySeconds : m.DelaySeconds;
  return {
    message: {
      messageId: randomUUID(),
      body,
      attributes: attrs.json,
      systemAttributes: sys.json,
      md5Body: md5OfBody(body),
      md5Attributes: attrs.md5 ?? null,
      senderId: ctx.identity.principalId || ctx.account,
      sentAt: now,
      visibleAt: now + delay * 1000,
      groupId: ids.groupId,
      dedupId: ids.dedupId,
    },
    md5Attributes: attrs.md5,
    md5SystemAttributes: sys.md5,
    size,
  };
}

/** Stores prepared messages of one queue in one transaction; resolves after commit. */
export async function storeMessages(
  ctx: Pick<RequestContext, "clock" | "stores" | "protocol">,
  q: QueueRecord,
  prepared: PreparedMessage[],
): Promise<SentMessage[]> {
  const s = settingsOf(q);
  const sent = await ctx.stores.sqs.send(
    q.id,
    prepared.map((p) => p.message),
    { fifo: s.fifo, dedupScope: s.dedupScope, dedupWindowMs: DEDUP_WINDOW_MS, now: ctx.clock.now() },
  );
  if (!sent) throw queueDoesNotExist(ctx);
  const rt = sqsRuntime(ctx.stores);
  rt.waiters.notify(q.id);
  rt.metrics.sent(
    q,
    prepared.map((p) => p.size),
  );
  return sent;
}

/** What SendMessage (and each successful SendMessageBatch entry) answers. */
export function sendAnswer(p: PreparedMessage, sent: SentMessage): Record<string, unknown> {
  return {
    MD5OfMessageBody: p.message.md5Body,
    MD5OfMessageAttributes: p.md5Attributes,
    MD5OfMessageSystemAttributes: p.md5SystemAttributes,
    MessageId: sent.messageId,
    SequenceNumber: sent.sequenceNumber,
  };
}

/**
 * Sends a message to the queue an ARN names, for services that deliver to queues (EventBridge targets, SNS
 * subscriptions, CloudWatch alarm actions through SNS): the same checks and storage as SendMessage. Resolves with the
 * message id, or undefined when the queue does not exist; throws the AwsError SendMessage would answer for a message
 * the queue refuses.
 */
export async function sendToQueue(
  deps: Pick<RequestContext, "stores" | "clock">,
  queueArn: string,
  message: OutgoingMessage,
  sender: { account: string; principalId?: string },
): Promise<string | undefined> {
  const q = await queueByArn(deps, queueArn);
  if (!q) return undefined;
  const ctx = {
    ...deps,
    account: sender.account,
    identity: { principalId: sender.principalId ?? sender.account } as RequestContext["identity"],
    protocol: "awsJson1_0" as const,
  };
  const prepared = prepareMessage(ctx, q, message);
  const [sent] = await storeMessages(ctx, q, [prepared]);
  return sent?.messageId;
}
