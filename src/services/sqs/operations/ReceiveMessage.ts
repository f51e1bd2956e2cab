/**
 * ReceiveMessage: up to MaxNumberOfMessages available messages, each hidden for the visibility timeout, with the
 * system and message attributes asked for; long polls for up to WaitTimeSeconds (or the queue's
 * ReceiveMessageWaitTimeSeconds) when none is available. Messages received maxReceiveCount times move to the
 * dead-letter queue instead. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
 */
import type { Handler } from "../../types.js";
import { MAX_VISIBILITY_SECONDS, MAX_WAIT_SECONDS, settingsOf } from "../attributes.js";
import { invalidParameter } from "../errors.js";
import { answerMessage, messageAttributeFilter, systemAttributeSelection } from "../messages.js";
import { resolveQueue } from "../queues.js";
import { receiveMessages } from "../receive.js";
import { sqsRuntime } from "../runtime.js";

interface ReceiveMessageInput {
  QueueUrl: string;
  AttributeNames?: string[];
  MessageSystemAttributeNames?: string[];
  MessageAttributeNames?: string[];
  MaxNumberOfMessages?: number;
  VisibilityTimeout?: number;
  WaitTimeSeconds?: number;
  ReceiveRequestAttemptId?: string;
}

const ATTEMPT_ID = /^[\x21-\x7e]{1,128}$/;

export const ReceiveMessage: Handler = async (input: ReceiveMessageInput, ctx) => {
  const q = await resolveQueue(ctx, input.QueueUrl);
  const s = settingsOf(q);
  const max = input.MaxNumberOfMessages ?? 1;
  if (max < 1 || max > 10) throw invalidParameter("MaxNumberOfMessages", max, "Must be between 1 and 10, if provided.");
  const wait = input.WaitTimeSeconds ?? s.waitTimeSeconds;
  if (wait < 0 || wait > MAX_WAIT_SECONDS)
    throw invalidParameter("WaitTimeSeconds", wait, `Must be >= 0 and <= ${MAX_WAIT_SECONDS}, if provided.`);
  const visibility = input.VisibilityTimeout ?? s.visibilityTimeout;
  if (visibility < 0 || visibility > MAX_VISIBILITY_SECONDS)
    throw invalidParameter(
      "VisibilityTimeout",
      visibility,
      `Must be >= 0 and <= ${MAX_VISIBILITY_SECONDS}, if provided.`,
    );
  const attemptId = input.ReceiveRequestAttemptId;
  if (attemptId !== undefined && !ATTEMPT_ID.test(attemptId))
    throw invalidParameter(
      "ReceiveRequestAttemptId",
      attemptId,
      "ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.",
    );
  const messages = await receiveMessages(ctx, {
    queue: q,
    max,
    visibilityTimeout: visibility,
    waitSeconds: wait,
    attemptId,
  });
  sqsRuntime(ctx.stores).metrics.received(q, messages.length);
  if (messages.length === 0) return {};
  const shape = {
    queueId: q.id,
    fifo: q.fifo,
    system: systemAttributeSelection(input.AttributeNames, input.MessageSystemAttributeNames),
    attributes: messageAttributeFilter(input.MessageAttributeNames),
  };
  return { Messages: messages.map((m) => answerMessage(m, shape)) };
};
