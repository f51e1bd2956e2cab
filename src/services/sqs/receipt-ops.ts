/**
 * DeleteMessage and ChangeMessageVisibility on one receipt handle, shared by their batch forms.
 * - A handle Vigil did not issue, or issued for another queue: ReceiptHandleIsInvalid (recorded message).
 * - Deleting a message already deleted succeeds (AWS-validated); a FIFO receipt whose visibility ended has expired
 *   (InvalidParameterValue "The receipt handle has expired.", recorded).
 * - Changing the visibility of a deleted message: InvalidParameterValue "... Message does not exist or is not available
 *   for visibility timeout change." (AWS-validated); of a standard queue's receipt whose visibility already ended: OK,
 *   nothing changes (observed on AWS, LocalStack #9632; SQS was never seen answering MessageNotInflight).
 * - A visibility reaching past 12 hours from the receive: "Total VisibilityTimeout for the message is beyond the limit".
 */
import type { QueueRecord } from "../../storage/sqs-store.js";
import type { RequestContext } from "../types.js";
import { MAX_VISIBILITY_SECONDS } from "./attributes.js";
import { invalidParameter, missingParameter, receiptHandleExpired, receiptHandleIsInvalid } from "./errors.js";
import { decodeReceipt } from "./receipts.js";
import { sqsRuntime } from "./runtime.js";

function receiptOf(q: QueueRecord, handle: string) {
  const r = decodeReceipt(handle);
  if (!r || r.queueId !== q.id) throw receiptHandleIsInvalid(handle);
  return r;
}

export async function deleteByReceipt(ctx: RequestContext, q: QueueRecord, handle: string): Promise<void> {
  const r = receiptOf(q, handle);
  const result = await ctx.stores.sqs.deleteMessage(q.id, r.rowId, r.receiveCount, q.fifo, ctx.clock.now());
  if (result === "expired") throw receiptHandleExpired(handle);
  const rt = sqsRuntime(ctx.stores);
  if (result === "deleted") {
    rt.metrics.deleted(q, 1);
    // The next message of a FIFO group becomes available once the one before it is deleted.
    if (q.fifo) rt.waiters.notify(q.id);
  }
}

export async function changeVisibilityByReceipt(
  ctx: RequestContext,
  q: QueueRecord,
  handle: string,
  timeout: number | undefined,
): Promise<void> {
  if (timeout === undefined) throw missingParameter("VisibilityTimeout");
  if (timeout < 0)
    throw invalidParameter("VisibilityTimeout", timeout, `Must be >= 0 and <= ${MAX_VISIBILITY_SECONDS}, if provided.`);
  const tooLong = () =>
    invalidParameter(
      "VisibilityTimeout",
      timeout,
      `Total VisibilityTimeout for the message is beyond the limit [${MAX_VISIBILITY_SECONDS} seconds].`,
    );
  if (timeout > MAX_VISIBILITY_SECONDS) throw tooLong();
  const r = receiptOf(q, handle);
  const result = await ctx.stores.sqs.changeVisibility(
    q.id,
    r.rowId,
    r.receiveCount,
    q.fifo,
    ctx.clock.now(),
    timeout * 1000,
    MAX_VISIBILITY_SECONDS * 1000,
  );
  switch (result) {
    case "gone":
      throw invalidParameter(
        "ReceiptHandle",
        handle,
        "Message does not exist or is not available for visibility timeout change.",
      );
    case "expired":
      throw receiptHandleExpired(handle);
    case "tooLong":
      throw tooLong();
    case "changed":
      if (timeout === 0) sqsRuntime(ctx.stores).waiters.notify(q.id);
      break;
    case "noop":
      break;
  }
}
