/**
 * Every PutEvents entry acknowledged before a kill -9 reaches its queue target after the restart (at least once), or
 * is still pending in the outbox under the killed node's lease (retried when the lease ends).
 */
import assert from "node:assert/strict";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import Database from "better-sqlite3";
import { spawnVigil, writeUntilKilled } from "../helpers/process.js";
import { FAKE_AUTH, raw } from "../helpers/raw.js";

const config = (url: string) => ({
  endpoint: url,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIAKILLEVENTS", secretAccessKey: "s" },
});

test("kill -9 during PutEvents loses no acknowledged event", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-events-kill-"));
  try {
    const first = await spawnVigil(["--data-dir", dir, "--log-level", "silent"]);
    const sqs1 = new SQSClient(config(first.url));
    const eb1 = new EventBridgeClient(config(first.url));
    await sqs1.send(new CreateQueueCommand({ QueueName: "events-durable" }));
    const queueArn = "arn:aws:sqs:us-east-1:000000000000:events-durable";
    await eb1.send(new PutRuleCommand({ Name: "durable", EventPattern: '{"source": ["durable.test"]}' }));
    await eb1.send(new PutTargetsCommand({ Rule: "durable", Targets: [{ Id: "q", Arn: queueArn }] }));
    sqs1.destroy();
    eb1.destroy();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const acknowledged = await writeUntilKilled(first, 8, async (w, i) => {
      const r = await raw(first.url, {
        agent,
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AWSEvents.PutEvents",
          authorization: FAKE_AUTH("events"),
        },
        body: JSON.stringify({
          Entries: [{ Source: "durable.test", DetailType: "t", Detail: JSON.stringify({ w, i }) }],
        }),
      });
      if (r.status !== 200) return undefined;
      const out = JSON.parse(r.body) as { Entries: { EventId?: string }[] };
      return out.Entries[0]?.EventId;
    });
    agent.destroy();
    assert.ok(acknowledged.length > 50, `only ${acknowledged.length} events were acknowledged before the kill`);

    const second = await spawnVigil(["--data-dir", dir, "--log-level", "silent"]);
    const sqs = new SQSClient(config(second.url));
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "events-durable" }));
      const seen = new Set<string>();
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && acknowledged.some((id) => !seen.has(id))) {
        const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        for (const m of r.Messages ?? []) seen.add((JSON.parse(m.Body!) as { id: string }).id);
        if (r.Messages?.length)
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl,
              Entries: r.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
            }),
          );
      }
      // Deliveries the killed node had claimed stay leased to it (5 minutes) before any node retries them: they must
      // be in the outbox, pending, so that nothing acknowledged is lost.
      const notYet = acknowledged.filter((id) => !seen.has(id));
      sqs.destroy();
      second.child.kill("SIGKILL");
      await new Promise((r) => second.child.once("exit", r));
      const db = new Database(path.join(dir, "vigil.db"), { readonly: true });
      try {
        const pending = db
          .prepare(
            "SELECT CAST(payload AS TEXT) AS p FROM delivery_outbox WHERE state = 'pending' AND kind = 'events.target'",
          )
          .all() as { p: string }[];
        const waiting = new Set(pending.map((r) => (JSON.parse(r.p) as { id: string }).id));
        const missing = notYet.filter((id) => !waiting.has(id));
        assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged events are missing`);
      } finally {
        db.close();
      }
    } finally {
      second.child.kill("SIGKILL");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
