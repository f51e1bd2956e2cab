/**
 * ListObjects (v1: Marker, NextMarker, Delimiter, encoding-type=url) and ListObjectsV2 (ContinuationToken,
 * StartAfter, KeyCount, FetchOwner) through the JS SDK, and v1 Marker pagination through boto3 as
 * `aws cloudtrail validate-logs` pages it.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ListObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { awsEnv, python, type Vigil } from "../helpers/vigil.js";
import { newBucket, s3Client, s3Rejects, startS3Vigil } from "./helpers.js";

let vigil: Vigil;
let s3: S3Client;

before(async () => {
  vigil = await startS3Vigil();
  s3 = s3Client(vigil);
});
after(() => vigil.close());

async function fill(keys: string[]): Promise<string> {
  const b = await newBucket(s3);
  for (const k of keys) await s3.send(new PutObjectCommand({ Bucket: b, Key: k, Body: k }));
  return b;
}

const KEYS = ["a.txt", "photos/2024/a.jpg", "photos/2024/b.jpg", "photos/2025/c.jpg", "photos/top.jpg", "z.txt"];

test("v1: MaxKeys pages with IsTruncated, Marker continues after the last key", async () => {
  const b = await fill(KEYS);
  const p1 = await s3.send(new ListObjectsCommand({ Bucket: b, MaxKeys: 2 }));
  assert.deepEqual(
    p1.Contents!.map((o) => o.Key),
    ["a.txt", "photos/2024/a.jpg"],
  );
  assert.equal(p1.IsTruncated, true);
  assert.equal(p1.NextMarker, undefined); // only with a Delimiter
  const p2 = await s3.send(new ListObjectsCommand({ Bucket: b, MaxKeys: 10, Marker: "photos/2024/a.jpg" }));
  assert.deepEqual(
    p2.Contents!.map((o) => o.Key),
    KEYS.slice(2),
  );
  assert.equal(p2.IsTruncated, false);
  assert.equal(p2.Marker, "photos/2024/a.jpg");
  assert.equal(p2.Contents![0]!.Size, KEYS[2]!.length);
  assert.equal(p2.Contents![0]!.StorageClass, "STANDARD");
  assert.ok(p2.Contents![0]!.Owner?.ID);
});

test("v1: Prefix and Delimiter roll keys up into CommonPrefixes; NextMarker pages through them", async () => {
  const b = await fill(KEYS);
  const top = await s3.send(new ListObjectsCommand({ Bucket: b, Delimiter: "/" }));
  assert.deepEqual(
    top.Contents!.map((o) => o.Key),
    ["a.txt", "z.txt"],
  );
  assert.deepEqual(
    top.CommonPrefixes!.map((p) => p.Prefix),
    ["photos/"],
  );
  const inner = await s3.send(new ListObjectsCommand({ Bucket: b, Prefix: "photos/", Delimiter: "/" }));
  assert.deepEqual(
    inner.Contents!.map((o) => o.Key),
    ["photos/top.jpg"],
  );
  assert.deepEqual(
    inner.CommonPrefixes!.map((p) => p.Prefix),
    ["photos/2024/", "photos/2025/"],
  );
  const p1 = await s3.send(new ListObjectsCommand({ Bucket: b, Prefix: "photos/", Delimiter: "/", MaxKeys: 1 }));
  assert.deepEqual(
    p1.CommonPrefixes!.map((p) => p.Prefix),
    ["photos/2024/"],
  );
  assert.equal(p1.NextMarker, "photos/2024/");
  const p2 = await s3.send(
    new ListObjectsCommand({ Bucket: b, Prefix: "photos/", Delimiter: "/", MaxKeys: 1, Marker: p1.NextMarker }),
  );
  assert.deepEqual(
    p2.CommonPrefixes!.map((p) => p.Prefix),
    ["photos/2025/"],
  );
  const p3 = await s3.send(
    new ListObjectsCommand({ Bucket: b, Prefix: "photos/", Delimiter: "/", MaxKeys: 1, Marker: p2.NextMarker }),
  );
  assert.deepEqual(
    p3.Contents!.map((o) => o.Key),
    ["photos/top.jpg"],
  );
  assert.equal(p3.IsTruncated, false);
});

test("encoding-type=url percent-encodes keys, and a bad encoding-type is refused", async () => {
  const b = await fill(["a b+c/ü", "plain"]);
  const res = await s3.send(new ListObjectsCommand({ Bucket: b, EncodingType: "url" }));
  assert.equal(res.EncodingType, "url");
  assert.deepEqual(
    res.Contents!.map((o) => o.Key),
    ["a%20b%2Bc%2F%C3%BC", "plain"],
  );
  await s3Rejects(
    s3.send(new ListObjectsV2Command({ Bucket: b, EncodingType: "base64" as "url" })),
    "InvalidArgument",
    400,
  );
});

test("v2: ContinuationToken, StartAfter, KeyCount, FetchOwner", async () => {
  const b = await fill(KEYS);
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: b, MaxKeys: 4, ContinuationToken: token }));
    assert.equal(page.KeyCount, page.Contents?.length ?? 0);
    assert.equal(page.Contents![0]!.Owner, undefined);
    seen.push(...page.Contents!.map((o) => o.Key!));
    token = page.NextContinuationToken;
    assert.equal(page.IsTruncated, token !== undefined);
    pages++;
  } while (token);
  assert.deepEqual(seen, KEYS);
  assert.equal(pages, 2);
  const after = await s3.send(new ListObjectsV2Command({ Bucket: b, StartAfter: "photos/top.jpg", FetchOwner: true }));
  assert.deepEqual(
    after.Contents!.map((o) => o.Key),
    ["z.txt"],
  );
  assert.ok(after.Contents![0]!.Owner!.ID);
  assert.equal(after.StartAfter, "photos/top.jpg");
  const delim = await s3.send(new ListObjectsV2Command({ Bucket: b, Delimiter: "/" }));
  assert.equal(delim.KeyCount, 3);
  await s3Rejects(
    s3.send(new ListObjectsV2Command({ Bucket: b, MaxKeys: -1 })),
    "InvalidArgument",
    400,
    "Argument maxKeys must be an integer between 0 and 2147483647",
  );
  const capped = await s3.send(new ListObjectsV2Command({ Bucket: b, MaxKeys: 5000 }));
  assert.equal(capped.MaxKeys, 1000);
  await s3Rejects(
    s3.send(new ListObjectsV2Command({ Bucket: b, ContinuationToken: "garbage" })),
    "InvalidArgument",
    400,
    "The continuation token provided is incorrect",
  );
});

test("boto3 pages ListObjects v1 by Marker (what validate-logs does) and decodes url-encoded keys", async () => {
  const keys = Array.from(
    { length: 25 },
    (_, i) => `AWSLogs/000000000000/CloudTrail-Digest/us-east-1/2026/11/23/d ${String(i).padStart(2, "0")}.json.gz`,
  );
  const b = await fill([...keys, "AWSLogs/other"]);
  const out = await python(
    `
import boto3, json
s3 = boto3.client("s3")
p = s3.get_paginator("list_objects")
keys, pages = [], 0
for page in p.paginate(Bucket=${JSON.stringify(b)}, Prefix="AWSLogs/000000000000/CloudTrail-Digest/us-east-1",
                       Marker=${JSON.stringify(keys[4])}, PaginationConfig={"PageSize": 7}):
    pages += 1
    keys += [o["Key"] for o in page.get("Contents", [])]
print(json.dumps({"keys": keys, "pages": pages}))
`,
    awsEnv(vigil.url),
  );
  const res = JSON.parse(out) as { keys: string[]; pages: number };
  assert.deepEqual(res.keys, keys.slice(5));
  assert.equal(res.pages, 3);
});
