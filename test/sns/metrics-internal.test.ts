/**
 * AWS/SNS and AWS/SQS metrics handed to putMetrics once a minute (a fake putMetrics stands in for CloudWatch), and
 * internal snsPublish: service principals need the topic policy (CloudWatch alarms excepted, as AWS documents),
 * other accounts too; the shared sns.publish delivery kind publishes through it.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PublishCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { SNS_AWS_MANAGED_POLICY } from "../../src/delivery/retry.js";
import { internal, SNS_PUBLISH_KIND, type MetricDatumInput } from "../../src/services/internal.js";
import type { Vigil } from "../helpers/vigil.js";
import { ACCOUNT, deliverAndReceive, newQueue, rejects, startSnsVigil, topicWithQueue } from "./helpers.js";

let vigil: Vigil;
let sns: SNSClient;
let sqs: SQSClient;
const put: { namespace: string; datums: MetricDatumInput[] }[] = [];
before(async () => {
  vigil = await startSnsVigil();
  sns = vigil.client(SNSClient);
  sqs = vigil.client(SQSClient);
  internal(vigil.server.stores).putMetrics = async (_account, _region, namespace, datums) => {
    put.push({ namespace, datums });
  };
});
after(() => vigil.close());

/** Sum of a metric's StatisticValues.Sum for a dimension value, over everything put so far. */
function sum(namespace: string, metric: string, dimension: string): number {
  let s = 0;
  for (const p of put)
    if (p.namespace === namespace)
      for (const d of p.datums)
        if (d.MetricName === metric && d.Dimensions?.[0]?.Value === dimension) s += d.StatisticValues!.Sum;
  return s;
}

test("AWS/SNS: published, size, delivered, filtered out; AWS/SQS: sent, received, empty receives, deleted, gauges", async () => {
  const { topic, queue } = await topicWithQueue(sns, sqs, { FilterPolicy: '{"keep":["yes"]}' });
  const queueName = queue.url.split("/").pop()!;
  const attr = (v: string) => ({ keep: { DataType: "String", StringValue: v } });
  await sns.send(new PublishCommand({ TopicArn: topic.arn, Message: "12345", MessageAttributes: attr("yes") }));
  await sns.send(new PublishCommand({ TopicArn: topic.arn, Message: "123", MessageAttributes: attr("no") }));
  const [m] = await deliverAndReceive(vigil, sqs, queue.url);
  await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: m!.ReceiptHandle }));
  await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url }));
  await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: "left" }));
  await vigil.server.scheduler.advance(61_000);
  assert.equal(sum("AWS/SNS", "NumberOfMessagesPublished", topic.name), 2);
  // Size: message plus attribute name, type and value.
  assert.equal(sum("AWS/SNS", "PublishSize", topic.name), 5 + 4 + 6 + 3 + (3 + 4 + 6 + 2));
  assert.equal(sum("AWS/SNS", "NumberOfNotificationsDelivered", topic.name), 1);
  assert.equal(sum("AWS/SNS", "NumberOfNotificationsFilteredOut", topic.name), 1);
  assert.equal(sum("AWS/SNS", "NumberOfNotificationsFailed", topic.name), 0);
  assert.equal(sum("AWS/SQS", "NumberOfMessagesSent", queueName), 2);
  assert.equal(sum("AWS/SQS", "NumberOfMessagesReceived", queueName), 1);
  assert.equal(sum("AWS/SQS", "NumberOfEmptyReceives", queueName), 1);
  assert.equal(sum("AWS/SQS", "NumberOfMessagesDeleted", queueName), 1);
  assert.equal(sum("AWS/SQS", "ApproximateNumberOfMessagesVisible", queueName), 1);
  const d = put.flatMap((p) => p.datums).find((x) => x.MetricName === "PublishSize")!;
  assert.equal(d.Unit, "Bytes");
  assert.deepEqual(d.Dimensions, [{ Name: "TopicName", Value: topic.name }]);
});

test("internal snsPublish: CloudWatch under the default policy, S3 only with a statement, other accounts refused", async () => {
  const { topic, queue } = await topicWithQueue(sns, sqs);
  const publish = internal(vigil.server.stores).snsPublish!;
  const alarm = {
    account: ACCOUNT,
    service: "cloudwatch.amazonaws.com",
    sourceArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:a`,
  };
  const bucket = { account: ACCOUNT, service: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::b" };
  const { messageId } = await publish(topic.arn, { message: "alarm!", subject: "ALARM" }, alarm);
  await rejects(
    publish(topic.arn, { message: "s3 event" }, bucket),
    "AuthorizationError",
    `User: s3.amazonaws.com is not authorized to perform: SNS:Publish on resource: ${topic.arn}`,
  );
  await rejects(
    publish(topic.arn, { message: "x" }, { account: "111122223333" }),
    "AuthorizationError",
    `User: arn:aws:iam::111122223333:root is not authorized to perform: SNS:Publish on resource: ${topic.arn}`,
  );
  await rejects(publish(topic.arn + "-none", { message: "x" }, alarm), "NotFound", "Topic does not exist");
  await sns.send(
    new SetTopicAttributesCommand({
      TopicArn: topic.arn,
      AttributeName: "Policy",
      AttributeValue: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "s3.amazonaws.com" },
            Action: "SNS:Publish",
            Resource: topic.arn,
            Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::b" } },
          },
        ],
      }),
    }),
  );
  await publish(topic.arn, { message: "s3 event" }, bucket);
  // The shared delivery kind other services enqueue.
  await vigil.server.delivery.enqueue([
    {
      account: ACCOUNT,
      region: "us-east-1",
      kind: SNS_PUBLISH_KIND,
      target: { topicArn: topic.arn, publisher: bucket },
      payload: JSON.stringify({ message: "via the outbox" }),
      policy: SNS_AWS_MANAGED_POLICY,
    },
  ]);
  await vigil.server.scheduler.advance(0);
  const msgs = await deliverAndReceive(vigil, sqs, queue.url);
  const bodies = msgs.map((m) => JSON.parse(m.Body!) as { Message: string; MessageId: string; Subject?: string });
  assert.deepEqual(bodies.map((b) => b.Message).sort(), ["alarm!", "s3 event", "via the outbox"]);
  assert.equal(bodies.find((b) => b.Message === "alarm!")!.MessageId, messageId);
  assert.equal(bodies.find((b) => b.Message === "alarm!")!.Subject, "ALARM");
});

test("another account's Publish needs the topic policy", async () => {
  const { topic } = await topicWithQueue(sns, sqs);
  const other = vigil.client(SNSClient, { credentials: { accessKeyId: "111122223333", secretAccessKey: "x" } });
  await rejects(
    other.send(new PublishCommand({ TopicArn: topic.arn, Message: "x" })),
    "AuthorizationErrorException",
    /is not authorized to perform: SNS:Publish on resource/,
  );
  const q = await newQueue(sqs);
  await sns.send(new SubscribeCommand({ TopicArn: topic.arn, Protocol: "sqs", Endpoint: q.arn }));
  await sns.send(
    new SetTopicAttributesCommand({
      TopicArn: topic.arn,
      AttributeName: "Policy",
      AttributeValue: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "sns:Publish", Resource: topic.arn },
        ],
      }),
    }),
  );
  await other.send(new PublishCommand({ TopicArn: topic.arn, Message: "from afar" }));
  const [m] = await deliverAndReceive(vigil, sqs, q.url);
  assert.equal((JSON.parse(m!.Body!) as { Message: string }).Message, "from afar");
});
