/** kill -9 during PutLogEvents loses no acknowledged event, and never half a batch. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { spawnVigil, writeUntilKilled } from "../helpers/process.js";

const client = (url: string) =>
  new CloudWatchLogsClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAKILLLOGS0000001", secretAccessKey: "s" },
    maxAttempts: 1,
  });

test("kill -9 while batches are written: every acknowledged batch is there after restart, whole", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-logs-kill-"));
  const group = "/vigil/durability";
  const streams = ["s0", "s1", "s2", "s3"];
  try {
    const first = await spawnVigil(["--data-dir", dir, "--log-level", "silent"]);
    const logs = client(first.url);
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    for (const s of streams) await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: s }));

    const sent: string[] = [];
    const acknowledged = await writeUntilKilled(first, 8, async (w, i) => {
      const stream = streams[w % streams.length]!;
      const batch = `w${w}b${i}`;
      // Some batches small (appended to the stream's newest chunk), some large (a chunk of their own).
      const n = i % 3 === 0 ? 300 : 5;
      const logEvents = Array.from({ length: n }, (_, k) => ({
        timestamp: Date.now() - 1000,
        message: `${batch} ${k} ${"x".repeat(120)}`,
      }));
      sent.push(batch);
      await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents }));
      return batch;
    });
    logs.destroy();
    assert.ok(acknowledged.length > 50, `only ${acknowledged.length} batches were acknowledged before the kill`);

    const second = await spawnVigil(["--data-dir", dir, "--log-level", "silent"]);
    try {
      const again = client(second.url);
      const counts = new Map<string, number>();
      let token: string | undefined;
      do {
        const page = await again.send(new FilterLogEventsCommand({ logGroupName: group, nextToken: token }));
        for (const e of page.events ?? []) {
          const batch = e.message!.split(" ")[0]!;
          counts.set(batch, (counts.get(batch) ?? 0) + 1);
        }
        token = page.nextToken;
      } while (token);
      again.destroy();
      const size = (batch: string) => (Number(batch.split("b")[1]) % 3 === 0 ? 300 : 5);
      const missing = acknowledged.filter((b) => counts.get(b) !== size(b));
      assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged batches are not whole`);
      for (const [batch, n] of counts) assert.equal(n, size(batch), `batch ${batch} is stored partly`);
      assert.ok(
        [...counts.keys()].every((b) => sent.includes(b)),
        "nothing stored that was not sent",
      );
    } finally {
      second.child.kill("SIGKILL");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
