/** Helpers shared by the SQS tests: a Vigil per file (memory, or PostgreSQL with DATABASE_URL), queues, error checks. */
import assert from "node:assert/strict";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SQSClient,
  type CreateQueueCommandInput,
  type QueueAttributeName,
} from "@aws-sdk/client-sqs";
import type { ServerOptions } from "../../src/server.js";
import { unique, type Vigil } from "../helpers/vigil.js";
import { startLogsVigil } from "../logs/metadata-helpers.js";

export { rejects, accountKey } from "../logs/metadata-helpers.js";

export const START = Date.parse("2026-03-01T10:00:00Z");
export const ACCOUNT = "000000000000";

/** Vigil in-process on a manual clock: in memory, or in a PostgreSQL schema of its own when DATABASE_URL is set. */
export function startSqsVigil(options: ServerOptions = {}): Promise<Vigil> {
  return startLogsVigil({ clock: "manual", clockStart: new Date(START).toISOString(), ...options });
}

/** Creates a queue with a unique name (FIFO when `fifo`); resolves with its URL and name. */
export async function newQueue(
  sqs: SQSClient,
  attributes: Record<string, string> = {},
  opts: { fifo?: boolean; prefix?: string; tags?: Record<string, string> } = {},
): Promise<{ url: string; name: string }> {
  const name = unique(opts.prefix ?? "q") + (opts.fifo ? ".fifo" : "");
  const input: CreateQueueCommandInput = {
    QueueName: name,
    Attributes: opts.fifo ? { FifoQueue: "true", ...attributes } : attributes,
    tags: opts.tags,
  };
  const { QueueUrl } = await sqs.send(new CreateQueueCommand(input));
  return { url: QueueUrl!, name };
}

export async function attributes(
  sqs: SQSClient,
  url: string,
  names: string[] = ["All"],
): Promise<Record<string, string>> {
  const r = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names as QueueAttributeName[] }),
  );
  return r.Attributes ?? {};
}

export async function counts(sqs: SQSClient, url: string) {
  const a = await attributes(sqs, url, [
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
  ]);
  return {
    visible: Number(a.ApproximateNumberOfMessages),
    notVisible: Number(a.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed),
  };
}

/**
 * Asserts an SQS error as the JS SDK surfaces it: the shape name (`name`), the Query code SQS clients know (`Code`,
 * from x-amzn-query-error) and the message.
 */
export async function sqsRejects(
  p: Promise<unknown>,
  code: string,
  message: string | RegExp,
  status = 400,
): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as Error & { Code?: string; $metadata?: { httpStatusCode?: number } },
  );
  assert.ok(err, `expected ${code}, but the call succeeded`);
  assert.equal(err.Code ?? err.name, code, `${err.name}: ${err.message}`);
  if (typeof message === "string") assert.equal(err.message, message);
  else assert.match(err.message, message);
  assert.equal(err.$metadata?.httpStatusCode, status);
}

export const arnOf = (name: string, account = ACCOUNT, region = "us-east-1") =>
  `arn:aws:sqs:${region}:${account}:${name}`;
