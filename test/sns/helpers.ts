/** Helpers shared by the SNS tests: a Vigil per file (memory, or PostgreSQL with DATABASE_URL), topics, queues. */
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { ServerOptions } from "../../src/server.js";
import { unique, type Vigil } from "../helpers/vigil.js";
import { startLogsVigil } from "../logs/metadata-helpers.js";

export { rejects } from "../logs/metadata-helpers.js";

export const START = Date.parse("2026-03-01T10:00:00Z");
export const ACCOUNT = "000000000000";

export function startSnsVigil(options: ServerOptions = {}): Promise<Vigil> {
  return startLogsVigil({ clock: "manual", clockStart: new Date(START).toISOString(), ...options });
}

export async function newTopic(
  sns: SNSClient,
  attributes: Record<string, string> = {},
  opts: { fifo?: boolean } = {},
): Promise<{ arn: string; name: string }> {
  const name = unique("t") + (opts.fifo ? ".fifo" : "");
  const { TopicArn } = await sns.send(
    new CreateTopicCommand({ Name: name, Attributes: opts.fifo ? { FifoTopic: "true", ...attributes } : attributes }),
  );
  return { arn: TopicArn!, name };
}

export async function newQueue(sqs: SQSClient, opts: { fifo?: boolean } = {}): Promise<{ url: string; arn: string }> {
  const name = unique("q") + (opts.fifo ? ".fifo" : "");
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: opts.fifo ? { FifoQueue: "true" } : {} }),
  );
  const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl!, arn: a.Attributes!.QueueArn! };
}

/** A topic with a queue subscribed to it. */
export async function topicWithQueue(
  sns: SNSClient,
  sqs: SQSClient,
  attributes: Record<string, string> = {},
  fifo = false,
) {
  const topic = await newTopic(sns, fifo ? { ContentBasedDeduplication: "true" } : {}, { fifo });
  const queue = await newQueue(sqs, { fifo });
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({ TopicArn: topic.arn, Protocol: "sqs", Endpoint: queue.arn, Attributes: attributes }),
  );
  return { topic, queue, subscriptionArn: SubscriptionArn! };
}

/** Delivers what is due (manual clock) and receives up to 10 messages. */
export async function deliverAndReceive(vigil: Vigil, sqs: SQSClient, url: string, wait = 0) {
  await vigil.server.scheduler.advance(wait * 1000);
  const r = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ["All"],
      AttributeNames: ["All"],
    }),
  );
  return r.Messages ?? [];
}
