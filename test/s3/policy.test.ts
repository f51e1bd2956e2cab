/**
 * Bucket policies: Put/Get/DeleteBucketPolicy with S3's MalformedPolicy messages, enforcement for other accounts,
 * and the internal entries CloudTrail writes through (s3CanWrite / s3PutObject) for service principals.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { internal } from "../../src/services/internal.js";
import { raw } from "../helpers/raw.js";
import { type Vigil } from "../helpers/vigil.js";
import { newBucket, OTHER_ACCOUNT, s3Client, s3Rejects, startS3Vigil } from "./helpers.js";

let vigil: Vigil;
let s3: S3Client;
let other: S3Client;

before(async () => {
  vigil = await startS3Vigil();
  s3 = s3Client(vigil);
  other = s3Client(vigil, { credentials: { accessKeyId: OTHER_ACCOUNT, secretAccessKey: "x" } });
});
after(() => vigil.close());

const ACCOUNT = "000000000000";

/** The bucket policy AWS documents for CloudTrail (create-s3-bucket-policy-for-cloudtrail.html). */
function cloudTrailPolicy(bucket: string, trailArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AWSCloudTrailAclCheck",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:GetBucketAcl",
        Resource: `arn:aws:s3:::${bucket}`,
        Condition: { StringEquals: { "aws:SourceArn": trailArn } },
      },
      {
        Sid: "AWSCloudTrailWrite",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${bucket}/AWSLogs/${ACCOUNT}/*`,
        Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn } },
      },
    ],
  });
}

test("a policy is stored, read back and deleted; NoSuchBucketPolicy when there is none", async () => {
  const b = await newBucket(s3);
  await s3Rejects(
    s3.send(new GetBucketPolicyCommand({ Bucket: b })),
    "NoSuchBucketPolicy",
    404,
    "The bucket policy does not exist",
  );
  const policy = cloudTrailPolicy(b, `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t`);
  const put = await s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: policy }));
  assert.equal(put.$metadata.httpStatusCode, 204);
  assert.equal((await s3.send(new GetBucketPolicyCommand({ Bucket: b }))).Policy, policy);
  await s3.send(new DeleteBucketPolicyCommand({ Bucket: b }));
  await s3Rejects(s3.send(new GetBucketPolicyCommand({ Bucket: b })), "NoSuchBucketPolicy", 404);
});

test("malformed policies are refused with S3's messages", async () => {
  const b = await newBucket(s3);
  const stmt = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${b}/*` };
  const cases: [string, string][] = [
    ["not json", "Policies must be valid JSON and the first byte must be '{'"],
    ["{ bad", "This policy contains invalid Json"],
    [JSON.stringify({ Version: "2012-10-17" }), "Missing required field Statement"],
    [JSON.stringify({ Statement: [{ ...stmt, Effect: "Maybe" }] }), "Invalid effect: Maybe"],
    [JSON.stringify({ Statement: [{ ...stmt, Principal: undefined }] }), "Missing required field Principal"],
    [JSON.stringify({ Statement: [{ ...stmt, Action: "sqs:SendMessage" }] }), "Policy has invalid action"],
    [
      JSON.stringify({ Statement: [{ ...stmt, Resource: "arn:aws:s3:::another-bucket/*" }] }),
      "Policy has invalid resource",
    ],
    [JSON.stringify({ Statement: [{ ...stmt, Principal: { AWS: "nobody" } }] }), "Invalid principal in policy"],
    [JSON.stringify({ Statement: [{ ...stmt, Bogus: 1 }] }), "Unknown field Bogus"],
    // Checked by the shared policy engine, whose reason S3 passes on.
    [
      JSON.stringify({ Statement: [{ ...stmt, Condition: { StringEqualz: { "aws:SourceAccount": "1" } } }] }),
      'Unknown condition operator "StringEqualz"',
    ],
  ];
  for (const [policy, message] of cases) {
    await s3Rejects(
      s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: policy })),
      "MalformedPolicy",
      400,
      message,
    );
  }
});

test("another account is denied until the bucket policy allows it; an explicit Deny binds the owner", async () => {
  const b = await newBucket(s3);
  await s3Rejects(
    other.send(new PutObjectCommand({ Bucket: b, Key: "x", Body: "x" })),
    "AccessDenied",
    403,
    "Access Denied",
  );
  await s3Rejects(other.send(new PutBucketPolicyCommand({ Bucket: b, Policy: "{}" })), "AccessDenied", 403);
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: b,
      Policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
            Action: "s3:PutObject",
            Resource: `arn:aws:s3:::${b}/in/*`,
          },
          { Effect: "Deny", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${b}/secret/*` },
        ],
      }),
    }),
  );
  await other.send(new PutObjectCommand({ Bucket: b, Key: "in/x", Body: "from other" }));
  await s3Rejects(other.send(new PutObjectCommand({ Bucket: b, Key: "out/x", Body: "x" })), "AccessDenied", 403);
  await s3Rejects(other.send(new GetObjectCommand({ Bucket: b, Key: "in/x" })), "AccessDenied", 403);
  const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: "in/x" }));
  assert.equal(await got.Body!.transformToString(), "from other");
  await s3.send(new PutObjectCommand({ Bucket: b, Key: "secret/s", Body: "s" }));
  await s3Rejects(s3.send(new GetObjectCommand({ Bucket: b, Key: "secret/s" })), "AccessDenied", 403);
});

test("s3CanWrite / s3PutObject: CloudTrail needs the documented bucket policy; its objects read back with metadata", async () => {
  const entries = internal(vigil.server.stores);
  const b = await newBucket(s3);
  const trailArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/vigil`;
  const publisher = {
    account: ACCOUNT,
    service: "cloudtrail.amazonaws.com",
    sourceArn: trailArn,
    sourceAccount: ACCOUNT,
  };
  const key = `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/23/f.json.gz`;
  assert.equal(await entries.s3CanWrite!("no-such-bucket-vigil", key, publisher), "NoSuchBucket");
  assert.equal(await entries.s3CanWrite!(b, key, publisher), "AccessDenied");
  await assert.rejects(entries.s3PutObject!({ bucket: b, key, body: Buffer.from("x") }, publisher), {
    code: "AccessDenied",
  });
  await s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: cloudTrailPolicy(b, trailArn) }));
  assert.equal(await entries.s3CanWrite!(b, key, publisher), "ok");
  // Another trail (aws:SourceArn) or a key outside AWSLogs/<account>/ is still refused.
  assert.equal(await entries.s3CanWrite!(b, key, { ...publisher, sourceArn: `${trailArn}-2` }), "AccessDenied");
  assert.equal(await entries.s3CanWrite!(b, "elsewhere/x", publisher), "AccessDenied");
  const body = Buffer.from([0x1f, 0x8b, 1, 2, 3]);
  const { etag } = await entries.s3PutObject!(
    {
      bucket: b,
      key,
      body,
      contentType: "application/json",
      contentEncoding: "gzip",
      metadata: { Signature: "ab12", "signature-algorithm": "SHA256withRSA" },
    },
    publisher,
  );
  const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: key }));
  assert.equal(got.ETag, etag);
  assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(body));
  assert.equal(got.ContentEncoding, "gzip");
  assert.deepEqual(got.Metadata, { signature: "ab12", "signature-algorithm": "SHA256withRSA" });
  // The owner account itself may always write.
  assert.equal(await entries.s3CanWrite!(b, "any", { account: ACCOUNT }), "ok");
  assert.equal(await entries.s3CanWrite!(b, "any", { account: OTHER_ACCOUNT }), "AccessDenied");
});

test("unsigned requests are anonymous: denied unless the policy grants everyone", async () => {
  const b = await newBucket(s3);
  await s3.send(new PutObjectCommand({ Bucket: b, Key: "pub/x", Body: "public" }));
  await s3.send(new PutObjectCommand({ Bucket: b, Key: "priv/x", Body: "private" }));
  const get = (key: string) => raw(vigil.url, { method: "GET", path: `/${b}/${key}` });
  const denied = await get("pub/x");
  assert.equal(denied.status, 403);
  assert.match(denied.body, /<Code>AccessDenied<\/Code><Message>Access Denied<\/Message>/);
  const list = await raw(vigil.url, { method: "GET", path: "/" });
  assert.equal(list.status, 403);
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: b,
      Policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${b}/pub/*` }],
      }),
    }),
  );
  const ok = await get("pub/x");
  assert.equal(ok.status, 200);
  assert.equal(ok.body, "public");
  assert.equal((await get("priv/x")).status, 403);
});

test("x-amz-expected-bucket-owner: another account's bucket is AccessDenied", async () => {
  const b = await newBucket(s3);
  await s3.send(new PutObjectCommand({ Bucket: b, Key: "k", Body: "x", ExpectedBucketOwner: ACCOUNT }));
  await s3Rejects(
    s3.send(new GetObjectCommand({ Bucket: b, Key: "k", ExpectedBucketOwner: OTHER_ACCOUNT })),
    "AccessDenied",
    403,
    "Access Denied",
  );
  await s3Rejects(
    s3.send(new GetBucketPolicyCommand({ Bucket: b, ExpectedBucketOwner: OTHER_ACCOUNT })),
    "AccessDenied",
    403,
  );
});
