/**
 * The rules every SQS batch operation checks before looking at its entries (SendMessageBatch, DeleteMessageBatch,
 * ChangeMessageVisibilityBatch), with the messages AWS was recorded answering, and the form of a failed entry.
 */
import { awsError, isAwsError } from "../../errors/index.js";

export const MAX_BATCH_ENTRIES = 10;
const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

export function checkBatch(entries: { Id?: string }[] | undefined, entryName: string): void {
  if (!entries || entries.length === 0)
    throw awsError("EmptyBatchRequest", `There should be at least one ${entryName} in the request.`);
  if (entries.length > MAX_BATCH_ENTRIES)
    throw awsError(
      "TooManyEntriesInBatchRequest",
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
    );
  const seen = new Set<string>();
  for (const e of entries) {
    const id = e.Id ?? "";
    if (!ENTRY_ID.test(id))
      throw awsError(
        "InvalidBatchEntryId",
        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
      );
    if (seen.has(id)) throw awsError("BatchEntryIdsNotDistinct", `Id ${id} repeated.`);
    seen.add(id);
  }
}

export interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

/** A failed entry; anything but an AwsError is not the sender's fault and is rethrown. */
export function batchFailure(id: string, err: unknown): BatchFailure {
  if (!isAwsError(err)) throw err;
  return { Id: id, SenderFault: err.fault !== "server", Code: err.code, Message: err.message };
}
