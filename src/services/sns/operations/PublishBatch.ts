/**
 * PublishBatch: up to 10 entries with distinct ids; each entry succeeds or fails on its own (Successful / Failed),
 * the whole batch fails for too many entries, duplicate ids, bad ids, or more than 256 KB in all (recorded messages).
 */
import { awsError, isAwsError } from "../../../errors/index.js";
import type { RequestContext } from "../../types.js";
import { checkPublish, MAX_MESSAGE_BYTES, publishChecked, type PublishInput } from "../publish.js";
import { publishTopic } from "../publish-target.js";
import { snsState } from "../state.js";

type Entry = PublishInput & { Id: string };

const ID = /^[A-Za-z0-9_-]+$/;

export async function PublishBatch(
  input: { TopicArn: string; PublishBatchRequestEntries: Entry[] },
  ctx: RequestContext,
) {
  const entries = input.PublishBatchRequestEntries ?? [];
  const topic = await publishTopic(ctx, { TopicArn: input.TopicArn });
  if (entries.length === 0) throw awsError("EmptyBatchRequest", "The batch request doesn't contain any entries.");
  if (entries.length > 10)
    throw awsError("TooManyEntriesInBatchRequest", "The batch request contains more entries than permissible.");
  const ids = new Set<string>();
  for (const e of entries) {
    if (e.Id.length > 80)
      throw awsError("InvalidBatchEntryId", `The Id of a batch entry in the batch request is too long: ${e.Id}`);
    if (!ID.test(e.Id))
      throw awsError(
        "InvalidBatchEntryId",
        `The Id of a batch entry in the batch request contains an impermissible character: ${e.Id}`,
      );
    if (ids.has(e.Id))
      throw awsError("BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.");
    ids.add(e.Id);
  }
  let total = 0;
  for (const e of entries) {
    total += Buffer.byteLength(e.Message ?? "");
    for (const [k, a] of Object.entries(e.MessageAttributes ?? {}))
      total +=
        Buffer.byteLength(k) +
        Buffer.byteLength(a.DataType ?? "") +
        Buffer.byteLength(a.StringValue ?? "") +
        (a.BinaryValue?.length ?? 0);
  }
  if (total > MAX_MESSAGE_BYTES)
    throw awsError("BatchRequestTooLong", "The length of all the messages put together is more than the limit.");
  const state = snsState(ctx.stores);
  const Successful: { Id: string; MessageId: string; SequenceNumber?: string }[] = [];
  const Failed: { Id: string; Code: string; Message: string; SenderFault: boolean }[] = [];
  for (const e of entries) {
    try {
      const checked = checkPublish(topic, e);
      const r = await publishChecked(state, topic, checked, ctx.endpoint);
      Successful.push({ Id: e.Id, MessageId: r.messageId, SequenceNumber: r.sequenceNumber });
    } catch (err) {
      if (!isAwsError(err)) throw err;
      Failed.push({ Id: e.Id, Code: err.code, Message: err.message, SenderFault: true });
    }
  }
  return { Successful, Failed };
}
