/** Every SendMessage answered before a kill -9 is in the queue after the restart. */
import assert from "node:assert/strict";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { spawnVigil, writeUntilKilled } from "../helpers/process.js";
import { FAKE_AUTH, raw } from "../helpers/raw.js";

const client = (url: string) =>
  new SQSClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAKILLSQS", secretAccessKey: "s" },
  });

test("kill -9 during sends loses no acknowledged message", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-sqs-kill-"));
  try {
    const first = await spawnVigil(["--data-dir", dir, "--log-level", "silent"]);
    const setup = client(first.url);
    const { QueueUrl } = await setup.send(new CreateQueueCommand({ QueueName: "durable" }));
    setup.destroy();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    let seq = 0;
    const acknowledged = await writeUntilKilled(first, 16, async () => {
      const r = await raw(first.url, {
        agent,
        headers: {
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": "AmazonSQS.SendMessage",
          authorization: FAKE_AUTH("sqs"),
        },
        body: JSON.stringify({ QueueUrl, MessageBody: `message ${seq++}` }),
      });
      return r.status === 200 ? (JSON.parse(r.body) as { MessageId: string }).MessageId : undefined;
    });
    agent.destroy();
    assert.ok(acknowledged.length > 100, `only ${acknowledged.length} sends were acknowledged before the kill`);

    const second = await spawnVigil(["--data-dir", dir, "--log-level", "silent"]);
    const sqs = client(second.url);
    try {
      const stored = new Set<string>();
      for (;;) {
        const r = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 3600 }),
        );
        if (!r.Messages?.length) break;
        for (const m of r.Messages) stored.add(m.MessageId!);
      }
      const missing = acknowledged.filter((id) => !stored.has(id));
      assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged messages are missing`);
    } finally {
      sqs.destroy();
      second.child.kill("SIGKILL");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
