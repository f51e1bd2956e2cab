/**
 * FIFO message groups and deduplication as SendMessage checks them.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-exactly-once-processing.html
 * A deduplication id is remembered for 5 minutes; with ContentBasedDeduplication the id is the SHA-256 of the body
 * (attributes not included).
 */
import { createHash } from "node:crypto";
import type { QueueSettings } from "./attributes.js";
import { invalidParameter, invalidParameterValue, missingParameter } from "./errors.js";

export const DEDUP_WINDOW_MS = 5 * 60 * 1000;

/** Alphanumeric and punctuation characters (printable ASCII but space), 1 to 128 of them. */
const ID = /^[\x21-\x7e]{1,128}$/;

function checkId(name: "MessageGroupId" | "MessageDeduplicationId", value: string): void {
  if (!ID.test(value))
    throw invalidParameter(
      name,
      value,
      `${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
}

export interface FifoIds {
  groupId: string | null;
  dedupId: string | null;
}

const NO_DEDUP =
  "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly";

/** SendMessageBatch to a FIFO queue fails as a whole when an entry lacks its group or deduplication id (recorded). */
export function checkFifoBatchEntry(s: QueueSettings, groupId: string | undefined, dedupId: string | undefined): void {
  if (!s.fifo) return;
  if (groupId === undefined) throw invalidParameterValue("The request must contain the parameter MessageGroupId.");
  if (dedupId === undefined && !s.contentBasedDeduplication) throw invalidParameterValue(NO_DEDUP);
}

/**
 * The group and deduplication ids a message is stored with. FIFO queues require a group and a deduplication id (given
 * or content-based); standard queues accept a group (fair queues) but no deduplication id. `batch` words a missing
 * group as SendMessageBatch was recorded answering it.
 */
export function fifoIds(
  s: QueueSettings,
  body: string,
  groupId: string | undefined,
  dedupId: string | undefined,
  batch = false,
): FifoIds {
  if (groupId !== undefined) checkId("MessageGroupId", groupId);
  if (dedupId !== undefined) checkId("MessageDeduplicationId", dedupId);
  if (!s.fifo) {
    if (dedupId !== undefined)
      throw invalidParameter(
        "MessageDeduplicationId",
        dedupId,
        "The request include parameter that is not valid for this queue type.",
      );
    return { groupId: groupId ?? null, dedupId: null };
  }
  if (groupId === undefined) {
    if (batch) throw invalidParameterValue("The request must contain the parameter MessageGroupId.");
    throw missingParameter("MessageGroupId");
  }
  if (dedupId === undefined) {
    if (!s.contentBasedDeduplication) throw invalidParameterValue(NO_DEDUP);
    dedupId = createHash("sha256").update(body, "utf8").digest("hex");
  }
  return { groupId, dedupId };
}
