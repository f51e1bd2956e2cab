/**
 * Event notifications: Put/GetBucketNotificationConfiguration with destination validation (queue and topic
 * policies must allow S3), the s3:TestEvent, and ObjectCreated / ObjectRemoved events delivered through the outbox
 * to SQS and SNS (the documented event JSON) and to EventBridge ("Object Created" / "Object Deleted").
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { unique, type Vigil } from "../helpers/vigil.js";
import { newBucket, s3Client, s3Rejects, startS3Vigil } from "./helpers.js";

/** Parsed event JSON, read loosely (the assertions check the shapes). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

let vigil: Vigil;
let s3: S3Client;
let sqs: SQSClient;

before(async () => {
  vigil = await startS3Vigil({ clock: "manual", clockStart: "2026-11-23T10:00:00Z" });
  s3 = s3Client(vigil);
  sqs = vigil.client(SQSClient);
});
after(() => vigil.close());

async function queue(allowFrom?: { service: string; bucket?: string }): Promise<{ url: string; arn: string }> {
  const name = unique("q");
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!
    .QueueArn!;
  if (allowFrom) {
    const policy = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: allowFrom.service },
          Action: "SQS:SendMessage",
          Resource: arn,
          ...(allowFrom.bucket
            ? { Condition: { ArnLike: { "aws:SourceArn": `arn:aws:s3:*:*:${allowFrom.bucket}` } } }
            : {}),
        },
      ],
    };
    const { SetQueueAttributesCommand } = await import("@aws-sdk/client-sqs");
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: JSON.stringify(policy) } }));
  }
  return { url: QueueUrl!, arn };
}

async function receive(url: string): Promise<unknown[]> {
  await vigil.server.advance(0);
  const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
  return (res.Messages ?? []).map((m) => JSON.parse(m.Body!) as unknown);
}

test("a queue whose policy does not allow S3, or that does not exist, fails validation", async () => {
  const b = await newBucket(s3);
  const closed = await queue();
  const missing = closed.arn.replace(/[^:]+$/, "no-such-queue-vigil");
  await assert.rejects(
    s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: b,
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              QueueArn: closed.arn,
              Events: ["s3:ObjectCreated:*"],
              Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "mine/" }] } },
            },
            {
              QueueArn: missing,
              Events: ["s3:ObjectCreated:*"],
              Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "other/" }] } },
            },
          ],
        },
      }),
    ),
    (e: {
      name: string;
      message: string;
      ArgumentName1?: string;
      ArgumentValue1?: string;
      ArgumentName2?: string;
      ArgumentValue2?: string;
    }) => {
      assert.equal(e.name, "InvalidArgument");
      assert.equal(e.message, "Unable to validate the following destination configurations");
      assert.equal(e.ArgumentName1, closed.arn);
      assert.equal(
        e.ArgumentValue1,
        "Permissions on the destination queue do not allow S3 to publish notifications from this bucket",
      );
      assert.equal(e.ArgumentName2, missing);
      assert.equal(e.ArgumentValue2, "The destination queue does not exist");
      return true;
    },
  );
  const cfg = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }));
  assert.equal(cfg.QueueConfigurations, undefined);
  // A queue that allows S3 only from another bucket is refused too.
  const elsewhere = await queue({ service: "s3.amazonaws.com", bucket: "some-other-bucket" });
  await s3Rejects(
    s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: b,
        NotificationConfiguration: {
          QueueConfigurations: [{ QueueArn: elsewhere.arn, Events: ["s3:ObjectCreated:*"] }],
        },
      }),
    ),
    "InvalidArgument",
    400,
    "Unable to validate the following destination configurations",
  );
});

test("filter rules must be prefix or suffix", async () => {
  const b = await newBucket(s3);
  const q = await queue({ service: "s3.amazonaws.com", bucket: b });
  await s3Rejects(
    s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: b,
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              QueueArn: q.arn,
              Events: ["s3:ObjectCreated:*"],
              Filter: { Key: { FilterRules: [{ Name: "middle" as "prefix", Value: "x" }] } },
            },
          ],
        },
      }),
    ),
    "InvalidArgument",
    400,
    "filter rule name must be either prefix or suffix",
  );
});

test("two configurations one event could match twice are ambiguous", async () => {
  const b = await newBucket(s3);
  const q = await queue({ service: "s3.amazonaws.com", bucket: b });
  const rules = (prefix: string, suffix: string) => ({
    Key: {
      FilterRules: [
        { Name: "prefix" as const, Value: prefix },
        { Name: "suffix" as const, Value: suffix },
      ],
    },
  });
  const put = (a: [string, string, string], c: [string, string, string]) =>
    s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: b,
        NotificationConfiguration: {
          QueueConfigurations: [
            { QueueArn: q.arn, Events: [a[0] as "s3:ObjectCreated:*"], Filter: rules(a[1], a[2]) },
            { QueueArn: q.arn, Events: [c[0] as "s3:ObjectCreated:*"], Filter: rules(c[1], c[2]) },
          ],
        },
      }),
    );
  await s3Rejects(
    put(["s3:ObjectCreated:*", "logs/", ".gz"], ["s3:ObjectCreated:Put", "logs/2026/", "x.gz"]),
    "InvalidArgument",
    400,
    "Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.",
  );
  // Disjoint prefixes, disjoint suffixes or different event types are fine.
  await put(["s3:ObjectCreated:*", "logs/", ".gz"], ["s3:ObjectCreated:*", "data/", ".gz"]);
  await put(["s3:ObjectCreated:*", "logs/", ".gz"], ["s3:ObjectCreated:*", "logs/", ".txt"]);
  await put(["s3:ObjectCreated:*", "logs/", ".gz"], ["s3:ObjectRemoved:*", "logs/", ".gz"]);
});

test("queue notifications: the test event, then ObjectCreated:Put / Copy and ObjectRemoved:Delete matching the filter", async () => {
  const b = await newBucket(s3);
  const q = await queue({ service: "s3.amazonaws.com", bucket: b });
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: b,
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Id: "logs-only",
            QueueArn: q.arn,
            Events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"],
            Filter: {
              Key: {
                FilterRules: [
                  { Name: "prefix", Value: "logs/" },
                  { Name: "suffix", Value: ".gz" },
                ],
              },
            },
          },
        ],
      },
    }),
  );
  const cfg = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }));
  assert.equal(cfg.QueueConfigurations![0]!.Id, "logs-only");
  assert.deepEqual(cfg.QueueConfigurations![0]!.Events, ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"]);
  assert.deepEqual(cfg.QueueConfigurations![0]!.Filter!.Key!.FilterRules, [
    { Name: "prefix", Value: "logs/" },
    { Name: "suffix", Value: ".gz" },
  ]);
  const [testEvent] = (await receive(q.url)) as Record<string, string>[];
  assert.equal(testEvent!.Event, "s3:TestEvent");
  assert.equal(testEvent!.Service, "Amazon S3");
  assert.equal(testEvent!.Bucket, b);

  const put = await s3.send(new PutObjectCommand({ Bucket: b, Key: "logs/a b.gz", Body: "12345" }));
  await s3.send(new PutObjectCommand({ Bucket: b, Key: "other/x.gz", Body: "no" }));
  await s3.send(new PutObjectCommand({ Bucket: b, Key: "logs/x.txt", Body: "no" }));
  const created = (await receive(q.url)) as { Records: Json[] }[];
  assert.equal(created.length, 1);
  const r = created[0]!.Records[0]!;
  assert.equal(r.eventVersion, "2.1");
  assert.equal(r.eventSource, "aws:s3");
  assert.equal(r.awsRegion, "us-east-1");
  assert.equal(r.eventName, "ObjectCreated:Put");
  assert.equal(r.eventTime, "2026-11-23T10:00:00.000Z");
  assert.equal(r.s3.s3SchemaVersion, "1.0");
  assert.equal(r.s3.configurationId, "logs-only");
  assert.equal(r.s3.bucket.name, b);
  assert.equal(r.s3.bucket.arn, `arn:aws:s3:::${b}`);
  assert.equal(r.s3.object.key, "logs/a+b.gz");
  assert.equal(r.s3.object.size, 5);
  assert.equal(r.s3.object.eTag, put.ETag!.replace(/"/g, ""));
  assert.match(r.s3.object.sequencer, /^[0-9A-F]+$/);
  assert.ok(r.responseElements["x-amz-request-id"]);
  assert.ok(r.userIdentity.principalId);

  await s3.send(new CopyObjectCommand({ Bucket: b, Key: "logs/copy.gz", CopySource: `${b}/logs/a%20b.gz` }));
  const copied = (await receive(q.url)) as { Records: Json[] }[];
  assert.equal(copied[0]!.Records[0]!.eventName, "ObjectCreated:Copy");

  await s3.send(new DeleteObjectCommand({ Bucket: b, Key: "logs/copy.gz" }));
  await s3.send(new DeleteObjectCommand({ Bucket: b, Key: "logs/never-there.gz" }));
  const removed = (await receive(q.url)) as { Records: Json[] }[];
  assert.equal(removed.length, 1);
  const d = removed[0]!.Records[0]!;
  assert.equal(d.eventName, "ObjectRemoved:Delete");
  assert.equal(d.s3.object.key, "logs/copy.gz");
  assert.equal(d.s3.object.size, undefined);
  assert.equal(d.s3.object.eTag, undefined);
});

test("topic notifications: the topic policy must allow S3; events reach its subscribers", async () => {
  const b = await newBucket(s3);
  const sns = vigil.client(SNSClient);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: unique("t") }));
  const sub = await queue({ service: "sns.amazonaws.com" });
  await sns.send(
    new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: sub.arn, Attributes: { RawMessageDelivery: "true" } }),
  );
  const config = {
    Bucket: b,
    NotificationConfiguration: { TopicConfigurations: [{ TopicArn, Events: ["s3:ObjectCreated:Put" as const] }] },
  };
  await assert.rejects(
    s3.send(new PutBucketNotificationConfigurationCommand(config)),
    (e: { name: string; ArgumentValue1?: string }) => {
      assert.equal(e.name, "InvalidArgument");
      assert.equal(
        e.ArgumentValue1,
        "Permissions on the destination topic do not allow S3 to publish notifications from this bucket",
      );
      return true;
    },
  );
  await sns.send(
    new SetTopicAttributesCommand({
      TopicArn,
      AttributeName: "Policy",
      AttributeValue: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "SNS:Publish", Resource: TopicArn },
        ],
      }),
    }),
  );
  await s3.send(new PutBucketNotificationConfigurationCommand(config));
  await receive(sub.url); // the test event
  await s3.send(new PutObjectCommand({ Bucket: b, Key: "t.txt", Body: "x" }));
  const got = (await receive(sub.url)) as { Records: Json[] }[];
  assert.equal(got.length, 1);
  assert.equal(got[0]!.Records[0]!.eventName, "ObjectCreated:Put");
  assert.equal(got[0]!.Records[0]!.s3.object.key, "t.txt");
});

test("EventBridge: Object Created and Object Deleted events reach rules on the default bus", async () => {
  const b = await newBucket(s3);
  const events = vigil.client(EventBridgeClient);
  const target = await queue({ service: "events.amazonaws.com" });
  const rule = unique("r");
  await events.send(
    new PutRuleCommand({
      Name: rule,
      EventPattern: JSON.stringify({ source: ["aws.s3"], detail: { bucket: { name: [b] } } }),
    }),
  );
  await events.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: "q", Arn: target.arn }] }));
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: b,
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    }),
  );
  const cfg = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }));
  assert.deepEqual(cfg.EventBridgeConfiguration, {});
  await s3.send(new PutObjectCommand({ Bucket: b, Key: "dir/e v.txt", Body: "abc" }));
  await vigil.server.advance(0);
  await s3.send(new DeleteObjectCommand({ Bucket: b, Key: "dir/e v.txt" }));
  await vigil.server.advance(0);
  const got = (await receive(target.url)) as Json[];
  const byType = Object.fromEntries(got.map((e) => [e["detail-type"], e]));
  const c = byType["Object Created"];
  assert.ok(c, JSON.stringify(got));
  assert.equal(c.source, "aws.s3");
  assert.deepEqual(c.resources, [`arn:aws:s3:::${b}`]);
  assert.equal(c.detail.version, "0");
  assert.equal(c.detail.bucket.name, b);
  assert.equal(c.detail.object.key, "dir/e v.txt");
  assert.equal(c.detail.object.size, 3);
  assert.equal(c.detail.reason, "PutObject");
  const d = byType["Object Deleted"];
  assert.ok(d);
  assert.equal(d.detail.reason, "DeleteObject");
  assert.equal(d.detail["deletion-type"], "Permanently Deleted");
});
