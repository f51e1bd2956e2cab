/**
 * kill -9 during PutMetricData loses no acknowledged datapoint, and never half a request: concurrent requests are
 * group-committed (merged into shared rows), so this checks that merging never acknowledges before the commit.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import {
  CloudWatchClient,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { spawnVigil, writeUntilKilled } from "../helpers/process.js";

const NAMESPACE = "Vigil/Durability";
const SHARED_PER_CALL = 10;

const client = (url: string) =>
  new CloudWatchClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAKILLMETRICS00001", secretAccessKey: "s" },
    maxAttempts: 1,
  });

test("kill -9 while datapoints are put: every acknowledged request is there after restart, whole", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-metrics-kill-"));
  try {
    const first = await spawnVigil(["--data-dir", dir, "--log-level", "silent"]);
    const cw = client(first.url);
    const sent = new Set<string>();
    // Each request puts 10 datapoints on one shared metric (rows every concurrent request merges into) and one on a
    // metric of its own, which names the request.
    const acknowledged = await writeUntilKilled(first, 8, async (w, i) => {
      const own = `w${w}-c${i}`;
      sent.add(own);
      await cw.send(
        new PutMetricDataCommand({
          Namespace: NAMESPACE,
          MetricData: [
            ...Array.from({ length: SHARED_PER_CALL }, (_, k) => ({ MetricName: "Shared", Value: k })),
            { MetricName: own, Value: 1 },
          ],
        }),
      );
      return own;
    });
    cw.destroy();
    assert.ok(acknowledged.length > 50, `only ${acknowledged.length} requests were acknowledged before the kill`);

    const second = await spawnVigil(["--data-dir", dir, "--log-level", "silent"]);
    try {
      const again = client(second.url);
      const stored = new Set<string>();
      let token: string | undefined;
      do {
        const page = await again.send(new ListMetricsCommand({ Namespace: NAMESPACE, NextToken: token }));
        for (const m of page.Metrics ?? []) if (m.MetricName !== "Shared") stored.add(m.MetricName!);
        token = page.NextToken;
      } while (token);
      const missing = acknowledged.filter((own) => !stored.has(own));
      assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged requests are missing`);
      assert.ok(
        [...stored].every((own) => sent.has(own)),
        "nothing stored that was not sent",
      );
      const now = Date.now();
      const stats = await again.send(
        new GetMetricStatisticsCommand({
          Namespace: NAMESPACE,
          MetricName: "Shared",
          StartTime: new Date(now - 3600_000),
          EndTime: new Date(now + 3600_000),
          Period: 3600,
          Statistics: ["SampleCount"],
        }),
      );
      const shared = (stats.Datapoints ?? []).reduce((n, d) => n + d.SampleCount!, 0);
      // Whole requests only: the shared metric holds exactly 10 datapoints per request whose own metric is stored.
      assert.equal(shared, stored.size * SHARED_PER_CALL);
      again.destroy();
    } finally {
      second.child.kill("SIGKILL");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
