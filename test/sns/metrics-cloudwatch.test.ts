/**
 * End to end with the CloudWatch runtime's own putMetrics: AWS/SNS and AWS/SQS metrics read back with
 * GetMetricStatistics after the per-minute flush.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Vigil } from "../helpers/vigil.js";
import { deliverAndReceive, START, startSnsVigil, topicWithQueue } from "./helpers.js";

let vigil: Vigil;
before(async () => {
  vigil = await startSnsVigil();
});
after(() => vigil.close());

test("AWS/SNS NumberOfMessagesPublished and AWS/SQS NumberOfMessagesSent reach CloudWatch", async () => {
  const sns = vigil.client(SNSClient);
  const sqs = vigil.client(SQSClient);
  const cw = vigil.client(CloudWatchClient);
  const { topic, queue } = await topicWithQueue(sns, sqs);
  for (let i = 0; i < 3; i++) await sns.send(new PublishCommand({ TopicArn: topic.arn, Message: `m${i}` }));
  await deliverAndReceive(vigil, sqs, queue.url);
  await vigil.server.scheduler.advance(180_000);
  const stat = async (Namespace: string, MetricName: string, Name: string, Value: string) => {
    const r = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace,
        MetricName,
        Dimensions: [{ Name, Value }],
        StartTime: new Date(START - 3600_000),
        EndTime: new Date(START + 3600_000),
        Period: 3600,
        Statistics: ["Sum"],
      }),
    );
    return r.Datapoints?.reduce((s, d) => s + (d.Sum ?? 0), 0) ?? 0;
  };
  assert.equal(await stat("AWS/SNS", "NumberOfMessagesPublished", "TopicName", topic.name), 3);
  assert.equal(await stat("AWS/SNS", "NumberOfNotificationsDelivered", "TopicName", topic.name), 3);
  assert.equal(await stat("AWS/SQS", "NumberOfMessagesSent", "QueueName", queue.url.split("/").pop()!), 3);
});
