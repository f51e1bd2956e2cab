/**
 * SendMessage: one message, checked (characters, size, attributes, delay, FIFO ids) and answered with its digests
 * after it committed. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
import type { Handler } from "../../types.js";
import { resolveQueue } from "../queues.js";
import { prepareMessage, sendAnswer, storeMessages, type OutgoingMessage } from "../send.js";

export const SendMessage: Handler = async (input: OutgoingMessage & { QueueUrl: string }, ctx) => {
  const q = await resolveQueue(ctx, input.QueueUrl);
  const prepared = prepareMessage(ctx, q, input);
  const [sent] = await storeMessages(ctx, q, [prepared]);
  return sendAnswer(prepared, sent!);
};
