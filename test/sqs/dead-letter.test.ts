/**
 * Dead-letter queues and redrive: a message received maxReceiveCount times moves to the dead-letter queue on the next
 * receive, keeping its id, body, attributes and receive count, with DeadLetterQueueSourceArn (recorded); message move
 * tasks take them back or elsewhere, at their rate, on the clock.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CancelMessageMoveTaskCommand,
  DeleteQueueCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  type Message,
} from "@aws-sdk/client-sqs";
import { unique, type Vigil } from "../helpers/vigil.js";
import { arnOf, counts, newQueue, sqsRejects, START, startSqsVigil } from "./helpers.js";

let vigil: Vigil;
let sqs: SQSClient;
before(async () => {
  vigil = await startSqsVigil();
  sqs = vigil.client(SQSClient);
});
after(() => vigil.close());

const receive = async (QueueUrl: string, extra: object = {}): Promise<Message[]> =>
  (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...extra }))).Messages ?? [];

/** A source queue whose messages dead-letter after `maxReceiveCount` receives, and its dead-letter queue. */
async function pipe(maxReceiveCount = 1, fifo = false) {
  const dlq = await newQueue(sqs, fifo ? { ContentBasedDeduplication: "true" } : {}, { fifo, prefix: "dlq" });
  const source = await newQueue(
    sqs,
    {
      VisibilityTimeout: "0",
      ...(fifo ? { ContentBasedDeduplication: "true" } : {}),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf(dlq.name), maxReceiveCount }),
    },
    { fifo, prefix: "src" },
  );
  return { dlq, source };
}

test("after maxReceiveCount receives a message moves to the dead-letter queue, as recorded", async () => {
  const { dlq, source } = await pipe(1);
  const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  const m1 = await sqs.send(
    new SendMessageCommand({
      QueueUrl: source.url,
      MessageBody: "message-1",
      MessageAttributes: { MyAttribute: { DataType: "String", StringValue: "foobar" } },
      MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: trace } },
    }),
  );
  const m2 = await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: "message-2" }));
  const pre = await receive(source.url, { AttributeNames: ["All"], MessageAttributeNames: ["All"] });
  assert.deepEqual(
    pre.map((m) => [m.Body, m.Attributes!.ApproximateReceiveCount]),
    [
      ["message-1", "1"],
      ["message-2", "1"],
    ],
  );
  assert.deepEqual(await receive(source.url), []);
  assert.deepEqual(await counts(sqs, source.url), { visible: 0, notVisible: 0, delayed: 0 });
  const moved = await receive(dlq.url, { AttributeNames: ["All"], MessageAttributeNames: ["All"] });
  assert.deepEqual(
    moved.map((m) => ({ id: m.MessageId, body: m.Body, md5: m.MD5OfMessageAttributes, a: m.Attributes })),
    [
      {
        id: m1.MessageId,
        body: "message-1",
        md5: "adb59cd4678ea5a855436b949cd07ab6",
        a: {
          SenderId: moved[0]!.Attributes!.SenderId,
          SentTimestamp: String(START),
          ApproximateReceiveCount: "2",
          ApproximateFirstReceiveTimestamp: String(START),
          AWSTraceHeader: trace,
          DeadLetterQueueSourceArn: arnOf(source.name),
        },
      },
      {
        id: m2.MessageId,
        body: "message-2",
        md5: undefined,
        a: {
          SenderId: moved[1]!.Attributes!.SenderId,
          SentTimestamp: String(START),
          ApproximateReceiveCount: "2",
          ApproximateFirstReceiveTimestamp: String(START),
          DeadLetterQueueSourceArn: arnOf(source.name),
        },
      },
    ],
  );
});

test("FIFO dead-letter queues take FIFO sources' messages after maxReceiveCount (AWS-validated)", async () => {
  const { dlq, source } = await pipe(2, true);
  const sent = await sqs.send(
    new SendMessageCommand({ QueueUrl: source.url, MessageBody: "foobar", MessageGroupId: "1" }),
  );
  assert.equal((await receive(source.url)).length, 1);
  assert.equal((await receive(source.url)).length, 1);
  assert.deepEqual(await receive(source.url), []);
  const [m] = await receive(dlq.url, { MessageSystemAttributeNames: ["MessageGroupId"] });
  assert.equal(m!.MessageId, sent.MessageId);
  assert.equal(m!.Body, "foobar");
  assert.equal(m!.Attributes!.MessageGroupId, "1");
});

test("a deleted dead-letter queue leaves the messages where they are", async () => {
  const { dlq, source } = await pipe(1);
  await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: "stays" }));
  await sqs.send(new DeleteQueueCommand({ QueueUrl: dlq.url }));
  for (let i = 0; i < 3; i++)
    assert.deepEqual(
      (await receive(source.url)).map((m) => m.Body),
      ["stays"],
    );
});

async function deadLettered(n: number) {
  const { dlq, source } = await pipe(1);
  for (let i = 0; i < n; i++)
    await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: `message-${i}` }));
  while ((await counts(sqs, dlq.url)).visible < n) await receive(source.url);
  return { dlq, source };
}

test("a move task takes a dead-letter queue's messages to a destination, then completes (recorded)", async () => {
  const { dlq } = await deadLettered(2);
  const dest = await newQueue(sqs, {}, { prefix: "dest" });
  const start = await sqs.send(
    new StartMessageMoveTaskCommand({ SourceArn: arnOf(dlq.name), DestinationArn: arnOf(dest.name) }),
  );
  const decoded = JSON.parse(Buffer.from(start.TaskHandle!, "base64").toString("utf8"));
  assert.deepEqual(Object.keys(decoded), ["taskId", "sourceArn"]);
  assert.equal(decoded.sourceArn, arnOf(dlq.name));
  const running = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arnOf(dlq.name) }));
  assert.deepEqual(running.Results, [
    {
      TaskHandle: start.TaskHandle,
      Status: "RUNNING",
      SourceArn: arnOf(dlq.name),
      DestinationArn: arnOf(dest.name),
      ApproximateNumberOfMessagesMoved: 0,
      ApproximateNumberOfMessagesToMove: 2,
      StartedTimestamp: START,
    },
  ]);
  await vigil.server.advance(1);
  const done = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arnOf(dlq.name), MaxResults: 10 }));
  assert.deepEqual(done.Results, [
    {
      Status: "COMPLETED",
      SourceArn: arnOf(dlq.name),
      DestinationArn: arnOf(dest.name),
      ApproximateNumberOfMessagesMoved: 2,
      ApproximateNumberOfMessagesToMove: 2,
      StartedTimestamp: START,
    },
  ]);
  assert.deepEqual((await receive(dest.url)).map((m) => m.Body).sort(), ["message-0", "message-1"]);
  assert.deepEqual(await receive(dlq.url), []);
});

test("without a destination, messages go back to the queues they were dead-lettered from (recorded)", async () => {
  const a = await deadLettered(2);
  // A second source queue feeding the same dead-letter queue.
  const b = await newQueue(sqs, {
    VisibilityTimeout: "0",
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf(a.dlq.name), maxReceiveCount: 1 }),
  });
  for (const body of ["b-0", "b-1"]) await sqs.send(new SendMessageCommand({ QueueUrl: b.url, MessageBody: body }));
  while ((await counts(sqs, a.dlq.url)).visible < 4) await receive(b.url);
  await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arnOf(a.dlq.name) }));
  await vigil.server.advance(1);
  const [task] = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arnOf(a.dlq.name) }))).Results!;
  assert.equal(task!.Status, "COMPLETED");
  assert.equal(task!.ApproximateNumberOfMessagesMoved, 4);
  assert.equal(task!.DestinationArn, undefined);
  assert.deepEqual((await receive(a.source.url)).map((m) => m.Body).sort(), ["message-0", "message-1"]);
  const back = await receive(b.url, { AttributeNames: ["ApproximateReceiveCount"] });
  assert.deepEqual(back.map((m) => [m.Body, m.Attributes!.ApproximateReceiveCount]).sort(), [
    ["b-0", "1"],
    ["b-1", "1"],
  ]);
});

test("MaxNumberOfMessagesPerSecond paces a task; cancelling stops it where it is (recorded)", async () => {
  const { dlq } = await deadLettered(10);
  const dest = await newQueue(sqs);
  const source = arnOf(dlq.name);
  const { TaskHandle } = await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: source,
      DestinationArn: arnOf(dest.name),
      MaxNumberOfMessagesPerSecond: 1,
    }),
  );
  await sqsRejects(
    sqs.send(new StartMessageMoveTaskCommand({ SourceArn: source, DestinationArn: arnOf(dest.name) })),
    "InvalidParameterValue",
    "There is already a task running. Only one active task is allowed for a source queue arn at a given time.",
  );
  await vigil.server.advance(2);
  const [running] = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: source }))).Results!;
  assert.deepEqual(
    [
      running!.Status,
      running!.ApproximateNumberOfMessagesMoved,
      running!.ApproximateNumberOfMessagesToMove,
      running!.MaxNumberOfMessagesPerSecond,
    ],
    ["RUNNING", 2, 10, 1],
  );
  const cancel = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
  assert.equal(cancel.ApproximateNumberOfMessagesMoved, 2);
  await vigil.server.advance(1);
  const [after] = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: source }))).Results!;
  assert.deepEqual(
    [after!.Status, after!.ApproximateNumberOfMessagesMoved, after!.TaskHandle],
    ["CANCELLED", 2, undefined],
  );
  assert.equal((await counts(sqs, dlq.url)).visible, 8);
  assert.equal((await counts(sqs, dest.url)).visible, 2);
});

test("a task whose destination is deleted fails with NonExistentQueue (recorded)", async () => {
  const { dlq } = await deadLettered(3);
  const dest = await newQueue(sqs);
  await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: arnOf(dlq.name),
      DestinationArn: arnOf(dest.name),
      MaxNumberOfMessagesPerSecond: 1,
    }),
  );
  await vigil.server.advance(1);
  await sqs.send(new DeleteQueueCommand({ QueueUrl: dest.url }));
  await vigil.server.advance(1);
  const [t] = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arnOf(dlq.name) }))).Results!;
  assert.deepEqual(
    [t!.Status, t!.FailureReason, t!.ApproximateNumberOfMessagesMoved],
    ["FAILED", "AWS.SimpleQueueService.NonExistentQueue", 1],
  );
  assert.equal((await counts(sqs, dlq.url)).visible, 2);
});

test("move task errors, as recorded", async () => {
  const plain = await newQueue(sqs);
  const other = await newQueue(sqs);
  await sqsRejects(
    sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arnOf(plain.name), DestinationArn: arnOf(other.name) })),
    "InvalidParameterValue",
    "Source queue must be configured as a Dead Letter Queue.",
  );
  const { dlq } = await pipe(1);
  await sqsRejects(
    sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: arnOf(dlq.name),
        DestinationArn: arnOf(other.name) + "doesntexist",
      }),
    ),
    "ResourceNotFoundException",
    "The resource that you specified for the DestinationArn parameter doesn't exist.",
    404,
  );
  await sqsRejects(
    sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arnOf(unique("nope")) })),
    "ResourceNotFoundException",
    "The resource that you specified for the SourceArn parameter doesn't exist.",
    404,
  );
  await sqsRejects(
    sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: "foobared" })),
    "InvalidParameterValue",
    "Value for parameter TaskHandle is invalid.",
  );
  const handle = (sourceArn: string) =>
    Buffer.from(JSON.stringify({ taskId: "10f57157-fc38-4da9-a113-4de7e12d05dd", sourceArn })).toString("base64");
  await sqsRejects(
    sqs.send(
      new CancelMessageMoveTaskCommand({
        TaskHandle: handle("arn:aws:sqs:us-east-1:878966065785:test-queue-doesnt-exist-123456"),
      }),
    ),
    "ResourceNotFoundException",
    "The resource that you specified for the SourceArn parameter doesn't exist.",
    404,
  );
  await sqsRejects(
    sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle(arnOf(plain.name)) })),
    "ResourceNotFoundException",
    "Task does not exist.",
    404,
  );
});
