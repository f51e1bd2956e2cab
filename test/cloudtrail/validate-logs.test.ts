/**
 * The unmodified AWS CLI v1 `cloudtrail validate-logs` against Vigil (CloudTrail and S3 through AWS_ENDPOINT_URL):
 * every delivered file valid, then an overwritten log file, a deleted one and an altered digest detected with the
 * CLI's exact messages.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import {
  CloudTrailClient,
  CreateTrailCommand,
  ListTrailsCommand,
  StartLoggingCommand,
} from "@aws-sdk/client-cloudtrail";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ListPublicKeysCommand } from "@aws-sdk/client-cloudtrail";
import { runVerifyTrail } from "../../src/services/cloudtrail/verify-command.js";
import { awsEnv, startVigil, unique, type Vigil } from "../helpers/vigil.js";

let vigil: Vigil;
let s3: S3Client;
let ct: CloudTrailClient;
let bucket: string;
let arn: string;

function validate(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      "python3",
      ["-m", "awscli", "cloudtrail", "validate-logs", "--endpoint-url", vigil.url, ...args],
      { env: awsEnv(vigil.url), timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

/** `vigil verify-trail` through the real command line, online against the running Vigil. */
function verifyCli(): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = new URL("../../bin/vigil.js", import.meta.url).pathname;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, "verify-trail", "--trail-arn", arn, "--endpoint-url", vigil.url, ...RANGE.slice(0, 4)],
      { env: awsEnv(vigil.url), timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

/** Copies the bucket into a directory (metadata sidecars) and the public keys into a file; verifies offline. */
async function verifyOffline(): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-verify-"));
  for (const k of await keys("AWSLogs/")) {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: k }));
    const file = path.join(dir, "bucket", ...k.split("/"));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, Buffer.from(await got.Body!.transformToByteArray()));
    writeFileSync(`${file}.metadata.json`, JSON.stringify(got.Metadata ?? {}));
  }
  const pk = await ct.send(new ListPublicKeysCommand({ StartTime: new Date(0), EndTime: new Date("2024-06-01") }));
  writeFileSync(
    path.join(dir, "keys.json"),
    JSON.stringify({
      PublicKeyList: pk.PublicKeyList!.map((k) => ({
        Fingerprint: k.Fingerprint,
        Value: Buffer.from(k.Value!).toString("base64"),
      })),
    }),
  );
  let stdout = "";
  let stderr = "";
  const code = await runVerifyTrail(
    {
      trailArn: arn,
      startTime: "2024-05-01T00:00:00Z",
      endTime: "2024-05-01T00:30:00Z",
      dir: path.join(dir, "bucket"),
      publicKeys: path.join(dir, "keys.json"),
      s3Bucket: bucket,
    },
    (text, err) => void (err ? (stderr += text) : (stdout += text)),
  );
  return { code, stdout, stderr };
}

const RANGE = ["--start-time", "2024-05-01T00:00:00Z", "--end-time", "2024-05-01T00:30:00Z", "--verbose"];

before(async () => {
  vigil = await startVigil({
    clock: "manual",
    clockStart: "2024-05-01T00:00:00Z",
    trailDeliveryInterval: 60,
    trailDigestInterval: 600,
  });
  s3 = vigil.client(S3Client, { forcePathStyle: true });
  ct = vigil.client(CloudTrailClient);
  bucket = unique("ct-validate");
  const account = vigil.server.config.defaultAccount;
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
            Action: "s3:GetBucketAcl",
            Resource: `arn:aws:s3:::${bucket}`,
          },
          {
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `arn:aws:s3:::${bucket}/AWSLogs/${account}/*`,
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
          },
        ],
      }),
    }),
  );
  const name = unique("validated");
  arn = (await ct.send(new CreateTrailCommand({ Name: name, S3BucketName: bucket, EnableLogFileValidation: true })))
    .TrailARN!;
  await ct.send(new StartLoggingCommand({ Name: name }));
  for (let minute = 0; minute < 30; minute++) {
    if (minute % 4 === 0) await ct.send(new ListTrailsCommand({}));
    await vigil.server.advance(60);
  }
});
after(() => vigil.close());

async function keys(prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((c) => c.Key!);
}

test("validate-logs reports every delivered digest and log file valid", async () => {
  const r = await validate(["--trail-arn", arn, ...RANGE]);
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Results found for 2024-05-01T00:00:00Z to 2024-05-01T00:30:00Z:/);
  assert.match(r.stdout, /\n3\/3 digest files valid\n/);
  const logs = (await keys("AWSLogs/")).filter((k) => k.includes("/CloudTrail/"));
  assert.ok(logs.length >= 5, `expected several log files, got ${logs.length}`);
  assert.match(r.stdout, new RegExp(`\\n${logs.length}/${logs.length} log files valid\\n`));
  for (const k of logs) assert.ok(r.stdout.includes(`Log file\ts3://${bucket}/${k}\tvalid`), k);

  for (const v of [await verifyCli(), await verifyOffline()]) {
    assert.equal(v.stderr, "");
    assert.equal(v.code, 0);
    assert.match(v.stdout, /\n3\/3 digest files valid\n/);
    assert.match(v.stdout, new RegExp(`\\n${logs.length}/${logs.length} log files valid\\n`));
  }
});

test("an overwritten log file is INVALID, a deleted one not found, an altered digest fails its signature", async () => {
  const logs = (await keys("AWSLogs/")).filter((k) => k.includes("/CloudTrail/"));
  const digests = (await keys("AWSLogs/")).filter((k) => k.includes("/CloudTrail-Digest/"));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: logs[0], Body: gzipSync(Buffer.from('{"Records":[]}')) }));
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: logs[1] }));
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: digests[1] }));
  const original = Buffer.from(await got.Body!.transformToByteArray());
  const altered = gzipSync(
    Buffer.from((await import("node:zlib")).gunzipSync(original).toString().replace("SHA-256", "SHA-257")),
  );
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: digests[1], Body: altered, Metadata: got.Metadata }));

  const r = await validate(["--trail-arn", arn, ...RANGE]);
  assert.equal(r.code, 1);
  assert.ok(r.stderr.includes(`Log file\ts3://${bucket}/${logs[0]}\tINVALID: hash value doesn't match\n`), r.stderr);
  assert.ok(r.stderr.includes(`Log file\ts3://${bucket}/${logs[1]}\tINVALID: not found\n`), r.stderr);
  assert.ok(
    r.stderr.includes(`Digest file\ts3://${bucket}/${digests[1]}\tINVALID: signature verification failed\n`),
    r.stderr,
  );
  assert.match(r.stdout, /2\/3 digest files valid, 1\/3 digest files INVALID/);

  for (const v of [await verifyCli(), await verifyOffline()]) {
    assert.equal(v.code, 1);
    assert.ok(v.stderr.includes(`Log file\ts3://${bucket}/${logs[0]}\tINVALID: hash value doesn't match\n`), v.stderr);
    assert.ok(v.stderr.includes(`Log file\ts3://${bucket}/${logs[1]}\tINVALID: not found\n`), v.stderr);
    assert.ok(v.stderr.includes(`Digest file\ts3://${bucket}/${digests[1]}\tINVALID: signature verification failed\n`));
    assert.match(v.stdout, /2\/3 digest files valid, 1\/3 digest files INVALID/);
  }
});
