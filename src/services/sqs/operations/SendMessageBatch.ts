/**
 * SendMessageBatch: up to 10 messages in one transaction. The request fails as a whole for the batch rules (entry
 * count, ids, total size over 1 MiB) and for a FIFO queue's missing group or deduplication id (recorded); any other
 * entry that fails its checks is reported in Failed while the rest are sent.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
 */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { settingsOf } from "../attributes.js";
import { batchFailure, checkBatch, type BatchFailure } from "../batch.js";
import { checkFifoBatchEntry } from "../fifo.js";
import { MAX_BATCH_BYTES } from "../messages.js";
import { resolveQueue } from "../queues.js";
import {
  messageSize,
  prepareMessage,
  sendAnswer,
  storeMessages,
  type OutgoingMessage,
  type PreparedMessage,
} from "../send.js";

type Entry = OutgoingMessage & { Id: string };

export const SendMessageBatch: Handler = async (input: { QueueUrl: string; Entries: Entry[] }, ctx) => {
  const q = await resolveQueue(ctx, input.QueueUrl);
  const entries = input.Entries;
  checkBatch(entries, "SendMessageBatchRequestEntry");
  const total = entries.reduce((n, e) => n + messageSize(e), 0);
  if (total > MAX_BATCH_BYTES)
    throw awsError(
      "BatchRequestTooLong",
      `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${total} bytes.`,
    );
  const s = settingsOf(q);
  for (const e of entries) checkFifoBatchEntry(s, e.MessageGroupId, e.MessageDeduplicationId);
  const failed: BatchFailure[] = [];
  const ready: { id: string; prepared: PreparedMessage }[] = [];
  for (const e of entries) {
    try {
      ready.push({ id: e.Id, prepared: prepareMessage(ctx, q, e, true) });
    } catch (err) {
      failed.push(batchFailure(e.Id, err));
    }
  }
  const sent = ready.length
    ? await storeMessages(
        ctx,
        q,
        ready.map((r) => r.prepared),
      )
    : [];
  // AWS leaves an empty list out (recorded: a batch without failures answers no Failed member).
  return {
    Successful: ready.length ? ready.map((r, i) => ({ Id: r.id, ...sendAnswer(r.prepared, sent[i]!) })) : undefined,
    Failed: failed.length ? failed : undefined,
  };
};
