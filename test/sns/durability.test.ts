/**
 * Every Publish answered before a kill -9 reaches the SQS subscription after the restart: the deliveries are in the
 * outbox in the transaction that acknowledged the publish, and the restarted server sends what was left.
 */
import assert from "node:assert/strict";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { spawnVigil, writeUntilKilled } from "../helpers/process.js";
import { FAKE_AUTH, raw } from "../helpers/raw.js";

const config = (url: string) => ({
  endpoint: url,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIAKILLSNS", secretAccessKey: "s" },
});

test("kill -9 during publishes loses no acknowledged notification", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-sns-kill-"));
  try {
    const first = await spawnVigil(["--data-dir", dir, "--log-level", "silent"]);
    const sns = new SNSClient(config(first.url));
    const sqs = new SQSClient(config(first.url));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "durable" }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "durable-sub" }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: Attributes!.QueueArn }));
    sns.destroy();
    sqs.destroy();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    let seq = 0;
    const acknowledged = await writeUntilKilled(
      first,
      16,
      async () => {
        const body = new URLSearchParams({
          Action: "Publish",
          Version: "2010-03-31",
          TopicArn: TopicArn!,
          Message: `m ${seq++}`,
        });
        const r = await raw(first.url, {
          agent,
          headers: { "content-type": "application/x-www-form-urlencoded", authorization: FAKE_AUTH("sns") },
          body: body.toString(),
        });
        const id = /<MessageId>([^<]+)<\/MessageId>/.exec(r.body);
        return r.status === 200 && id ? id[1] : undefined;
      },
      4000,
    );
    agent.destroy();
    assert.ok(acknowledged.length >= 20, `only ${acknowledged.length} publishes were acknowledged before the kill`);

    const second = await spawnVigil(["--data-dir", dir, "--log-level", "silent"]);
    const sqs2 = new SQSClient(config(second.url));
    try {
      const delivered = new Set<string>();
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && acknowledged.some((id) => !delivered.has(id))) {
        const r = await sqs2.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        for (const m of r.Messages ?? []) delivered.add((JSON.parse(m.Body!) as { MessageId: string }).MessageId);
        if (r.Messages?.length)
          await sqs2.send(
            new DeleteMessageBatchCommand({
              QueueUrl,
              Entries: r.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
            }),
          );
      }
      sqs2.destroy();
      second.child.kill("SIGKILL");
      await new Promise((r) => second.child.once("exit", r));
      // A delivery the killed node had claimed stays leased for 5 minutes (DELIVERY.md) before any node sends it
      // again: such a publish must still be in the outbox, pending.
      const db = new Database(path.join(dir, "vigil.db"), { readonly: true });
      const pending = (
        db.prepare("SELECT payload FROM delivery_outbox WHERE kind = 'sns.sqs' AND state = 'pending'").all() as {
          payload: Buffer;
        }[]
      ).map((r) => r.payload.toString());
      db.close();
      const missing = acknowledged.filter((id) => !delivered.has(id) && !pending.some((p) => p.includes(id)));
      assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged publishes are lost`);
      assert.ok(delivered.size >= acknowledged.length - 16, "at most the claims in flight wait for their lease");
    } finally {
      second.child.kill("SIGKILL");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
