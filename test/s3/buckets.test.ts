/**
 * Buckets: CreateBucket (names, LocationConstraint rules, the global namespace), HeadBucket, GetBucketLocation,
 * ListBuckets, DeleteBucket (BucketNotEmpty), through the JS SDK (path-style and virtual-hosted).
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { LookupFunction } from "node:net";
import { after, before, test } from "node:test";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { unique, type Vigil } from "../helpers/vigil.js";
import { FAKE_AUTH, raw } from "../helpers/raw.js";
import { newBucket, OTHER_ACCOUNT, s3Client, s3Rejects, startS3Vigil } from "./helpers.js";

/** Resolves every name to 127.0.0.1, so `bucket.localhost` reaches the server (glibc does not resolve it). */
const loopback = ((_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
  if (options?.all) cb(null, [{ address: "127.0.0.1", family: 4 }]);
  else cb(null, "127.0.0.1", 4);
}) as unknown as LookupFunction;

let vigil: Vigil;
let s3: S3Client;

before(async () => {
  vigil = await startS3Vigil();
  s3 = s3Client(vigil);
});
after(() => vigil.close());

test("a bucket is created, located, listed, headed and deleted", async () => {
  const name = await newBucket(s3);
  const loc = await s3.send(new GetBucketLocationCommand({ Bucket: name }));
  assert.equal(loc.LocationConstraint, undefined);
  const head = await s3.send(new HeadBucketCommand({ Bucket: name }));
  assert.equal(head.BucketRegion, "us-east-1");
  const list = await s3.send(new ListBucketsCommand({}));
  assert.ok(list.Buckets!.some((b) => b.Name === name && b.CreationDate instanceof Date));
  assert.match(list.Owner!.ID!, /^[0-9a-f]{64}$/);
  await s3.send(new DeleteBucketCommand({ Bucket: name }));
  await s3Rejects(s3.send(new HeadBucketCommand({ Bucket: name })), "NotFound", 404);
  await s3Rejects(
    s3.send(new GetBucketLocationCommand({ Bucket: name })),
    "NoSuchBucket",
    404,
    "The specified bucket does not exist",
  );
});

test("LocationConstraint: another region from us-east-1, none elsewhere is refused, us-east-1 named is invalid", async () => {
  const eu = unique("eu");
  await s3.send(
    new CreateBucketCommand({ Bucket: eu, CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }),
  );
  assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: eu }))).LocationConstraint, "eu-west-1");
  await s3Rejects(
    s3.send(
      new CreateBucketCommand({
        Bucket: unique("x"),
        CreateBucketConfiguration: { LocationConstraint: "us-east-1" as "EU" },
      }),
    ),
    "InvalidLocationConstraint",
    400,
    "The specified location-constraint is not valid",
  );
  const west = s3Client(vigil, { region: "us-west-2" });
  // The SDKs add the client's region as LocationConstraint themselves: a raw request shows the rule.
  const res = await raw(vigil.url, {
    method: "PUT",
    path: `/${unique("x")}`,
    headers: { authorization: FAKE_AUTH("s3", "AKIAVIGILRAW00000001", "us-west-2") },
  });
  assert.equal(res.status, 400);
  assert.match(res.body, /<Code>IllegalLocationConstraintException<\/Code>/);
  assert.match(
    res.body,
    /<Message>The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.<\/Message>/,
  );
  await s3Rejects(
    west.send(
      new CreateBucketCommand({ Bucket: unique("x"), CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }),
    ),
    "IllegalLocationConstraintException",
    400,
    "The eu-west-1 location constraint is incompatible for the region specific endpoint this request was sent to.",
  );
  const w = unique("w");
  await west.send(
    new CreateBucketCommand({ Bucket: w, CreateBucketConfiguration: { LocationConstraint: "us-west-2" } }),
  );
  assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: w }))).LocationConstraint, "us-west-2");
  // Outside us-east-1, re-creating one's own bucket is BucketAlreadyOwnedByYou.
  await s3Rejects(
    west.send(new CreateBucketCommand({ Bucket: w, CreateBucketConfiguration: { LocationConstraint: "us-west-2" } })),
    "BucketAlreadyOwnedByYou",
    409,
    "Your previous request to create the named bucket succeeded and you already own it.",
  );
});

test("the namespace is global: us-east-1 re-create is 200 for the owner, BucketAlreadyExists for others", async () => {
  const name = await newBucket(s3);
  await s3.send(new CreateBucketCommand({ Bucket: name })); // legacy us-east-1 behaviour
  const other = s3Client(vigil, { credentials: { accessKeyId: OTHER_ACCOUNT, secretAccessKey: "x" } });
  await s3Rejects(
    other.send(new CreateBucketCommand({ Bucket: name })),
    "BucketAlreadyExists",
    409,
    "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
  );
  assert.ok(!(await other.send(new ListBucketsCommand({}))).Buckets?.some((b) => b.Name === name));
  await assert.rejects(
    other.send(new HeadBucketCommand({ Bucket: name })),
    (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode === 403,
  );
});

test("bucket names at every boundary", async () => {
  const ok = ["abc", "a".repeat(63), "a.b-c", "1bucket9", "my.bucket.name"];
  for (const n of ok) {
    const name = n.length >= 60 ? n : `${n}-${unique("z").slice(2)}`.slice(0, 63);
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    await s3.send(new DeleteBucketCommand({ Bucket: name }));
  }
  const bad = [
    "ab",
    "a".repeat(64),
    "Abc",
    "-abc",
    "abc-",
    "a..b",
    "a.-b",
    "a_b",
    "192.168.5.4",
    "xn--abc",
    "sthree-abc",
    "amzn-s3-demo-abc",
    "abc-s3alias",
    "abc--ol-s3",
    "abc.mrap",
    "abc--table-s3",
  ];
  for (const name of bad) {
    await s3Rejects(
      s3.send(new CreateBucketCommand({ Bucket: name })),
      "InvalidBucketName",
      400,
      "The specified bucket is not valid.",
    );
  }
});

test("a bucket with objects is not deleted (BucketNotEmpty)", async () => {
  const name = await newBucket(s3);
  await s3.send(new PutObjectCommand({ Bucket: name, Key: "k", Body: "x" }));
  await s3Rejects(
    s3.send(new DeleteBucketCommand({ Bucket: name })),
    "BucketNotEmpty",
    409,
    "The bucket you tried to delete is not empty",
  );
});

test("virtual-hosted requests (bucket.localhost) reach the same bucket", async () => {
  const port = new URL(vigil.url).port;
  const vh = vigil.client(S3Client, {
    endpoint: `http://localhost:${port}`,
    forcePathStyle: false,
    requestHandler: { httpAgent: new http.Agent({ lookup: loopback }) },
  });
  const name = unique("vh");
  await vh.send(new CreateBucketCommand({ Bucket: name }));
  await vh.send(new PutObjectCommand({ Bucket: name, Key: "dir/a b.txt", Body: "hello" }));
  const head = await s3.send(new HeadBucketCommand({ Bucket: name }));
  assert.equal(head.BucketRegion, "us-east-1");
});
