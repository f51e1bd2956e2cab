/**
 * ChangeMessageVisibilityBatch: up to 10 ChangeMessageVisibility calls, each reported in Successful or Failed.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibilityBatch.html
 */
import type { Handler } from "../../types.js";
import { batchFailure, checkBatch, type BatchFailure } from "../batch.js";
import { resolveQueue } from "../queues.js";
import { changeVisibilityByReceipt } from "../receipt-ops.js";

type Entry = { Id: string; ReceiptHandle: string; VisibilityTimeout?: number };

export const ChangeMessageVisibilityBatch: Handler = async (input: { QueueUrl: string; Entries: Entry[] }, ctx) => {
  const q = await resolveQueue(ctx, input.QueueUrl);
  checkBatch(input.Entries, "ChangeMessageVisibilityBatchRequestEntry");
  const successful: { Id: string }[] = [];
  const failed: BatchFailure[] = [];
  for (const e of input.Entries) {
    try {
      await changeVisibilityByReceipt(ctx, q, e.ReceiptHandle, e.VisibilityTimeout);
      successful.push({ Id: e.Id });
    } catch (err) {
      failed.push(batchFailure(e.Id, err));
    }
  }
  // AWS leaves an empty list out (recorded for SendMessageBatch).
  return { Successful: successful.length ? successful : undefined, Failed: failed.length ? failed : undefined };
};
