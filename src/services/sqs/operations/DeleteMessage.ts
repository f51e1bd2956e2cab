/**
 * DeleteMessage: deletes the message a receipt handle names (see receipt-ops.ts for the rules).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
 */
import type { Handler } from "../../types.js";
import { resolveQueue } from "../queues.js";
import { deleteByReceipt } from "../receipt-ops.js";

export const DeleteMessage: Handler = async (input: { QueueUrl: string; ReceiptHandle: string }, ctx) => {
  const q = await resolveQueue(ctx, input.QueueUrl);
  await deleteByReceipt(ctx, q, input.ReceiptHandle);
  return {};
};
