/**
 * Queues: CreateQueue (types, names, attributes, QueueAlreadyExists), GetQueueUrl, ListQueues, DeleteQueue, PurgeQueue,
 * GetQueueAttributes / SetQueueAttributes, tags, permissions and ListDeadLetterSourceQueues, through the JS SDK (JSON).
 * Expected values are AWS's where conformance/aws-recordings/sqs recorded them.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  AddPermissionCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  TagQueueCommand,
  UntagQueueCommand,
} from "@aws-sdk/client-sqs";
import { unique, type Vigil } from "../helpers/vigil.js";
import {
  ACCOUNT,
  accountKey,
  arnOf,
  attributes,
  counts,
  newQueue,
  sqsRejects,
  START,
  startSqsVigil,
} from "./helpers.js";

let vigil: Vigil;
let sqs: SQSClient;
before(async () => {
  vigil = await startSqsVigil();
  sqs = vigil.client(SQSClient);
});
after(() => vigil.close());

const create = (QueueName: string, Attributes?: Record<string, string>, client = sqs) =>
  client.send(new CreateQueueCommand({ QueueName, Attributes }));

test("a standard queue's URL is built from the endpoint called, and its attributes are AWS's defaults", async () => {
  const name = unique("std");
  const { QueueUrl } = await create(name);
  assert.equal(QueueUrl, `${vigil.url}/${ACCOUNT}/${name}`);
  const a = await attributes(sqs, QueueUrl!);
  const created = String(Math.floor(START / 1000));
  assert.deepEqual(a, {
    ApproximateNumberOfMessages: "0",
    ApproximateNumberOfMessagesDelayed: "0",
    ApproximateNumberOfMessagesNotVisible: "0",
    CreatedTimestamp: created,
    DelaySeconds: "0",
    LastModifiedTimestamp: created,
    MaximumMessageSize: "1048576",
    MessageRetentionPeriod: "345600",
    QueueArn: arnOf(name),
    ReceiveMessageWaitTimeSeconds: "0",
    SqsManagedSseEnabled: "true",
    VisibilityTimeout: "30",
  });
  assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl, QueueUrl);
});

test("a FIFO queue answers the FIFO attributes with their defaults (recorded)", async () => {
  const { url } = await newQueue(sqs, { ContentBasedDeduplication: "true" }, { fifo: true });
  const a = await attributes(sqs, url);
  assert.equal(a.FifoQueue, "true");
  assert.equal(a.ContentBasedDeduplication, "true");
  assert.equal(a.DeduplicationScope, "queue");
  assert.equal(a.FifoThroughputLimit, "perQueue");
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: url,
      Attributes: { DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" },
    }),
  );
  const b = await attributes(sqs, url, ["DeduplicationScope", "FifoThroughputLimit"]);
  assert.deepEqual(b, { DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" });
});

test("queue names: 80 characters of letters, digits, - and _; FIFO names end in .fifo", async () => {
  const ok = "a".repeat(80);
  const fifoOk = "f".repeat(75) + ".fifo";
  await create(ok);
  await create(fifoOk, { FifoQueue: "true" });
  const std = "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length";
  const fifo =
    "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.";
  await sqsRejects(create("a".repeat(81)), "InvalidParameterValue", std);
  await sqsRejects(create("bad name"), "InvalidParameterValue", std);
  await sqsRejects(create(unique("x") + ".fifo"), "InvalidParameterValue", std);
  await sqsRejects(create(unique("x"), { FifoQueue: "true" }), "InvalidParameterValue", fifo);
  await sqsRejects(create("f".repeat(76) + ".fifo", { FifoQueue: "true" }), "InvalidParameterValue", fifo);
});

test("FIFO-only attributes on a standard queue are refused as AWS refuses them (recorded)", async () => {
  const name = unique("std");
  await sqsRejects(create(name, { FifoQueue: "false" }), "InvalidAttributeName", "Unknown Attribute FifoQueue.");
  await sqsRejects(
    create(name, { ContentBasedDeduplication: "true" }),
    "InvalidAttributeName",
    "Unknown Attribute ContentBasedDeduplication.",
  );
  await sqsRejects(
    create(name, { DeduplicationScope: "queue" }),
    "InvalidAttributeName",
    "You can specify the DeduplicationScope only when FifoQueue is set to true.",
  );
  await sqsRejects(
    create(name, { FifoThroughputLimit: "perQueue" }),
    "InvalidAttributeName",
    "You can specify the FifoThroughputLimit only when FifoQueue is set to true.",
  );
  await sqsRejects(create(name, { Nope: "1" }), "InvalidAttributeName", "Unknown Attribute Nope.");
  const { url } = await newQueue(sqs);
  for (const v of ["true", "false"]) {
    await sqsRejects(
      sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { FifoQueue: v } })),
      "InvalidAttributeName",
      "Unknown Attribute FifoQueue.",
    );
  }
  const fifo = await newQueue(sqs, {}, { fifo: true });
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: fifo.url, Attributes: { FifoQueue: "true" } }));
  await sqsRejects(
    sqs.send(new SetQueueAttributesCommand({ QueueUrl: fifo.url, Attributes: { FifoQueue: "false" } })),
    "InvalidAttributeValue",
    "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.",
  );
});

test("every numeric attribute is checked at its limits: N-1, N, N+1", async () => {
  const limits: [string, number, number][] = [
    ["DelaySeconds", 0, 900],
    ["MaximumMessageSize", 1024, 1_048_576],
    ["MessageRetentionPeriod", 60, 1_209_600],
    ["ReceiveMessageWaitTimeSeconds", 0, 20],
    ["VisibilityTimeout", 0, 43_200],
    ["KmsDataKeyReusePeriodSeconds", 60, 86_400],
  ];
  const { url } = await newQueue(sqs);
  for (const [name, min, max] of limits) {
    for (const ok of [min, min + 1, max - 1, max]) {
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { [name]: String(ok) } }));
    }
    for (const bad of [String(min - 1), String(max + 1), "ten", "1.5"]) {
      await sqsRejects(
        sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { [name]: bad } })),
        "InvalidAttributeValue",
        `Invalid value for the parameter ${name}.`,
      );
      await sqsRejects(
        create(unique("lim"), { [name]: bad }),
        "InvalidAttributeValue",
        `Invalid value for the parameter ${name}.`,
      );
    }
  }
});

test("CreateQueue of an existing name answers its URL when the named attributes match its current values", async () => {
  const name = unique("same");
  const { QueueUrl } = await create(name, { ReceiveMessageWaitTimeSeconds: "1", DelaySeconds: "1" });
  assert.equal((await create(name)).QueueUrl, QueueUrl);
  assert.equal((await create(name, { DelaySeconds: "1" })).QueueUrl, QueueUrl);
  const recorded = "A queue already exists with the same name and a different value for attribute DelaySeconds";
  await sqsRejects(
    create(name, { ReceiveMessageWaitTimeSeconds: "1", DelaySeconds: "2" }),
    "QueueAlreadyExists",
    recorded,
  );
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: "2" } }));
  assert.equal((await create(name, { ReceiveMessageWaitTimeSeconds: "1", DelaySeconds: "2" })).QueueUrl, QueueUrl);
  await sqsRejects(
    create(name, { ReceiveMessageWaitTimeSeconds: "1", DelaySeconds: "1" }),
    "QueueAlreadyExists",
    recorded,
  );
  const fifo = unique("f") + ".fifo";
  await create(fifo, { FifoQueue: "true", ContentBasedDeduplication: "true" });
  await sqsRejects(
    create(fifo, { FifoQueue: "true", ContentBasedDeduplication: "false" }),
    "QueueAlreadyExists",
    "A queue already exists with the same name and a different value for attribute ContentBasedDeduplication",
  );
});

test("a deleted queue's name is free again after 60 seconds; the queue is gone at once", async () => {
  const name = unique("del");
  const { QueueUrl } = await create(name);
  await sqs.send(new DeleteQueueCommand({ QueueUrl }));
  await sqsRejects(
    sqs.send(new GetQueueUrlCommand({ QueueName: name })),
    "AWS.SimpleQueueService.NonExistentQueue",
    "The specified queue does not exist.",
  );
  await sqsRejects(
    sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" })),
    "AWS.SimpleQueueService.NonExistentQueue",
    "The specified queue does not exist.",
  );
  await sqsRejects(
    sqs.send(new DeleteQueueCommand({ QueueUrl })),
    "AWS.SimpleQueueService.NonExistentQueue",
    "The specified queue does not exist.",
  );
  await sqsRejects(
    create(name),
    "AWS.SimpleQueueService.QueueDeletedRecently",
    "You must wait 60 seconds after deleting a queue before you can create another with the same name.",
  );
  await vigil.server.advance(59);
  await sqsRejects(create(name), "AWS.SimpleQueueService.QueueDeletedRecently", /wait 60 seconds/);
  await vigil.server.advance(1);
  assert.equal((await create(name)).QueueUrl, QueueUrl);
});

test("queues are found by URL whatever its host, or by bare name; another region does not see them", async () => {
  const { url, name } = await newQueue(sqs);
  for (const form of [
    `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/${name}`,
    `http://sqs.us-east-1.localhost.localstack.cloud:4566/${ACCOUNT}/${name}`,
    `http://localhost:4566/queue/us-east-1/${ACCOUNT}/${name}`,
    name,
  ]) {
    await sqs.send(new SendMessageCommand({ QueueUrl: form, MessageBody: form }));
  }
  assert.equal((await counts(sqs, url)).visible, 4);
  const west = vigil.client(SQSClient, { region: "us-west-2" });
  await sqsRejects(
    west.send(new GetQueueUrlCommand({ QueueName: name })),
    "AWS.SimpleQueueService.NonExistentQueue",
    "The specified queue does not exist.",
  );
  await sqsRejects(
    sqs.send(new GetQueueAttributesCommand({ QueueUrl: "http://127.0.0.1:4566" })),
    "InvalidAddress",
    "The address http://127.0.0.1:4566 is not valid for this endpoint.",
  );
});

test("every account has its own queues; GetQueueUrl finds another account's with QueueOwnerAWSAccountId", async () => {
  const other = vigil.client(SQSClient, accountKey("123456789012"));
  const name = unique("acct");
  const mine = (await create(name)).QueueUrl!;
  const theirs = (await create(name, { DelaySeconds: "5" }, other)).QueueUrl!;
  assert.equal(theirs, `${vigil.url}/123456789012/${name}`);
  assert.notEqual(mine, theirs);
  const found = await sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: "123456789012" }));
  assert.equal(found.QueueUrl, theirs);
  assert.equal((await attributes(sqs, theirs, ["DelaySeconds"])).DelaySeconds, "5");
  const list = await other.send(new ListQueuesCommand({ QueueNamePrefix: name }));
  assert.deepEqual(list.QueueUrls, [theirs]);
});

test("ListQueues: a name prefix, and pages of MaxResults with a NextToken only when asked for pages", async () => {
  const prefix = unique("list");
  const names = Array.from({ length: 5 }, (_, i) => `${prefix}-${i}`);
  for (const n of [...names].reverse()) await create(n);
  const all = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
  assert.deepEqual(
    all.QueueUrls,
    names.map((n) => `${vigil.url}/${ACCOUNT}/${n}`),
  );
  assert.equal(all.NextToken, undefined);
  const first = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2 }));
  assert.equal(first.QueueUrls!.length, 2);
  assert.ok(first.NextToken);
  const rest = await sqs.send(
    new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 10, NextToken: first.NextToken }),
  );
  assert.deepEqual(
    rest.QueueUrls,
    names.slice(2).map((n) => `${vigil.url}/${ACCOUNT}/${n}`),
  );
  assert.equal(rest.NextToken, undefined);
  const none = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: unique("none") }));
  assert.equal(none.QueueUrls, undefined);
  for (const bad of [0, 1001]) {
    await sqsRejects(
      sqs.send(new ListQueuesCommand({ MaxResults: bad })),
      "InvalidParameterValue",
      `Value ${bad} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.`,
    );
  }
  await sqsRejects(
    sqs.send(new ListQueuesCommand({ MaxResults: 1, NextToken: "garbage!" })),
    "InvalidParameterValue",
    "Invalid NextToken value.",
  );
});

test("PurgeQueue deletes visible, in-flight and delayed messages, once per 60 seconds (recorded 403)", async () => {
  const { url, name } = await newQueue(sqs);
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "a" }));
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "b" }));
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "c", DelaySeconds: 10 }));
  await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
  assert.deepEqual(await counts(sqs, url), { visible: 1, notVisible: 1, delayed: 1 });
  await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
  assert.deepEqual(await counts(sqs, url), { visible: 0, notVisible: 0, delayed: 0 });
  await sqsRejects(
    sqs.send(new PurgeQueueCommand({ QueueUrl: url })),
    "AWS.SimpleQueueService.PurgeQueueInProgress",
    `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
    403,
  );
  await vigil.server.advance(31);
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "after" }));
  await vigil.server.advance(30);
  await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
  assert.deepEqual(await counts(sqs, url), { visible: 0, notVisible: 0, delayed: 0 });
});

test("the Approximate counters follow delays and visibility on the clock", async () => {
  const { url } = await newQueue(sqs, { VisibilityTimeout: "20" });
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "now" }));
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "later", DelaySeconds: 5 }));
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "later too", DelaySeconds: 5 }));
  assert.deepEqual(await counts(sqs, url), { visible: 1, notVisible: 0, delayed: 2 });
  await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
  assert.deepEqual(await counts(sqs, url), { visible: 0, notVisible: 1, delayed: 2 });
  await vigil.server.advance(5);
  assert.deepEqual(await counts(sqs, url), { visible: 2, notVisible: 1, delayed: 0 });
  await vigil.server.advance(15);
  assert.deepEqual(await counts(sqs, url), { visible: 3, notVisible: 0, delayed: 0 });
});

test("SetQueueAttributes changes what it names and LastModifiedTimestamp (recorded values)", async () => {
  const { url } = await newQueue(sqs, {
    MessageRetentionPeriod: "604800",
    ReceiveMessageWaitTimeSeconds: "10",
    VisibilityTimeout: "20",
  });
  await vigil.server.advance(100);
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: url,
      Attributes: { MaximumMessageSize: "2048", VisibilityTimeout: "69", DelaySeconds: "420" },
    }),
  );
  const a = await attributes(sqs, url);
  assert.equal(a.MaximumMessageSize, "2048");
  assert.equal(a.VisibilityTimeout, "69");
  assert.equal(a.DelaySeconds, "420");
  assert.equal(a.MessageRetentionPeriod, "604800");
  assert.equal(a.ReceiveMessageWaitTimeSeconds, "10");
  assert.equal(Number(a.LastModifiedTimestamp) - Number(a.CreatedTimestamp), 100);
  const some = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["VisibilityTimeout", "QueueArn"] }),
  );
  assert.deepEqual(Object.keys(some.Attributes!).sort(), ["QueueArn", "VisibilityTimeout"]);
  assert.equal((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url }))).Attributes, undefined);
  await sqsRejects(
    sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["Foobar" as never] })),
    "InvalidAttributeName",
    "Unknown Attribute Foobar.",
  );
});

test("server-side encryption: KMS or SQS-managed, never both (recorded)", async () => {
  const { url } = await newQueue(sqs);
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: url,
      Attributes: { KmsMasterKeyId: "testKeyId", KmsDataKeyReusePeriodSeconds: "6000", SqsManagedSseEnabled: "false" },
    }),
  );
  const names = ["KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled"];
  assert.deepEqual(await attributes(sqs, url, names), {
    KmsDataKeyReusePeriodSeconds: "6000",
    KmsMasterKeyId: "testKeyId",
    SqsManagedSseEnabled: "false",
  });
  await sqsRejects(
    sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { KmsMasterKeyId: "k", SqsManagedSseEnabled: "true" },
      }),
    ),
    "InvalidAttributeName",
    "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.",
  );
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: url,
      Attributes: { KmsMasterKeyId: "", KmsDataKeyReusePeriodSeconds: "300", SqsManagedSseEnabled: "false" },
    }),
  );
  assert.deepEqual(await attributes(sqs, url, names), { SqsManagedSseEnabled: "false" });
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { SqsManagedSseEnabled: "true" } }));
  assert.deepEqual(await attributes(sqs, url, names), { SqsManagedSseEnabled: "true" });
});

test("Policy must be a JSON document; an empty Policy or RedrivePolicy removes it", async () => {
  const { url } = await newQueue(sqs);
  const policy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sqs:SendMessage", Resource: "*" }],
  });
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: policy } }));
  assert.equal((await attributes(sqs, url, ["Policy"])).Policy, policy);
  for (const bad of ["{not json", "[1]", "42"]) {
    await sqsRejects(
      sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: bad } })),
      "InvalidAttributeValue",
      "Invalid value for the parameter Policy.",
    );
  }
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: "" } }));
  assert.deepEqual(await attributes(sqs, url, ["Policy"]), {});
});

test("RedrivePolicy: its target must exist, be of the same type and allow the source; ListDeadLetterSourceQueues finds sources", async () => {
  const dlq = await newQueue(sqs);
  const dlqArn = arnOf(dlq.name);
  const policy = (p: object) => JSON.stringify(p);
  const a = await newQueue(sqs, { RedrivePolicy: policy({ deadLetterTargetArn: dlqArn, maxReceiveCount: "5" }) });
  const b = await newQueue(sqs, { RedrivePolicy: policy({ deadLetterTargetArn: dlqArn, maxReceiveCount: 10 }) });
  assert.equal(
    (await attributes(sqs, a.url, ["RedrivePolicy"])).RedrivePolicy,
    policy({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }),
  );
  const sources = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url }));
  assert.deepEqual(sources.queueUrls!.sort(), [a.url, b.url].sort());
  const page = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url, MaxResults: 1 }));
  assert.equal(page.queueUrls!.length, 1);
  assert.ok(page.NextToken);
  const none = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: a.url }));
  assert.deepEqual(none.queueUrls, []);

  const set = (RedrivePolicy: string) =>
    sqs.send(new SetQueueAttributesCommand({ QueueUrl: b.url, Attributes: { RedrivePolicy } }));
  const invalid = (raw: string, reason: string) =>
    sqsRejects(
      set(raw),
      "InvalidParameterValue",
      `Value ${raw} for parameter RedrivePolicy is invalid. Reason: ${reason}`,
    );
  await sqsRejects(
    set("{"),
    "InvalidAttributeValue",
    "Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.",
  );
  await invalid(
    policy({ maxReceiveCount: 1 }),
    "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.",
  );
  await invalid(
    policy({ deadLetterTargetArn: dlqArn }),
    "Redrive policy does not contain mandatory attribute: maxReceiveCount.",
  );
  for (const n of [0, 1001]) {
    await invalid(
      policy({ deadLetterTargetArn: dlqArn, maxReceiveCount: n }),
      `Invalid value for maxReceiveCount: ${n}, valid values are from 1 to 1000 both inclusive.`,
    );
  }
  for (const n of [1, 1000]) await set(policy({ deadLetterTargetArn: dlqArn, maxReceiveCount: n }));
  await invalid(policy({ deadLetterTargetArn: "dummy", maxReceiveCount: 1 }), "Invalid value for deadLetterTargetArn.");
  await invalid(
    policy({ deadLetterTargetArn: arnOf(unique("missing")), maxReceiveCount: 1 }),
    "Dead letter target does not exist.",
  );
  const fifo = await newQueue(sqs, {}, { fifo: true });
  await invalid(
    policy({ deadLetterTargetArn: arnOf(fifo.name), maxReceiveCount: 1 }),
    "Dead-letter queue must be same type of queue as the source..",
  );
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: dlq.url,
      Attributes: { RedriveAllowPolicy: policy({ redrivePermission: "byQueue", sourceQueueArns: [arnOf(a.name)] }) },
    }),
  );
  await invalid(
    policy({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
    `Queue ${dlqArn} does not allow this queue to use it as a dead-letter queue.`,
  );
  await set("");
  assert.deepEqual(await attributes(sqs, b.url, ["RedrivePolicy"]), {});
  const left = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url }));
  assert.deepEqual(left.queueUrls, [a.url]);
});

test("tags: set at creation, added, overwritten, removed; no Tags member when there are none (recorded)", async () => {
  const { url } = await newQueue(sqs, {}, { tags: { a: "1" } });
  await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { tag1: "value1", tag2: "value2", tag3: "" } }));
  assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, {
    a: "1",
    tag1: "value1",
    tag2: "value2",
    tag3: "",
  });
  await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { tag1: "VALUE1", MyTag: "x", mytag: "y" } }));
  await sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ["a", "tag3", "nope"] }));
  assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, {
    MyTag: "x",
    mytag: "y",
    tag1: "VALUE1",
    tag2: "value2",
  });
  await sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ["MyTag", "mytag", "tag1", "tag2"] }));
  assert.equal((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, undefined);
  const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v"]));
  await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: many }));
  await sqsRejects(
    sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { one: "more" } })),
    "InvalidParameterValue",
    /^Too many tags added for queue /,
  );
});

test("AddPermission and RemovePermission write the Policy statements AWS writes (recorded)", async () => {
  const { url, name } = await newQueue(sqs);
  const arn = arnOf(name);
  await sqs.send(
    new AddPermissionCommand({
      QueueUrl: url,
      Label: "crossaccountpermission",
      AWSAccountIds: [ACCOUNT, "668614515564"],
      Actions: ["ReceiveMessage"],
    }),
  );
  const policy = () => attributes(sqs, url, ["Policy"]).then((a) => (a.Policy ? JSON.parse(a.Policy) : undefined));
  assert.deepEqual(await policy(), {
    Version: "2008-10-17",
    Id: `${arn}/SQSDefaultPolicy`,
    Statement: [
      {
        Sid: "crossaccountpermission",
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::668614515564:root", `arn:aws:iam::${ACCOUNT}:root`] },
        Action: "SQS:ReceiveMessage",
        Resource: arn,
      },
    ],
  });
  await sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: "crossaccountpermission" }));
  assert.equal(await policy(), undefined);
  const add = (Label: string, AWSAccountIds: string[], Actions = ["ReceiveMessage"]) =>
    sqs.send(new AddPermissionCommand({ QueueUrl: url, Label, AWSAccountIds, Actions }));
  await add("crossaccountpermission", [ACCOUNT]);
  await sqsRejects(
    add("crossaccountpermission", ["668614515564"]),
    "InvalidParameterValue",
    "Value crossaccountpermission for parameter Label is invalid. Reason: Already exists.",
  );
  await add("crossaccountpermission2", [ACCOUNT], ["SendMessage", "DeleteMessage"]);
  const two = await policy();
  assert.deepEqual(
    two.Statement.map((s: { Sid: string }) => s.Sid),
    ["crossaccountpermission", "crossaccountpermission2"],
  );
  assert.deepEqual(two.Statement[1].Action, ["SQS:SendMessage", "SQS:DeleteMessage"]);
  assert.equal(two.Statement[0].Principal.AWS, `arn:aws:iam::${ACCOUNT}:root`);
  await sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: "crossaccountpermission" }));
  await sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: "crossaccountpermission2" }));
  await sqsRejects(
    sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: "crossaccountpermission2" })),
    "InvalidParameterValue",
    "Value crossaccountpermission2 for parameter Label is invalid. Reason: can't find label.",
  );
  await sqsRejects(
    add("bad", [ACCOUNT], ["Frobnicate"]),
    "InvalidParameterValue",
    "Value SQS:Frobnicate for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a list of valid actions.",
  );
  await sqsRejects(
    add(
      "many",
      [ACCOUNT],
      [
        "SendMessage",
        "ReceiveMessage",
        "DeleteMessage",
        "ChangeMessageVisibility",
        "GetQueueAttributes",
        "GetQueueUrl",
        "PurgeQueue",
        "ListQueueTags",
      ],
    ),
    "OverLimit",
    "8 Actions were found, maximum allowed is 7.",
    403,
  );
});

test("POST /_vigil/reset forgets every queue", async () => {
  const own = await startSqsVigil();
  try {
    const client = own.client(SQSClient);
    const { url, name } = await newQueue(client);
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x" }));
    const r = await fetch(`${own.url}/_vigil/reset`, { method: "POST" });
    assert.equal(r.status, 200);
    await sqsRejects(
      client.send(new GetQueueUrlCommand({ QueueName: name })),
      "AWS.SimpleQueueService.NonExistentQueue",
      "The specified queue does not exist.",
    );
    await sqsRejects(
      client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] })),
      "AWS.SimpleQueueService.NonExistentQueue",
      "The specified queue does not exist.",
    );
    await newQueue(client);
  } finally {
    await own.close();
  }
});
