/**
 * ChangeMessageVisibility: a received message's visibility timeout, counted from now (see receipt-ops.ts).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
 */
import type { Handler } from "../../types.js";
import { resolveQueue } from "../queues.js";
import { changeVisibilityByReceipt } from "../receipt-ops.js";

export const ChangeMessageVisibility: Handler = async (
  input: { QueueUrl: string; ReceiptHandle: string; VisibilityTimeout: number },
  ctx,
) => {
  const q = await resolveQueue(ctx, input.QueueUrl);
  await changeVisibilityByReceipt(ctx, q, input.ReceiptHandle, input.VisibilityTimeout);
  return {};
};
