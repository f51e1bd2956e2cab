/**
 * Messages on standard queues through the JS SDK: send, receive, delete, visibility, delays and retention on the
 * manual clock, digests, attributes, the limits at N-1, N and N+1, batches and receipt handles.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  type Message,
  type MessageAttributeValue,
  type ReceiveMessageCommandInput,
} from "@aws-sdk/client-sqs";
import type { Vigil } from "../helpers/vigil.js";
import { md5OfAttributes } from "../../src/services/sqs/md5.js";
import { sendToQueue } from "../../src/services/sqs/send.js";
import { ACCOUNT, arnOf, counts, newQueue, sqsRejects, START, startSqsVigil } from "./helpers.js";

let vigil: Vigil;
let sqs: SQSClient;
/** The SDK checks digests itself; this client does not, so that bodies the SDK would refuse reach the server. */
let raw: SQSClient;
before(async () => {
  vigil = await startSqsVigil();
  sqs = vigil.client(SQSClient);
  raw = vigil.client(SQSClient, { md5: false });
});
after(() => vigil.close());

const send = (QueueUrl: string, MessageBody: string, extra: Partial<Parameters<typeof sendInput>[0]> = {}) =>
  sqs.send(new SendMessageCommand(sendInput({ QueueUrl, MessageBody, ...extra })));
const sendInput = (i: ConstructorParameters<typeof SendMessageCommand>[0]) => i;
const receive = async (QueueUrl: string, extra: Partial<ReceiveMessageCommandInput> = {}): Promise<Message[]> =>
  (await sqs.send(new ReceiveMessageCommand({ QueueUrl, ...extra }))).Messages ?? [];

test("a message goes round: send, receive with the digest AWS computes, delete", async () => {
  const { url } = await newQueue(sqs);
  const sent = await send(url, "message");
  assert.equal(sent.MD5OfMessageBody, "78e731027d8fd50ed642340b7c9a63b3");
  assert.match(sent.MessageId!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(sent.SequenceNumber, undefined);
  const [m] = await receive(url);
  assert.equal(m!.Body, "message");
  assert.equal(m!.MessageId, sent.MessageId);
  assert.equal(m!.MD5OfBody, sent.MD5OfMessageBody);
  await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m!.ReceiptHandle }));
  // Deleting again is no error (AWS-validated).
  await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m!.ReceiptHandle }));
  assert.deepEqual(await counts(sqs, url), { visible: 0, notVisible: 0, delayed: 0 });
  assert.deepEqual(await receive(url), []);
});

test("bodies keep every character SQS allows, XML specials and CR included", async () => {
  const { url } = await newQueue(sqs);
  const body = '{\r\n"machineID" : "d357"}\t"&quot;&quot;\r <a/> é 😀 \uE000 \uFFFD \u{10FFFF}';
  const sent = await send(url, body);
  const [m] = await receive(url);
  assert.equal(m!.Body, body);
  assert.equal(m!.MD5OfBody, sent.MD5OfMessageBody);
});

test("a body with a character outside the allowed set is InvalidMessageContents", async () => {
  const { url } = await newQueue(sqs);
  const msg = (c: string) =>
    `Invalid binary character '${c}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`;
  for (const [body, c] of [
    ["a\u0000b", "#x0"],
    ["\u0008", "#x8"],
    ["x\u001Fy", "#x1F"],
    ["\uFFFE", "#xFFFE"],
    ["\uFFFF", "#xFFFF"],
    ["lone \uD800 surrogate", "#xD800"],
  ] as const) {
    await sqsRejects(
      raw.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body })),
      "InvalidMessageContents",
      msg(c),
    );
  }
  await sqsRejects(
    raw.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "" })),
    "MissingParameter",
    "The request must contain the parameter MessageBody.",
  );
});

test("message size counts the body and the attributes' names, types and values: N-1, N, N+1 bytes", async () => {
  const { url } = await newQueue(sqs);
  const attrs = { k: { DataType: "String", StringValue: "x" } };
  const attrBytes = "k".length + "String".length + "x".length;
  const max = 1_048_576;
  for (const size of [max - 1, max]) {
    await send(url, "a".repeat(size - attrBytes), { MessageAttributes: attrs });
  }
  await sqsRejects(
    send(url, "a".repeat(max + 1 - attrBytes), { MessageAttributes: attrs }),
    "InvalidParameterValue",
    "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.",
  );
  // Multi-byte characters count in UTF-8 bytes.
  await sqsRejects(
    send(url, "é".repeat(max / 2 + 1)),
    "InvalidParameterValue",
    /Message must be shorter than 1048576 bytes/,
  );
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { MaximumMessageSize: "1024" } }));
  await send(url, "a".repeat(1024));
  await sqsRejects(
    send(url, "a".repeat(1024 - attrBytes + 1), { MessageAttributes: attrs }),
    "InvalidParameterValue",
    "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.",
  );
});

test("message attributes: digests as AWS computes them, binary values, custom types, filters on receive (recorded)", async () => {
  const { url } = await newQueue(sqs);
  const attrs: Record<string, MessageAttributeValue> = {
    "Help.Me": { DataType: "String", StringValue: "Me" },
    Hello: { DataType: "String", StringValue: "There" },
    General: { DataType: "String", StringValue: "Kenobi" },
  };
  const sent = await send(url, "msg", { MessageAttributes: attrs });
  assert.equal(sent.MD5OfMessageAttributes, "4c360f3fdafd970e05fae2f149d997f5");
  const withNames = async (names: string[]) => {
    const [m] = await receive(url, { MessageAttributeNames: names, VisibilityTimeout: 0 });
    return { attrs: m!.MessageAttributes, md5: m!.MD5OfMessageAttributes };
  };
  assert.deepEqual(await withNames([]), { attrs: undefined, md5: undefined });
  for (const all of [["All"], ["*"], [".*"]]) {
    assert.deepEqual(await withNames(all), { attrs, md5: "4c360f3fdafd970e05fae2f149d997f5" });
  }
  assert.deepEqual(await withNames(["Foo", "Help"]), { attrs: undefined, md5: undefined });
  assert.deepEqual(await withNames(["Hello", "General"]), {
    attrs: { Hello: attrs.Hello, General: attrs.General },
    md5: "fca026605781cb4126a1e9044df24232",
  });
  assert.deepEqual(await withNames(["Foo", "Hello"]), {
    attrs: { Hello: attrs.Hello },
    md5: "a311262e065454b75da111d535b8dacd",
  });
  assert.deepEqual(await withNames(["Hel.*"]), {
    attrs: { "Help.Me": attrs["Help.Me"], Hello: attrs.Hello },
    md5: "83fee93c1bcd8b9a5a923ffacdc636c7",
  });
  assert.deepEqual(await withNames(["AWS."]), { attrs: undefined, md5: undefined });
  assert.deepEqual(await withNames(["..foo"]), { attrs: undefined, md5: undefined });

  const binary = {
    attr1: {
      DataType: "Binary",
      BinaryValue: Buffer.from("traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01"),
    },
  };
  const b = await newQueue(sqs);
  const sentB = await send(b.url, "test", { MessageAttributes: binary });
  assert.equal(sentB.MD5OfMessageAttributes, "8cbe4db156db8a94db8b801b7addb984");
  const [mb] = await receive(b.url, { MessageAttributeNames: ["All"] });
  assert.deepEqual(Buffer.from(mb!.MessageAttributes!.attr1!.BinaryValue!), binary.attr1.BinaryValue);
  assert.equal(mb!.MessageAttributes!.attr1!.DataType, "Binary");

  // The vector of the aws-md5-of-message-attributes package, which checks itself against SQS.
  const custom = {
    customNumberTypeAttrib: { DataType: "Number.float", StringValue: "4563442423554324324264524243.32543234" },
  };
  const sentC = await send(b.url, "c", { MessageAttributes: custom });
  assert.equal(sentC.MD5OfMessageAttributes, md5OfAttributes(custom));
  assert.equal(sentC.MD5OfMessageAttributes, "9fe1b90bbd9965bdf77bac517c7d2495");
});

test("message attribute rules: names, types, values and at most 10 of them", async () => {
  const { url } = await newQueue(sqs);
  const sendAttrs = (MessageAttributes: Record<string, MessageAttributeValue>) =>
    raw.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "b", MessageAttributes }));
  const s = (v: string) => ({ DataType: "String", StringValue: v });
  await sendAttrs({ "attr.1øß": s("ok") }).catch(() => undefined);
  await sendAttrs({ "attr.1_-x": s("Valid") });
  await sendAttrs(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, s("v")])));
  await sqsRejects(
    sendAttrs(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, s("v")]))),
    "InvalidParameterValue",
    "Number of message attributes [11] exceeds the allowed maximum [10].",
  );
  await sqsRejects(
    sendAttrs({ ErrorDetails: s("") }),
    "InvalidParameterValue",
    "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
  );
  await sqsRejects(
    sendAttrs({ n: { DataType: "Number", StringValue: "" } }),
    "InvalidParameterValue",
    "Message (user) attribute 'n' must contain a non-empty value of type 'Number'.",
  );
  await sqsRejects(
    sendAttrs({ n: { DataType: "Number", StringValue: "12a" } }),
    "InvalidParameterValue",
    "Can't cast the value of message (user) attribute 'n' to a number.",
  );
  await sqsRejects(
    sendAttrs({ bin: { DataType: "Binary", BinaryValue: new Uint8Array() } }),
    "InvalidParameterValue",
    "Message (user) attribute 'bin' must contain a non-empty value of type 'Binary'.",
  );
  await sqsRejects(
    sendAttrs({ Author: { DataType: "string", StringValue: "x" } }),
    "InvalidParameterValue",
    "The type of message (user) attribute 'Author' is invalid. You must use only the following supported type prefixes: Binary, Number, String.",
  );
  await sqsRejects(
    sendAttrs({ a: { DataType: `Number.${"L".repeat(256)}`, StringValue: "1" } }),
    "InvalidParameterValue",
    /type of message \(user\) attribute 'a' is invalid/,
  );
  for (const name of [
    "aWs.x",
    "AMAZON.y",
    ".lead",
    "trail.",
    "dou..ble",
    "Invalid-!-attr",
    "Invalid-(-attr",
    "L".repeat(257),
  ]) {
    await sqsRejects(
      sendAttrs({ [name]: s("Valid") }),
      "InvalidParameterValue",
      /The message attribute name '.*' is (invalid|reserved)/,
    );
  }
  await sqsRejects(
    sendAttrs({ attr1: s(`Invalid-${String.fromCharCode(8)}`) }),
    "InvalidParameterValue",
    /^Invalid binary character '#x8' was found in the value of message \(user\) attribute 'attr1'/,
  );
});

test("system attributes: AWSTraceHeader travels with the message and has its own digest (AWS-validated value)", async () => {
  const { url } = await newQueue(sqs);
  const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  const attrs = { timestamp: { StringValue: "1493147359900", DataType: "Number" } };
  const plain = await send(url, "test", { MessageAttributes: attrs });
  const traced = await send(url, "test", {
    MessageAttributes: attrs,
    MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: trace } },
  });
  assert.equal(plain.MD5OfMessageAttributes, traced.MD5OfMessageAttributes);
  assert.equal(plain.MD5OfMessageAttributes, "235c5c510d26fb653d073faed50ae77c");
  assert.equal(plain.MD5OfMessageSystemAttributes, undefined);
  assert.equal(traced.MD5OfMessageSystemAttributes, "5ae4d5d7636402d80f4eb6d213245a88");
  const got = await receive(url, {
    MaxNumberOfMessages: 10,
    MessageSystemAttributeNames: ["AWSTraceHeader", "SentTimestamp"],
  });
  assert.deepEqual(
    got.map((m) => m.Attributes),
    [{ SentTimestamp: String(START) }, { SentTimestamp: String(START), AWSTraceHeader: trace }],
  );
});

test("system attributes on receive: All, single names, both request members, timestamps in milliseconds", async () => {
  const { url } = await newQueue(sqs, { VisibilityTimeout: "0" });
  await send(url, "msg");
  await vigil.server.advance(3);
  const first = await receive(url, { AttributeNames: ["All"] });
  assert.deepEqual(first[0]!.Attributes, {
    SenderId: first[0]!.Attributes!.SenderId,
    SentTimestamp: String(START),
    ApproximateReceiveCount: "1",
    ApproximateFirstReceiveTimestamp: String(START + 3000),
  });
  assert.match(first[0]!.Attributes!.SenderId!, /^AIDA[A-Z2-7]{17}$/);
  await vigil.server.advance(2);
  const second = await receive(url, {
    MessageSystemAttributeNames: ["ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp"],
  });
  assert.deepEqual(second[0]!.Attributes, {
    ApproximateReceiveCount: "2",
    ApproximateFirstReceiveTimestamp: String(START + 3000),
  });
  // The deprecated AttributeNames takes message system attribute names too (the SDK types it as queue attributes).
  const one = await receive(url, { AttributeNames: ["SenderId", "SequenceNumber"] as never });
  assert.deepEqual(Object.keys(one[0]!.Attributes!), ["SenderId"]);
  const both = await receive(url, { AttributeNames: ["SenderId"] as never, MessageSystemAttributeNames: ["All"] });
  assert.equal(Object.keys(both[0]!.Attributes!).length, 4);
});

test("MaxNumberOfMessages, WaitTimeSeconds and VisibilityTimeout are checked at their limits (recorded messages)", async () => {
  const { url } = await newQueue(sqs);
  for (let i = 0; i < 12; i++) await send(url, `m${i}`);
  assert.equal((await receive(url, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 })).length, 10);
  assert.equal((await receive(url, { MaxNumberOfMessages: 1, VisibilityTimeout: 0 })).length, 1);
  for (const bad of [0, 11]) {
    await sqsRejects(
      receive(url, { MaxNumberOfMessages: bad }),
      "InvalidParameterValue",
      `Value ${bad} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
    );
  }
  for (const bad of [-1, 21]) {
    await sqsRejects(
      receive(url, { WaitTimeSeconds: bad }),
      "InvalidParameterValue",
      `Value ${bad} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
    );
  }
  for (const bad of [-1, 43201]) {
    await sqsRejects(
      receive(url, { VisibilityTimeout: bad }),
      "InvalidParameterValue",
      `Value ${bad} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.`,
    );
  }
  assert.equal((await receive(url, { VisibilityTimeout: 43200 })).length, 1);
});

test("visibility: a received message is hidden for the queue's timeout or the receive's, then comes back", async () => {
  const { url } = await newQueue(sqs, { VisibilityTimeout: "10" });
  const sent = await send(url, "v");
  const [first] = await receive(url);
  assert.deepEqual(await receive(url), []);
  await vigil.server.advance(9);
  assert.deepEqual(await receive(url), []);
  await vigil.server.advance(1);
  const [second] = await receive(url, { VisibilityTimeout: 3 });
  assert.equal(second!.MessageId, sent.MessageId);
  assert.notEqual(second!.ReceiptHandle, first!.ReceiptHandle);
  await vigil.server.advance(2);
  assert.deepEqual(await receive(url), []);
  await vigil.server.advance(1);
  const [third] = await receive(url, { VisibilityTimeout: 0 });
  assert.equal(third!.MessageId, sent.MessageId);
  const [fourth] = await receive(url, { MessageSystemAttributeNames: ["ApproximateReceiveCount"] });
  assert.equal(fourth!.Attributes!.ApproximateReceiveCount, "4");
  // Any receipt of a standard queue's message deletes it, even one whose visibility ended (AWS-validated).
  await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first!.ReceiptHandle }));
  assert.deepEqual(await counts(sqs, url), { visible: 0, notVisible: 0, delayed: 0 });
});

test("ChangeMessageVisibility extends, ends and limits a receipt's visibility as AWS does", async () => {
  const { url } = await newQueue(sqs, { VisibilityTimeout: "2" });
  await send(url, "test");
  const [m] = await receive(url);
  const change = (VisibilityTimeout: number, ReceiptHandle = m!.ReceiptHandle) =>
    sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle, VisibilityTimeout }));
  for (let i = 0; i < 4; i++) {
    await vigil.server.advance(1);
    await change(2);
    assert.deepEqual(await receive(url), []);
  }
  await change(0);
  const [again] = await receive(url, { VisibilityTimeout: 5 });
  assert.equal(again!.Body, "test");
  // The earlier receipt's visibility ended: OK, and nothing changes (the message stays hidden by the later receipt).
  await change(0);
  assert.deepEqual(await receive(url), []);
  // 12 hours from the receive at most.
  await vigil.server.advance(1);
  await change(43199, again!.ReceiptHandle);
  for (const bad of [43200, 43201]) {
    await sqsRejects(
      change(bad, again!.ReceiptHandle),
      "InvalidParameterValue",
      `Value ${bad} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds].`,
    );
  }
  await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again!.ReceiptHandle }));
  await sqsRejects(
    change(42, again!.ReceiptHandle),
    "InvalidParameterValue",
    `Value ${again!.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
  );
});

test("receipt handles Vigil did not issue, or issued for another queue, are ReceiptHandleIsInvalid (AWS-validated)", async () => {
  const a = await newQueue(sqs);
  const b = await newQueue(sqs);
  await send(a.url, "x");
  const [m] = await receive(a.url);
  for (const handle of ["garbage", "INVALID", m!.ReceiptHandle!.slice(0, -4) + "AAA=", m!.ReceiptHandle + "x"]) {
    await sqsRejects(
      sqs.send(new DeleteMessageCommand({ QueueUrl: a.url, ReceiptHandle: handle })),
      "ReceiptHandleIsInvalid",
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
    );
    await sqsRejects(
      sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: a.url, ReceiptHandle: handle, VisibilityTimeout: 60 })),
      "ReceiptHandleIsInvalid",
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
    );
  }
  await sqsRejects(
    sqs.send(new DeleteMessageCommand({ QueueUrl: b.url, ReceiptHandle: m!.ReceiptHandle })),
    "ReceiptHandleIsInvalid",
    `The input receipt handle "${m!.ReceiptHandle}" is not a valid receipt handle.`,
  );
});

test("delays: the queue's DelaySeconds, or the message's (0 to 900)", async () => {
  const { url } = await newQueue(sqs, { DelaySeconds: "5", VisibilityTimeout: "43200" });
  await send(url, "queue delay");
  await send(url, "no delay", { DelaySeconds: 0 });
  await send(url, "max delay", { DelaySeconds: 900 });
  assert.deepEqual(
    (await receive(url, { MaxNumberOfMessages: 10 })).map((m) => m.Body),
    ["no delay"],
  );
  await vigil.server.advance(5);
  assert.deepEqual(
    (await receive(url, { MaxNumberOfMessages: 10 })).map((m) => m.Body),
    ["queue delay"],
  );
  await vigil.server.advance(894);
  assert.deepEqual(await receive(url), []);
  await vigil.server.advance(1);
  assert.deepEqual(
    (await receive(url)).map((m) => m.Body),
    ["max delay"],
  );
  for (const bad of [-1, 901]) {
    await sqsRejects(
      send(url, "x", { DelaySeconds: bad }),
      "InvalidParameterValue",
      `Value ${bad} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`,
    );
  }
});

test("retention: a message older than MessageRetentionPeriod is never received and is deleted", async () => {
  const { url } = await newQueue(sqs, { MessageRetentionPeriod: "60" });
  await send(url, "old");
  await vigil.server.advance(30);
  await send(url, "young");
  await vigil.server.advance(30);
  assert.deepEqual(
    (await receive(url, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 })).map((m) => m.Body),
    ["young"],
  );
  assert.equal((await counts(sqs, url)).visible, 1);
  // Shortening the period applies to the messages already there.
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { MessageRetentionPeriod: "60" } }));
  await vigil.server.advance(30);
  assert.deepEqual(await receive(url), []);
});

test("SendMessageBatch: per-entry results, entries that fail reported in Failed (recorded codes)", async () => {
  const { url } = await newQueue(sqs, { MaximumMessageSize: "1024" });
  const r = await raw.send(
    new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: [
        { Id: "ok", MessageBody: "a", MessageAttributes: { k: { DataType: "String", StringValue: "x" } } },
        { Id: "bad-char", MessageBody: "\u0001" },
        { Id: "too-long", MessageBody: "a".repeat(1025) },
        { Id: "delayed", MessageBody: "d", DelaySeconds: 10 },
        { Id: "bad-attr", MessageBody: "e", MessageAttributes: { k: { DataType: "String", StringValue: "" } } },
      ],
    }),
  );
  assert.deepEqual(
    r.Successful!.map((s) => [s.Id, s.MD5OfMessageBody, s.MD5OfMessageAttributes]),
    [
      ["ok", "0cc175b9c0f1b6a831c399e269772661", "a45daa70926828a2f0a1db3418e6feb4"],
      ["delayed", "8277e0910d750195b448797616e091ad", undefined],
    ],
  );
  assert.deepEqual(r.Failed, [
    {
      Id: "bad-char",
      SenderFault: true,
      Code: "InvalidMessageContents",
      Message:
        "Invalid binary character '#x1' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
    },
    {
      Id: "too-long",
      SenderFault: true,
      Code: "InvalidParameterValue",
      Message: "One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.",
    },
    {
      Id: "bad-attr",
      SenderFault: true,
      Code: "InvalidParameterValue",
      Message: "Message (user) attribute 'k' must contain a non-empty value of type 'String'.",
    },
  ]);
  assert.deepEqual(await counts(sqs, url), { visible: 1, notVisible: 0, delayed: 1 });
});

test("SendMessageBatch rules: 1 to 10 entries, distinct ids of up to 80 characters, 1 MiB in all (recorded)", async () => {
  const { url } = await newQueue(sqs);
  const batch = (Entries: { Id: string; MessageBody: string }[]) =>
    raw.send(new SendMessageBatchCommand({ QueueUrl: url, Entries }));
  const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: `m-${i}`, MessageBody: `b${i}` }));
  assert.equal((await batch(entries(10))).Successful!.length, 10);
  assert.equal((await batch(entries(9))).Successful!.length, 9);
  await sqsRejects(
    batch(entries(11)),
    "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
    "Maximum number of entries per request are 10. You have sent 11.",
  );
  await sqsRejects(
    batch(entries(20)),
    "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
    "Maximum number of entries per request are 10. You have sent 20.",
  );
  await sqsRejects(
    batch([]),
    "AWS.SimpleQueueService.EmptyBatchRequest",
    "There should be at least one SendMessageBatchRequestEntry in the request.",
  );
  await sqsRejects(
    batch([
      { Id: "a", MessageBody: "1" },
      { Id: "a", MessageBody: "2" },
    ]),
    "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
    "Id a repeated.",
  );
  const badId =
    "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.";
  for (const id of ["", "invalid:id", "x".repeat(81)]) {
    await sqsRejects(batch([{ Id: id, MessageBody: "1" }]), "AWS.SimpleQueueService.InvalidBatchEntryId", badId);
  }
  assert.equal((await batch([{ Id: "x".repeat(80), MessageBody: "1" }])).Successful!.length, 1);
  const attrs = { k: { DataType: "String", StringValue: "x" } };
  const full = "a".repeat(1_048_576 - 8);
  await sqsRejects(
    raw.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: "1", MessageBody: full, MessageAttributes: attrs },
          { Id: "2", MessageBody: "a" },
        ],
      }),
    ),
    "AWS.SimpleQueueService.BatchRequestTooLong",
    "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.",
  );
  const fits = await raw.send(
    new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: [
        { Id: "1", MessageBody: full.slice(1), MessageAttributes: attrs },
        { Id: "2", MessageBody: "a" },
      ],
    }),
  );
  assert.equal(fits.Successful!.length, 2);
});

test("DeleteMessageBatch and ChangeMessageVisibilityBatch report each entry", async () => {
  const { url } = await newQueue(sqs, { VisibilityTimeout: "30" });
  await raw.send(
    new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: [1, 2, 3].map((i) => ({ Id: `e${i}`, MessageBody: `b${i}` })),
    }),
  );
  const got = await receive(url, { MaxNumberOfMessages: 10 });
  assert.equal(got.length, 3);
  const changed = await sqs.send(
    new ChangeMessageVisibilityBatchCommand({
      QueueUrl: url,
      Entries: [
        { Id: "a", ReceiptHandle: got[0]!.ReceiptHandle, VisibilityTimeout: 0 },
        { Id: "b", ReceiptHandle: "garbage", VisibilityTimeout: 0 },
      ],
    }),
  );
  assert.deepEqual(changed.Successful, [{ Id: "a" }]);
  assert.deepEqual(changed.Failed, [
    {
      Id: "b",
      SenderFault: true,
      Code: "ReceiptHandleIsInvalid",
      Message: 'The input receipt handle "garbage" is not a valid receipt handle.',
    },
  ]);
  assert.equal((await counts(sqs, url)).visible, 1);
  const deleted = await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: url,
      Entries: [
        { Id: "x", ReceiptHandle: got[1]!.ReceiptHandle },
        { Id: "y", ReceiptHandle: got[2]!.ReceiptHandle },
        { Id: "z", ReceiptHandle: "nope" },
      ],
    }),
  );
  assert.deepEqual(deleted.Successful, [{ Id: "x" }, { Id: "y" }]);
  assert.equal(deleted.Failed!.length, 1);
  assert.deepEqual(await counts(sqs, url), { visible: 1, notVisible: 0, delayed: 0 });
  const many = Array.from({ length: 11 }, (_, i) => ({ Id: String(i), ReceiptHandle: "h" }));
  await sqsRejects(
    sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: many })),
    "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
    "Maximum number of entries per request are 10. You have sent 11.",
  );
  await sqsRejects(
    sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: many.map((e) => ({ ...e, VisibilityTimeout: 1 })),
      }),
    ),
    "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
    "Maximum number of entries per request are 10. You have sent 11.",
  );
  await sqsRejects(
    sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: "invalid:id", ReceiptHandle: "h" }] })),
    "AWS.SimpleQueueService.InvalidBatchEntryId",
    "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
  );
  await sqsRejects(
    sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [] })),
    "AWS.SimpleQueueService.EmptyBatchRequest",
    "There should be at least one DeleteMessageBatchRequestEntry in the request.",
  );
});

test("a standard queue takes a MessageGroupId (fair queues) but no MessageDeduplicationId (recorded)", async () => {
  const { url } = await newQueue(sqs);
  await send(url, "message", { MessageGroupId: "test" });
  const [m] = await receive(url, { MessageSystemAttributeNames: ["All"] });
  assert.equal(m!.Attributes!.MessageGroupId, "test");
  const reason = "MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.";
  for (const bad of ["", "a".repeat(129), "group 123"]) {
    await sqsRejects(
      send(url, "x", { MessageGroupId: bad }),
      "InvalidParameterValue",
      `Value ${bad} for parameter MessageGroupId is invalid. Reason: ${reason}`,
    );
  }
  await send(url, "x", { MessageGroupId: "a".repeat(128) });
  await sqsRejects(
    send(url, "x", { MessageDeduplicationId: "d" }),
    "InvalidParameterValue",
    "Value d for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.",
  );
});

test("the CloudTrail records of message calls hide the bodies, as CloudTrail's SQS data events do", async () => {
  const { url } = await newQueue(sqs);
  const sent = await send(url, "secret body");
  await receive(url);
  await sqsRejects(
    raw.send(new SendMessageCommand({ QueueUrl: url, MessageBody: undefined as never })),
    "MissingParameter",
    "The request must contain the parameter MessageBody.",
  );
  await vigil.server.recorder.drain();
  // Data events are not in the event history (LookupEvents); they are read as trails read them.
  const trails = vigil.server.stores.trails;
  const rows = (await trails.auditAfter(0, await trails.maxAuditSeq(), 100_000)).filter(
    (r) => r.account === ACCOUNT && r.eventCategory === "Data",
  );
  const records = rows.map((r) => JSON.parse(r.record) as Record<string, Record<string, unknown> | null>);
  const send1 = records.find(
    (r) => r.eventName === ("SendMessage" as never) && r.responseElements?.messageId === sent.MessageId,
  )!;
  assert.deepEqual(send1.requestParameters, { queueUrl: url, messageBody: "HIDDEN_DUE_TO_SECURITY_REASONS" });
  // AWS's spelling of the lower-cased member (recorded in the SQS Developer Guide's example).
  assert.equal(send1.responseElements!.mD5OfMessageBody, sent.MD5OfMessageBody);
  const got = records.find(
    (r) => r.eventName === ("ReceiveMessage" as never) && r.requestParameters?.queueUrl === url,
  )!;
  const messages = got.responseElements!.messages as { body: string }[];
  assert.deepEqual(
    messages.map((m) => m.body),
    ["HIDDEN_DUE_TO_SECURITY_REASONS"],
  );
  assert.ok(!rows.some((r) => r.record.includes("secret body")));
});

test("other services deliver to a queue by its ARN with SendMessage's checks (sendToQueue)", async () => {
  const { url, name } = await newQueue(sqs);
  const deps = { stores: vigil.server.stores, clock: vigil.server.clock };
  const id = await sendToQueue(
    deps,
    arnOf(name),
    { MessageBody: '{"source":"aws.events"}', MessageAttributes: { k: { DataType: "String", StringValue: "v" } } },
    { account: "events" },
  );
  const [m] = await receive(url, { MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["SenderId"] });
  assert.deepEqual([m!.MessageId, m!.Body, m!.Attributes!.SenderId], [id, '{"source":"aws.events"}', "events"]);
  assert.equal(await sendToQueue(deps, arnOf("no-such-queue"), { MessageBody: "x" }, { account: ACCOUNT }), undefined);
  await assert.rejects(sendToQueue(deps, arnOf(name), { MessageBody: "\u0000" }, { account: ACCOUNT }), {
    code: "InvalidMessageContents",
  });
});

test("batch answers leave out an empty Successful or Failed list, as AWS does (recorded)", async () => {
  const { url } = await newQueue(sqs);
  const ok = await raw.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: "1", MessageBody: "a" }] }));
  assert.equal(ok.Failed, undefined);
  assert.equal(ok.Successful!.length, 1);
  const bad = await sqs.send(
    new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: "x", ReceiptHandle: "garbage" }] }),
  );
  assert.equal(bad.Successful, undefined);
  assert.equal(bad.Failed!.length, 1);
});
