import assert from "node:assert/strict";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { FAKE_AUTH, raw } from "../helpers/raw.js";
import { spawnVigil, writeUntilKilled } from "../helpers/process.js";

/** Every call whose response arrived must have its audit record after kill -9 and restart. */
test("kill -9 during writes loses no acknowledged audit record", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-kill-"));
  const key = "AKIAKILLTEST00000001";
  try {
    const first = await spawnVigil(["--data-dir", dir, "--log-level", "silent"]);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const acknowledged = await writeUntilKilled(first, 16, async () => {
      const r = await raw(first.url, {
        agent,
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: FAKE_AUTH("sts", key) },
        body: "Action=GetCallerIdentity&Version=2011-06-15",
      });
      return r.status === 200 ? String(r.headers["x-amzn-requestid"]) : undefined;
    });
    agent.destroy();
    assert.ok(acknowledged.length > 100, `only ${acknowledged.length} calls were acknowledged before the kill`);

    const second = await spawnVigil(["--data-dir", dir, "--log-level", "silent"]);
    try {
      const ct = new CloudTrailClient({
        endpoint: second.url,
        region: "us-east-1",
        credentials: { accessKeyId: "AKIAREADER", secretAccessKey: "s" },
      });
      const recorded = new Set<string>();
      let token: string | undefined;
      do {
        const page = await ct.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: "AccessKeyId", AttributeValue: key }],
            MaxResults: 50,
            NextToken: token,
          }),
        );
        for (const e of page.Events ?? [])
          recorded.add((JSON.parse(e.CloudTrailEvent!) as { requestID: string }).requestID);
        token = page.NextToken;
      } while (token);
      ct.destroy();
      const missing = acknowledged.filter((id) => !recorded.has(id));
      assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged calls have no record`);
      const health = await raw(second.url, { method: "GET", path: "/_vigil/health" });
      assert.equal(health.status, 200);
    } finally {
      second.child.kill("SIGKILL");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
