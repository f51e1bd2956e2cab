/**
 * DeleteMessageBatch: up to 10 DeleteMessage calls, each reported in Successful or Failed.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessageBatch.html
 */
import type { Handler } from "../../types.js";
import { batchFailure, checkBatch, type BatchFailure } from "../batch.js";
import { resolveQueue } from "../queues.js";
import { deleteByReceipt } from "../receipt-ops.js";

type Entry = { Id: string; ReceiptHandle: string };

export const DeleteMessageBatch: Handler = async (input: { QueueUrl: string; Entries: Entry[] }, ctx) => {
  const q = await resolveQueue(ctx, input.QueueUrl);
  checkBatch(input.Entries, "DeleteMessageBatchRequestEntry");
  const successful: { Id: string }[] = [];
  const failed: BatchFailure[] = [];
  for (const e of input.Entries) {
    try {
      await deleteByReceipt(ctx, q, e.ReceiptHandle);
      successful.push({ Id: e.Id });
    } catch (err) {
      failed.push(batchFailure(e.Id, err));
    }
  }
  // AWS leaves an empty list out (recorded for SendMessageBatch).
  return { Successful: successful.length ? successful : undefined, Failed: failed.length ? failed : undefined };
};
