/**
 * Publish to SQS subscriptions through the JS SDK: the signed JSON envelope (verified with the certificate fetched
 * from SigningCertURL, by node's crypto and by openssl), raw delivery with message attributes, MessageStructure json,
 * FIFO topics to FIFO queues with deduplication, PublishBatch, and the recorded errors of Publish.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PublishBatchCommand, PublishCommand, SetTopicAttributesCommand, SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Vigil } from "../helpers/vigil.js";
import { verifyEnvelope } from "./verify.js";
import { deliverAndReceive, newTopic, rejects, startSnsVigil, START, topicWithQueue } from "./helpers.js";

let vigil: Vigil;
let sns: SNSClient;
let sqs: SQSClient;
before(async () => {
  vigil = await startSnsVigil();
  sns = vigil.client(SNSClient);
  sqs = vigil.client(SQSClient);
});
after(() => vigil.close());

type Envelope = Record<string, unknown> & { Signature: string; SigningCertURL: string; SignatureVersion: string };

test("a notification reaches the queue in the signed envelope AWS sends", async () => {
  const { topic, queue, subscriptionArn } = await topicWithQueue(sns, sqs);
  const { MessageId } = await sns.send(
    new PublishCommand({
      TopicArn: topic.arn,
      Message: "This is a test message",
      Subject: "Hello",
      MessageAttributes: { attr1: { DataType: "Number", StringValue: "99.12" } },
    }),
  );
  const [m] = await deliverAndReceive(vigil, sqs, queue.url);
  assert.ok(m, "delivered");
  const e = JSON.parse(m.Body!) as Envelope;
  assert.deepEqual(Object.keys(e), [
    "Type",
    "MessageId",
    "TopicArn",
    "Subject",
    "Message",
    "Timestamp",
    "SignatureVersion",
    "Signature",
    "SigningCertURL",
    "UnsubscribeURL",
    "MessageAttributes",
  ]);
  assert.equal(e.Type, "Notification");
  assert.equal(e.MessageId, MessageId);
  assert.equal(e.TopicArn, topic.arn);
  assert.equal(e.Message, "This is a test message");
  assert.equal(e.Timestamp, new Date(START).toISOString());
  assert.equal(e.SignatureVersion, "1");
  assert.match(e.SigningCertURL, new RegExp(`^${vigil.url}/_vigil/sns/SimpleNotificationService-[0-9a-f]+\\.pem$`));
  assert.equal(e.UnsubscribeURL, `${vigil.url}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`);
  assert.deepEqual(e.MessageAttributes, { attr1: { Type: "Number", Value: "99.12" } });
  await verifyEnvelope(e);
});

test("SignatureVersion 2 signs with SHA256", async () => {
  const { topic, queue } = await topicWithQueue(sns, sqs);
  await sns.send(
    new SetTopicAttributesCommand({ TopicArn: topic.arn, AttributeName: "SignatureVersion", AttributeValue: "2" }),
  );
  await sns.send(new PublishCommand({ TopicArn: topic.arn, Message: "v2 ✓ unicode" }));
  const [m] = await deliverAndReceive(vigil, sqs, queue.url);
  const e = JSON.parse(m!.Body!) as Envelope;
  assert.equal(e.SignatureVersion, "2");
  assert.equal(e.Subject, undefined);
  await verifyEnvelope(e);
  // A tampered message does not verify.
  await assert.rejects(verifyEnvelope({ ...e, Message: "v3" }));
});

test("raw delivery sends the bare message with its attributes as SQS message attributes", async () => {
  const { topic, queue } = await topicWithQueue(sns, sqs, { RawMessageDelivery: "true" });
  await sns.send(
    new PublishCommand({
      TopicArn: topic.arn,
      Message: "raw body",
      MessageAttributes: {
        s: { DataType: "String", StringValue: "text" },
        n: { DataType: "Number", StringValue: "12" },
        b: { DataType: "Binary", BinaryValue: Buffer.from([1, 2, 3]) },
        a: { DataType: "String.Array", StringValue: '["x", 1]' },
      },
    }),
  );
  const [m] = await deliverAndReceive(vigil, sqs, queue.url);
  assert.equal(m!.Body, "raw body");
  const a = m!.MessageAttributes!;
  assert.equal(a.s!.StringValue, "text");
  assert.equal(a.n!.DataType, "Number");
  assert.equal(a.n!.StringValue, "12");
  assert.deepEqual([...a.b!.BinaryValue!], [1, 2, 3]);
  assert.equal(a.a!.DataType, "String.Array");
});

test("MessageStructure json sends each protocol its own message", async () => {
  const { topic, queue } = await topicWithQueue(sns, sqs);
  await sns.send(
    new PublishCommand({
      TopicArn: topic.arn,
      MessageStructure: "json",
      Message: JSON.stringify({ default: "for everyone", sqs: "for queues", email: "for mail" }),
    }),
  );
  const [m] = await deliverAndReceive(vigil, sqs, queue.url);
  assert.equal((JSON.parse(m!.Body!) as Envelope).Message, "for queues");
  await rejects(
    sns.send(new PublishCommand({ TopicArn: topic.arn, MessageStructure: "json", Message: '{"sqs": "x"}' })),
    "InvalidParameterException",
    "Invalid parameter: Message Structure - No default entry in JSON message body",
  );
  await rejects(
    sns.send(new PublishCommand({ TopicArn: topic.arn, MessageStructure: "json", Message: "{not json" })),
    "InvalidParameterException",
    "Invalid parameter: Message Structure - JSON message body failed to parse",
  );
});

test("Publish errors as AWS words them", async () => {
  const { arn } = await newTopic(sns);
  await rejects(
    sns.send(new PublishCommand({ TopicArn: arn, Message: "" })),
    "InvalidParameterException",
    "Invalid parameter: Empty message",
  );
  await rejects(
    sns.send(new PublishCommand({ TopicArn: arn, Message: "x", Subject: "" })),
    "InvalidParameterException",
    "Invalid parameter: Subject",
  );
  await rejects(
    sns.send(new PublishCommand({ TopicArn: arn, Message: "x", Subject: "line\nbreak" })),
    "InvalidParameterException",
    "Invalid parameter: Subject",
  );
  await rejects(
    sns.send(new PublishCommand({ TopicArn: arn, Message: "x".repeat(262_145) })),
    "InvalidParameterException",
    "Invalid parameter: Message too long",
  );
  await rejects(
    sns.send(new PublishCommand({ TopicArn: arn + "-none", Message: "x" })),
    "NotFoundException",
    "Topic does not exist",
  );
  await rejects(
    sns.send(new PublishCommand({ TopicArn: "arn:aws:sns", Message: "x" })),
    "InvalidParameterException",
    "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 3",
  );
  await rejects(
    sns.send(new PublishCommand({ TopicArn: arn, Message: "x", MessageDeduplicationId: "d" })),
    "InvalidParameterException",
    "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type",
  );
});

test("message attribute errors as AWS words them", async () => {
  const { arn } = await newTopic(sns);
  const cases: [Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>, string][] = [
    [
      { attr1: { DataType: "String", StringValue: "" } },
      "The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'String'.",
    ],
    [
      { attr1: { DataType: "Binary", BinaryValue: new Uint8Array() } },
      "The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'Binary'.",
    ],
    [
      { attr1: { DataType: "String", BinaryValue: Buffer.from("x") } },
      "The message attribute 'attr1' with type 'String' must use field 'String'.",
    ],
    [
      { attr1: { DataType: "Number", BinaryValue: Buffer.from("x") } },
      "The message attribute 'attr1' with type 'Number' must use field 'String'.",
    ],
    [
      { attr1: { DataType: "Binary", StringValue: "x" } },
      "The message attribute 'attr1' with type 'Binary' must use field 'Binary'.",
    ],
    [
      { attr1: { DataType: "Other", StringValue: "x" } },
      "The message attribute 'attr1' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.",
    ],
    [
      { ["a".repeat(256)]: { DataType: "String", StringValue: "x" } },
      "Length of message attribute name must be less than 256 bytes.",
    ],
    [
      { "a^b": { DataType: "String", StringValue: "x" } },
      "Invalid non-alphanumeric character '#x5E' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.",
    ],
    [
      { ".ab": { DataType: "String", StringValue: "x" } },
      "Invalid message attribute name starting with character '.' was found.",
    ],
    [
      { "ab.": { DataType: "String", StringValue: "x" } },
      "Invalid message attribute name ending with character '.' was found.",
    ],
    [
      { "a..b": { DataType: "String", StringValue: "x" } },
      "Message attribute name can not have successive '.' character.",
    ],
  ];
  for (const [attrs, message] of cases) {
    await rejects(
      sns.send(new PublishCommand({ TopicArn: arn, Message: "x", MessageAttributes: attrs })),
      "InvalidParameterValueException",
      message,
    );
  }
});

test("FIFO topic to FIFO queue: group id required, content-based deduplication within 5 minutes", async () => {
  const { topic, queue } = await topicWithQueue(sns, sqs, {}, true);
  await rejects(
    sns.send(new PublishCommand({ TopicArn: topic.arn, Message: "x" })),
    "InvalidParameterException",
    "Invalid parameter: The MessageGroupId parameter is required for FIFO topics",
  );
  const a = await sns.send(new PublishCommand({ TopicArn: topic.arn, Message: "same", MessageGroupId: "g" }));
  const b = await sns.send(new PublishCommand({ TopicArn: topic.arn, Message: "same", MessageGroupId: "g" }));
  assert.equal(b.MessageId, a.MessageId);
  assert.match(a.SequenceNumber!, /^\d{20}$/);
  const msgs = await deliverAndReceive(vigil, sqs, queue.url);
  assert.equal(msgs.length, 1);
  const e = JSON.parse(msgs[0]!.Body!) as Envelope;
  assert.equal(e.MessageId, a.MessageId);
  assert.equal(msgs[0]!.Attributes!.MessageGroupId, "g");
  // After the window the same content is a new message.
  await vigil.server.scheduler.advance(301_000);
  const c = await sns.send(new PublishCommand({ TopicArn: topic.arn, Message: "same", MessageGroupId: "g" }));
  assert.notEqual(c.MessageId, a.MessageId);

  const plain = await newTopic(sns, {}, { fifo: true });
  await rejects(
    sns.send(new PublishCommand({ TopicArn: plain.arn, Message: "x", MessageGroupId: "g" })),
    "InvalidParameterException",
    "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
  );
});

test("PublishBatch: per-entry results and the batch errors", async () => {
  const { topic, queue } = await topicWithQueue(sns, sqs);
  const r = await sns.send(
    new PublishBatchCommand({
      TopicArn: topic.arn,
      PublishBatchRequestEntries: [
        { Id: "one", Message: "first" },
        { Id: "two", Message: "" },
        { Id: "three", Message: "third" },
      ],
    }),
  );
  assert.deepEqual(
    r.Successful!.map((s) => s.Id),
    ["one", "three"],
  );
  assert.deepEqual(r.Failed, [
    { Id: "two", Code: "InvalidParameter", Message: "Invalid parameter: Empty message", SenderFault: true },
  ]);
  const msgs = await deliverAndReceive(vigil, sqs, queue.url);
  assert.deepEqual(msgs.map((m) => (JSON.parse(m.Body!) as Envelope).Message).sort(), ["first", "third"]);
  const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, Message: "m" }));
  await rejects(
    sns.send(new PublishBatchCommand({ TopicArn: topic.arn, PublishBatchRequestEntries: entries(11) })),
    "TooManyEntriesInBatchRequestException",
    "The batch request contains more entries than permissible.",
  );
  await rejects(
    sns.send(
      new PublishBatchCommand({
        TopicArn: topic.arn,
        PublishBatchRequestEntries: [
          { Id: "a", Message: "m" },
          { Id: "a", Message: "n" },
        ],
      }),
    ),
    "BatchEntryIdsNotDistinctException",
    "Two or more batch entries in the request have the same Id.",
  );
  await rejects(
    sns.send(
      new PublishBatchCommand({
        TopicArn: topic.arn,
        PublishBatchRequestEntries: [{ Id: "message.id", Message: "m" }],
      }),
    ),
    "InvalidBatchEntryIdException",
    "The Id of a batch entry in the batch request contains an impermissible character: message.id",
  );
  await rejects(
    sns.send(
      new PublishBatchCommand({
        TopicArn: topic.arn,
        PublishBatchRequestEntries: [
          { Id: "a", Message: "x".repeat(200_000) },
          { Id: "b", Message: "x".repeat(70_000) },
        ],
      }),
    ),
    "BatchRequestTooLongException",
    "The length of all the messages put together is more than the limit.",
  );
});
