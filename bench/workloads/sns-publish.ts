/**
 * SNS Publish to a topic with 10 SQS subscriptions (Query, SigV4-signed), from concurrent closed-loop clients. Every
 * call is answered after its 10 deliveries were stored in the outbox (Vigil); the queues receive the envelopes
 * meanwhile. Goal: at least 20x moto's publishes/s.
 */
import { jsonRequest, queryRequest, type HttpRequestSpec } from "../lib/aws.js";
import { oneShot, type Target } from "../lib/load.js";
import { throughputWorkload } from "../lib/throughput.js";

const SUBSCRIPTIONS = 10;

const sns = (host: string, params: Record<string, string>): HttpRequestSpec =>
  queryRequest(host, "sns", { Version: "2010-03-31", ...params });
const sqs = (host: string, operation: string, input: unknown): HttpRequestSpec =>
  jsonRequest(host, "sqs", `AmazonSQS.${operation}`, "1.0", input);

async function call(target: Target, spec: HttpRequestSpec): Promise<string> {
  const r = await oneShot(target, spec, 60_000);
  const text = r.body.toString("utf8");
  if (r.status < 200 || r.status >= 300) throw new Error(`HTTP ${r.status} ${text.slice(0, 300)}`);
  return text;
}

let topicArn = "";

export const snsPublish = throughputWorkload({
  name: "sns-publish",
  title: "SNS Publish to a topic with 10 SQS subscriptions",
  description:
    "`sns:Publish` (Query, SigV4-signed) of a 100-byte message with one String message attribute to a standard " +
    "topic with 10 SQS queue subscriptions. Vigil answers each call after the 10 deliveries are stored in its " +
    "durable outbox; the queues receive the signed envelopes meanwhile. req/s = publishes/s.",
  async setup(server, host) {
    const created = await call(server.target, sns(host, { Action: "CreateTopic", Name: "bench-topic" }));
    topicArn = /<TopicArn>([^<]+)<\/TopicArn>/.exec(created)![1]!;
    for (let i = 0; i < SUBSCRIPTIONS; i++) {
      const q = JSON.parse(await call(server.target, sqs(host, "CreateQueue", { QueueName: `bench-sub-${i}` }))) as {
        QueueUrl: string;
      };
      const a = JSON.parse(
        await call(
          server.target,
          sqs(host, "GetQueueAttributes", { QueueUrl: q.QueueUrl, AttributeNames: ["QueueArn"] }),
        ),
      ) as { Attributes: { QueueArn: string } };
      await call(
        server.target,
        sns(host, { Action: "Subscribe", TopicArn: topicArn, Protocol: "sqs", Endpoint: a.Attributes.QueueArn }),
      );
    }
  },
  request: (host) =>
    sns(host, {
      Action: "Publish",
      TopicArn: topicArn,
      Message: "x".repeat(100),
      "MessageAttributes.entry.1.Name": "kind",
      "MessageAttributes.entry.1.Value.DataType": "String",
      "MessageAttributes.entry.1.Value.StringValue": "bench",
    }),
  goal: { key: "rps", better: "higher", ratio: 20 },
});
