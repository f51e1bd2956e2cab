/**
 * A server killed (SIGKILL) while delivering loses no record and writes none twice: after the restart every call
 * acknowledged before the kill is in exactly one delivered log file.
 */
import assert from "node:assert/strict";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { spawnVigil, writeUntilKilled } from "../helpers/process.js";
import { FAKE_AUTH, raw } from "../helpers/raw.js";

const KEY = "AKIAKILLTRAIL0000001";
const credentials = { accessKeyId: KEY, secretAccessKey: "s" };

async function deliveredRequestIds(url: string, bucket: string): Promise<string[]> {
  const s3 = new S3Client({ endpoint: url, region: "us-east-1", credentials, forcePathStyle: true });
  try {
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        if (!o.Key!.includes("/CloudTrail/")) continue;
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }));
        const body = gunzipSync(Buffer.from(await got.Body!.transformToByteArray()));
        for (const r of (JSON.parse(body.toString()) as { Records: { requestID: string }[] }).Records) {
          ids.push(r.requestID);
        }
      }
      token = page.NextContinuationToken;
    } while (token);
    return ids;
  } finally {
    s3.destroy();
  }
}

test("kill -9 during trail delivery: every acknowledged call is in exactly one log file", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-trail-kill-"));
  const args = ["--data-dir", dir, "--log-level", "silent", "--trail-delivery-interval", "1"];
  try {
    const first = await spawnVigil(args);
    const s3 = new S3Client({ endpoint: first.url, region: "us-east-1", credentials, forcePathStyle: true });
    const ct = new CloudTrailClient({ endpoint: first.url, region: "us-east-1", credentials });
    const bucket = "trail-kill-bucket";
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "cloudtrail.amazonaws.com" },
              Action: "s3:PutObject",
              Resource: `arn:aws:s3:::${bucket}/*`,
            },
          ],
        }),
      }),
    );
    await ct.send(new CreateTrailCommand({ Name: "kill-trail", S3BucketName: bucket }));
    await ct.send(new StartLoggingCommand({ Name: "kill-trail" }));
    s3.destroy();
    ct.destroy();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const acknowledged = await writeUntilKilled(
      first,
      8,
      async () => {
        const r = await raw(first.url, {
          agent,
          headers: {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.ListTrails",
            authorization: FAKE_AUTH("cloudtrail", KEY),
          },
          body: "{}",
        });
        return r.status === 200 ? String(r.headers["x-amzn-requestid"]) : undefined;
      },
      3000,
    );
    agent.destroy();
    assert.ok(acknowledged.length > 50, `only ${acknowledged.length} calls were acknowledged before the kill`);

    const second = await spawnVigil(args);
    try {
      const want = new Set(acknowledged);
      let ids: string[] = [];
      for (let i = 0; i < 60; i++) {
        ids = await deliveredRequestIds(second.url, bucket);
        if ([...want].every((id) => ids.includes(id))) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      const counts = new Map<string, number>();
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
      const missing = acknowledged.filter((id) => !counts.has(id));
      assert.deepEqual(missing, [], `${missing.length} acknowledged calls were never delivered`);
      const twice = [...counts].filter(([, n]) => n > 1);
      assert.deepEqual(twice, [], "records delivered more than once");
    } finally {
      second.child.kill("SIGKILL");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
