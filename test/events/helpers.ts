/** Helpers shared by the EventBridge tests: a Vigil per file on a manual clock (memory, or PostgreSQL with DATABASE_URL). */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
  type Message,
} from "@aws-sdk/client-sqs";
import type { ServerOptions } from "../../src/server.js";
import { unique, type Vigil } from "../helpers/vigil.js";
import { startLogsVigil } from "../logs/metadata-helpers.js";

export { rejects, accountKey } from "../logs/metadata-helpers.js";

export const START = Date.parse("2026-03-01T10:00:00Z");
export const ACCOUNT = "000000000000";

export function startEventsVigil(options: ServerOptions = {}): Promise<Vigil> {
  return startLogsVigil({ clock: "manual", clockStart: new Date(START).toISOString(), ...options });
}

/** A queue with a unique name; its URL and ARN. */
export async function newQueue(sqs: SQSClient, fifo = false): Promise<{ url: string; arn: string }> {
  const name = unique("evq") + (fifo ? ".fifo" : "");
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: fifo ? { FifoQueue: "true" } : {} }),
  );
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** Lets pending deliveries run (advancing the manual clock by 0) and receives what the queue has. */
export async function drainQueue(vigil: Vigil, sqs: SQSClient, url: string, expect = 1): Promise<Message[]> {
  const out: Message[] = [];
  for (let i = 0; i < 50 && out.length < expect; i++) {
    await vigil.server.advance(0);
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"] }),
    );
    out.push(...(Messages ?? []));
    if (out.length < expect) await new Promise((r) => setImmediate(r));
  }
  return out;
}

/** Receives without waiting for more (after drainQueue: asserts nothing else arrived). */
export async function receiveNow(sqs: SQSClient, url: string): Promise<Message[]> {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
  return Messages ?? [];
}
