/**
 * FIFO queues: order within a message group, groups held while their oldest message is in flight, deduplication for
 * 5 minutes (given or content-based ids, per queue or per group), sequence numbers, receipts that expire, and
 * ReceiveRequestAttemptId. Orderings asserted are the ones AWS was recorded answering (LocalStack's AWS-validated
 * FIFO tests).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  type Message,
  type ReceiveMessageCommandInput,
  type SendMessageCommandInput,
} from "@aws-sdk/client-sqs";
import type { Vigil } from "../helpers/vigil.js";
import { counts, newQueue, sqsRejects, startSqsVigil } from "./helpers.js";

let vigil: Vigil;
let sqs: SQSClient;
before(async () => {
  vigil = await startSqsVigil();
  sqs = vigil.client(SQSClient);
});
after(() => vigil.close());

const fifoQueue = (attrs: Record<string, string> = {}) =>
  newQueue(sqs, { ContentBasedDeduplication: "true", ...attrs }, { fifo: true });
const send = (
  QueueUrl: string,
  MessageBody: string,
  MessageGroupId: string,
  extra: Partial<SendMessageCommandInput> = {},
) => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, MessageGroupId, ...extra }));
const receive = async (QueueUrl: string, extra: Partial<ReceiveMessageCommandInput> = {}): Promise<Message[]> =>
  (await sqs.send(new ReceiveMessageCommand({ QueueUrl, ...extra }))).Messages ?? [];
const bodies = (ms: Message[]) => ms.map((m) => m.Body);
const del = (QueueUrl: string, m: Message) =>
  sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));

test("a FIFO message needs a group and a deduplication id, given or content-based (recorded errors)", async () => {
  const { url } = await newQueue(sqs, {}, { fifo: true });
  await sqsRejects(
    send(url, "m", "g"),
    "InvalidParameterValue",
    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
  );
  await sqsRejects(
    sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "m", MessageDeduplicationId: "d" })),
    "MissingParameter",
    "The request must contain the parameter MessageGroupId.",
  );
  const reason = "MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.";
  for (const bad of ["", "a".repeat(129), "group 123"]) {
    await sqsRejects(
      send(url, "m", "g", { MessageDeduplicationId: bad }),
      "InvalidParameterValue",
      `Value ${bad} for parameter MessageDeduplicationId is invalid. Reason: ${reason}`,
    );
  }
  await send(url, "m", "g", { MessageDeduplicationId: "a".repeat(128) });
  await send(url, "m", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", { MessageDeduplicationId: "d2" });
  await sqsRejects(
    send(url, "m", "g", { MessageDeduplicationId: "d3", DelaySeconds: 2 }),
    "InvalidParameterValue",
    "Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.",
  );
  await send(url, "m", "g", { MessageDeduplicationId: "d4", DelaySeconds: 0 });
});

test("SendMessageBatch to a FIFO queue fails as a whole without a group or deduplication id (recorded)", async () => {
  const { url } = await newQueue(sqs, { ContentBasedDeduplication: "false" }, { fifo: true });
  const batch = (Entries: ConstructorParameters<typeof SendMessageBatchCommand>[0]["Entries"]) =>
    sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries }));
  await sqsRejects(
    batch([
      { Id: "1", MessageBody: "b", MessageGroupId: "g", MessageDeduplicationId: "d1" },
      { Id: "2", MessageBody: "b", MessageGroupId: "g" },
    ]),
    "InvalidParameterValue",
    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
  );
  await sqsRejects(
    batch([
      { Id: "1", MessageBody: "b", MessageGroupId: "g", MessageDeduplicationId: "d1" },
      { Id: "2", MessageBody: "b", MessageDeduplicationId: "d2" },
    ]),
    "InvalidParameterValue",
    "The request must contain the parameter MessageGroupId.",
  );
  const ok = await batch(
    [1, 2, 3].map((i) => ({ Id: `e${i}`, MessageBody: `b${i}`, MessageGroupId: "g", MessageDeduplicationId: `d${i}` })),
  );
  const seq = ok.Successful!.map((s) => BigInt(s.SequenceNumber!));
  assert.ok(seq[0]! < seq[1]! && seq[1]! < seq[2]!);
  assert.deepEqual(bodies(await receive(url, { MaxNumberOfMessages: 10 })), ["b1", "b2", "b3"]);
});

test("sequence numbers: 20 digits, increasing; only FIFO messages have one", async () => {
  const { url } = await fifoQueue();
  const a = await send(url, "message-1", "group");
  const b = await send(url, "message-2", "group");
  assert.match(a.SequenceNumber!, /^\d{20}$/);
  assert.ok(BigInt(a.SequenceNumber!) < BigInt(b.SequenceNumber!));
  const [m] = await receive(url, { MessageSystemAttributeNames: ["All"], MaxNumberOfMessages: 1 });
  assert.equal(m!.Attributes!.SequenceNumber, a.SequenceNumber);
});

test("receiving shows the FIFO system attributes; the receive count grows (recorded)", async () => {
  const { url } = await fifoQueue({
    VisibilityTimeout: "0",
    DeduplicationScope: "messageGroup",
    FifoThroughputLimit: "perMessageGroupId",
  });
  const sent = await send(url, "message-body-1", "group-1", { MessageDeduplicationId: "dedup-1" });
  for (const count of ["1", "2"]) {
    const [m] = await receive(url, { AttributeNames: ["All"] });
    assert.deepEqual(m!.Attributes, {
      ApproximateFirstReceiveTimestamp: m!.Attributes!.ApproximateFirstReceiveTimestamp,
      ApproximateReceiveCount: count,
      MessageDeduplicationId: "dedup-1",
      MessageGroupId: "group-1",
      SenderId: m!.Attributes!.SenderId,
      SentTimestamp: m!.Attributes!.SentTimestamp,
      SequenceNumber: sent.SequenceNumber,
    });
  }
});

test("a group's messages come in order, as many as asked for, before the next group's (AWS-validated)", async () => {
  const { url } = await fifoQueue();
  await send(url, "g1-m1", "group-1");
  await send(url, "g2-m1", "group-2");
  await send(url, "g1-m2", "group-1");
  await send(url, "g1-m3", "group-1");
  assert.deepEqual(bodies(await receive(url, { MaxNumberOfMessages: 10 })), ["g1-m1", "g1-m2", "g1-m3", "g2-m1"]);
});

test("a group whose oldest message is in flight yields nothing; served groups go to the back (AWS-validated orders)", async () => {
  const { url } = await fifoQueue({ VisibilityTimeout: "1" });
  for (const [b, g] of [
    ["g1-m1", "1"],
    ["g1-m2", "1"],
    ["g1-m3", "1"],
    ["g1-m4", "1"],
    ["g2-m1", "2"],
    ["g3-m1", "3"],
  ])
    await send(url, b!, `group-${g}`);
  assert.deepEqual(bodies(await receive(url, { MaxNumberOfMessages: 2 })), ["g1-m1", "g1-m2"]);
  assert.deepEqual(bodies(await receive(url, { MaxNumberOfMessages: 1 })), ["g2-m1"]);
  await vigil.server.advance(2);
  assert.deepEqual(bodies(await receive(url, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 })), [
    "g3-m1",
    "g1-m1",
    "g1-m2",
    "g1-m3",
    "g1-m4",
    "g2-m1",
  ]);
});

test("receiving with VisibilityTimeout 0 leaves groups available, in the order AWS answered", async () => {
  const { url } = await fifoQueue();
  for (const [b, g] of [
    ["g1-m1", "1"],
    ["g2-m1", "2"],
    ["g2-m2", "2"],
    ["g3-m1", "3"],
    ["g1-m2", "1"],
  ])
    await send(url, b!, `group-${g}`);
  assert.deepEqual(bodies(await receive(url, { MaxNumberOfMessages: 3, VisibilityTimeout: 0 })), [
    "g1-m1",
    "g1-m2",
    "g2-m1",
  ]);
  assert.deepEqual(bodies(await receive(url, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 })), [
    "g3-m1",
    "g1-m1",
    "g1-m2",
    "g2-m1",
    "g2-m2",
  ]);
});

test("a group is available again as soon as its oldest message is; later in-flight messages stay hidden", async () => {
  const { url } = await fifoQueue({ VisibilityTimeout: "30" });
  await send(url, "g1-m1", "group-1");
  await send(url, "g1-m2", "group-1");
  await send(url, "g2-m1", "group-2");
  const got = await receive(url, { MaxNumberOfMessages: 2 });
  assert.deepEqual(bodies(got), ["g1-m1", "g1-m2"]);
  await sqs.send(
    new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: got[0]!.ReceiptHandle, VisibilityTimeout: 0 }),
  );
  assert.deepEqual(bodies(await receive(url, { MaxNumberOfMessages: 3 })), ["g2-m1", "g1-m1"]);

  const b = await fifoQueue({ VisibilityTimeout: "30" });
  await send(b.url, "g1-m1", "group-1");
  await send(b.url, "g1-m2", "group-1");
  await send(b.url, "g2-m1", "group-2");
  const got2 = await receive(b.url, { MaxNumberOfMessages: 2 });
  await sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: b.url,
      ReceiptHandle: got2[0]!.ReceiptHandle,
      VisibilityTimeout: 1,
    }),
  );
  await vigil.server.advance(2);
  assert.deepEqual(bodies(await receive(b.url, { MaxNumberOfMessages: 3 })), ["g2-m1", "g1-m1"]);
});

test("deleting a group's in-flight messages frees the group; deleting some of them does not (AWS-validated)", async () => {
  for (const all of [true, false]) {
    const { url } = await fifoQueue();
    for (const [b, g] of [
      ["g1-m1", "1"],
      ["g2-m1", "2"],
      ["g1-m2", "1"],
      ["g2-m2", "2"],
      ["g1-m2", "1"],
      ["g1-m3", "1"],
      ["g1-m4", "1"],
      ["g3-m1", "3"],
    ])
      await send(url, b!, `group-${g}`);
    const got = await receive(url, { MaxNumberOfMessages: 2 });
    assert.deepEqual(bodies(got), ["g1-m1", "g1-m2"]);
    await del(url, got[0]!);
    if (all) await del(url, got[1]!);
    // The second "g1-m2" was a duplicate (content-based deduplication): dropped.
    const rest = bodies(await receive(url, { MaxNumberOfMessages: 10 }));
    if (all) assert.deepEqual(rest.sort(), ["g1-m3", "g1-m4", "g2-m1", "g2-m2", "g3-m1"]);
    else assert.deepEqual(rest, ["g2-m1", "g2-m2", "g3-m1"]);
  }
});

test("ApproximateNumberOfMessages counts what is not in flight (AWS-validated)", async () => {
  const { url } = await fifoQueue();
  for (const [b, g] of [
    ["g1-m1", "1"],
    ["g1-m2", "1"],
    ["g1-m3", "1"],
    ["g2-m1", "2"],
    ["g3-m1", "3"],
  ])
    await send(url, b!, g!);
  assert.equal((await counts(sqs, url)).visible, 5);
  const got = await receive(url, { MaxNumberOfMessages: 4 });
  assert.equal((await counts(sqs, url)).visible, 1);
  for (const m of got) await del(url, m);
  assert.deepEqual(await counts(sqs, url), { visible: 1, notVisible: 0, delayed: 0 });
});

test("deduplication: an id seen within 5 minutes is accepted but not enqueued, even after its message was deleted", async () => {
  const { url } = await fifoQueue();
  const first = await send(url, '{"foo": "bar"}', "group-1");
  const dup = await send(url, '{"foo": "bar"}', "group-1");
  assert.equal(dup.MessageId, first.MessageId);
  assert.equal(dup.SequenceNumber, first.SequenceNumber);
  const [m] = await receive(url);
  assert.equal(m!.MD5OfBody, "94232c5b8fc9272f6f73a1e36eb68fcf");
  await del(url, m!);
  await send(url, '{"foo": "bar"}', "group-1");
  // Deduplication is per queue, not per group, unless DeduplicationScope is messageGroup.
  await send(url, '{"foo": "bar"}', "group-2");
  assert.deepEqual(await receive(url), []);
  await vigil.server.advance(299);
  await send(url, '{"foo": "bar"}', "group-1");
  assert.deepEqual(await receive(url), []);
  await vigil.server.advance(1);
  const again = await send(url, '{"foo": "bar"}', "group-1");
  assert.notEqual(again.MessageId, first.MessageId);
  assert.deepEqual(bodies(await receive(url)), ['{"foo": "bar"}']);
});

test("content-based deduplication uses the SHA-256 of the body; explicit ids win", async () => {
  const { url } = await fifoQueue();
  await send(url, "body", "g");
  await send(url, "body", "g", { MessageDeduplicationId: "explicit" });
  const got = await receive(url, { MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["MessageDeduplicationId"] });
  assert.deepEqual(
    got.map((m) => m.Attributes!.MessageDeduplicationId),
    ["230d8358dc8e8890b4c58deeb62912ee2f20357ae92a5cc861b98e68fe31acb5", "explicit"],
  );
});

test("DeduplicationScope messageGroup deduplicates within each group only (recorded)", async () => {
  const { url } = await newQueue(sqs, { DeduplicationScope: "messageGroup" }, { fifo: true });
  await send(url, "Test", "group-1", { MessageDeduplicationId: "same" });
  await send(url, "Test", "group-2", { MessageDeduplicationId: "same" });
  await send(url, "Test", "group-2", { MessageDeduplicationId: "same" });
  assert.deepEqual(bodies(await receive(url, { MaxNumberOfMessages: 10 })), ["Test", "Test"]);
  // Switching back to per-queue scope (recorded: test_fifo_change_to_regular_throughput_after_creation).
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: url,
      Attributes: { DeduplicationScope: "queue", FifoThroughputLimit: "perQueue" },
    }),
  );
  await send(url, "Test3", "group-3", { MessageDeduplicationId: "fresh" });
  await send(url, "Test3", "group-4", { MessageDeduplicationId: "fresh" });
  assert.deepEqual(bodies(await receive(url, { MaxNumberOfMessages: 10 })), ["Test3"]);
});

test("PurgeQueue forgets the deduplication ids (AWS-validated)", async () => {
  const { url } = await newQueue(sqs, {}, { fifo: true });
  await send(url, "message-1", "g", { MessageDeduplicationId: "d" });
  await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
  await send(url, "message-2", "g", { MessageDeduplicationId: "d" });
  assert.deepEqual(bodies(await receive(url)), ["message-2"]);
});

test("a FIFO receipt expires with its visibility; extended in time it still deletes (recorded)", async () => {
  const { url } = await fifoQueue({ VisibilityTimeout: "5" });
  await send(url, "foobar", "1");
  const [m] = await receive(url);
  await vigil.server.advance(6);
  await sqsRejects(
    del(url, m!),
    "InvalidParameterValue",
    `Value ${m!.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
  );
  await sqsRejects(
    sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m!.ReceiptHandle, VisibilityTimeout: 10 }),
    ),
    "InvalidParameterValue",
    `Value ${m!.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
  );
  const [again] = await receive(url);
  await vigil.server.advance(4);
  await sqs.send(
    new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: again!.ReceiptHandle, VisibilityTimeout: 10 }),
  );
  await vigil.server.advance(6);
  await del(url, again!);
  assert.deepEqual(await counts(sqs, url), { visible: 0, notVisible: 0, delayed: 0 });
});

test("the queue's delay applies to FIFO messages, in order (AWS-validated)", async () => {
  const { url } = await fifoQueue({ DelaySeconds: "2" });
  for (const b of ["message-1", "message-2", "message-3"]) await send(url, b, "1");
  assert.deepEqual(await receive(url), []);
  await vigil.server.advance(2);
  assert.deepEqual(bodies(await receive(url, { MaxNumberOfMessages: 3 })), ["message-1", "message-2", "message-3"]);
});

test("a retried ReceiveRequestAttemptId answers the same messages and receipts within 5 minutes", async () => {
  const { url } = await fifoQueue({ VisibilityTimeout: "30" });
  for (const b of ["a", "b", "c"]) await send(url, b, "g");
  const first = await receive(url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: "attempt-1" });
  assert.deepEqual(bodies(first), ["a", "b"]);
  await vigil.server.advance(20);
  const retried = await receive(url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: "attempt-1" });
  assert.deepEqual(
    retried.map((m) => m.ReceiptHandle),
    first.map((m) => m.ReceiptHandle),
  );
  // The retry reset their visibility: still hidden 29 seconds later.
  await vigil.server.advance(29);
  assert.deepEqual(await receive(url), []);
  await vigil.server.advance(1);
  assert.deepEqual(bodies(await receive(url, { MaxNumberOfMessages: 10, ReceiveRequestAttemptId: "attempt-2" })), [
    "a",
    "b",
    "c",
  ]);
  await sqsRejects(
    receive(url, { ReceiveRequestAttemptId: "bad id" }),
    "InvalidParameterValue",
    "Value bad id for parameter ReceiveRequestAttemptId is invalid. Reason: ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.",
  );
});

test("a message received again after its group emptied keeps its place (recorded: empty groups come back)", async () => {
  const { url } = await fifoQueue({ VisibilityTimeout: "1" });
  await send(url, "Message 1", "group");
  const [m1] = await receive(url);
  assert.equal(m1!.Body, "Message 1");
  await del(url, m1!);
  assert.deepEqual(await receive(url), []);
  await send(url, "Message 2", "group");
  assert.deepEqual(bodies(await receive(url)), ["Message 2"]);
});
