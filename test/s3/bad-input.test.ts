/**
 * Hostile and broken uploads, by hand: aws-chunked bodies (signed and unsigned-with-trailer) with good and bad
 * trailing checksums, truncated chunked bodies (IncompleteBody), bodies over the object cap (EntityTooLarge),
 * undecodable paths (InvalidURI), reserved bucket names, and keys that differ only in characters a path would fold.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { CHECKSUMS } from "../../src/services/s3/checksums.js";
import { FAKE_AUTH, raw } from "../helpers/raw.js";
import { type Vigil } from "../helpers/vigil.js";
import { newBucket, s3Client, startS3Vigil } from "./helpers.js";

let vigil: Vigil;
let s3: S3Client;
const CAP = 256 * 1024;

before(async () => {
  vigil = await startS3Vigil({ maxObjectBytes: CAP });
  s3 = s3Client(vigil);
});
after(() => vigil.close());

const auth = { authorization: FAKE_AUTH("s3") };

/** An aws-chunked body: chunks of `size`, the final 0 chunk, then trailer lines. */
function chunked(data: Buffer, size: number, trailers: string[], signed = false): Buffer {
  const parts: Buffer[] = [];
  const sig = signed ? `;chunk-signature=${"0".repeat(64)}` : "";
  for (let i = 0; i < data.length; i += size) {
    const c = data.subarray(i, i + size);
    parts.push(Buffer.from(`${c.length.toString(16)}${sig}\r\n`), c, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`0${sig}\r\n`));
  for (const t of trailers) parts.push(Buffer.from(`${t}\r\n`));
  parts.push(Buffer.from("\r\n"));
  return Buffer.concat(parts);
}

test("STREAMING-UNSIGNED-PAYLOAD-TRAILER with a CRC32C trailer is decoded and verified", async () => {
  const b = await newBucket(s3);
  const data = Buffer.from("x".repeat(70_000) + "end");
  const crc = CHECKSUMS.CRC32C!(data);
  const headers = {
    ...auth,
    "content-encoding": "aws-chunked",
    "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    "x-amz-decoded-content-length": String(data.length),
    "x-amz-trailer": "x-amz-checksum-crc32c",
    "content-type": "text/plain",
  };
  const ok = await raw(vigil.url, {
    method: "PUT",
    path: `/${b}/t`,
    headers,
    body: chunked(data, 65536, [`x-amz-checksum-crc32c:${crc}`]),
  });
  assert.equal(ok.status, 200, ok.body);
  assert.equal(ok.headers.etag, `"${createHash("md5").update(data).digest("hex")}"`);
  assert.equal(ok.headers["x-amz-checksum-crc32c"], crc);
  const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: "t", ChecksumMode: "ENABLED" }));
  assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(data));
  assert.equal(got.ContentEncoding, undefined); // aws-chunked is not the object's encoding
  assert.equal(got.ContentType, "text/plain");
  assert.equal(got.ChecksumCRC32C, crc);
  const bad = await raw(vigil.url, {
    method: "PUT",
    path: `/${b}/t2`,
    headers,
    body: chunked(data, 65536, [`x-amz-checksum-crc32c:${CHECKSUMS.CRC32C!(Buffer.from("other"))}`]),
  });
  assert.equal(bad.status, 400);
  assert.match(
    bad.body,
    /<Code>BadDigest<\/Code><Message>The CRC32C you specified did not match the calculated checksum.<\/Message>/,
  );
});

test("STREAMING-AWS4-HMAC-SHA256-PAYLOAD chunks with signatures; a short or truncated body is IncompleteBody", async () => {
  const b = await newBucket(s3);
  const data = Buffer.from("signed chunks ".repeat(1000));
  const headers = {
    ...auth,
    "content-encoding": "aws-chunked",
    "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "x-amz-decoded-content-length": String(data.length),
  };
  const ok = await raw(vigil.url, { method: "PUT", path: `/${b}/s`, headers, body: chunked(data, 8192, [], true) });
  assert.equal(ok.status, 200, ok.body);
  const short = await raw(vigil.url, {
    method: "PUT",
    path: `/${b}/s2`,
    headers: { ...headers, "x-amz-decoded-content-length": String(data.length + 10) },
    body: chunked(data, 8192, [], true),
  });
  assert.equal(short.status, 400);
  assert.match(short.body, /<Code>IncompleteBody<\/Code>/);
  const full = chunked(data, 8192, [], true);
  const truncated = await raw(vigil.url, { method: "PUT", path: `/${b}/s3`, headers, body: full.subarray(0, 5000) });
  assert.equal(truncated.status, 400);
  assert.match(
    truncated.body,
    /<Code>IncompleteBody<\/Code><Message>The request body terminated unexpectedly<\/Message>/,
  );
  const list = await s3.send(new ListObjectsV2Command({ Bucket: b }));
  assert.deepEqual(
    list.Contents!.map((o) => o.Key),
    ["s"],
  );
});

test("an object over the cap is EntityTooLarge and nothing is stored", async () => {
  const b = await newBucket(s3);
  const res = await raw(vigil.url, { method: "PUT", path: `/${b}/big`, headers: auth, body: Buffer.alloc(CAP + 1) });
  assert.equal(res.status, 400);
  assert.match(res.body, /<Code>EntityTooLarge<\/Code>/);
  const atCap = await raw(vigil.url, { method: "PUT", path: `/${b}/cap`, headers: auth, body: Buffer.alloc(CAP) });
  assert.equal(atCap.status, 200);
  const list = await s3.send(new ListObjectsV2Command({ Bucket: b }));
  assert.deepEqual(
    list.Contents!.map((o) => [o.Key, o.Size]),
    [["cap", CAP]],
  );
});

test("keys arrive percent-encoded: %00, %2F, dot segments and bad escapes", async () => {
  const b = await newBucket(s3);
  for (const [path, body] of [
    [`/${b}/a%00b`, "nul"],
    [`/${b}/a%2Fb`, "slash"],
    [`/${b}/%2E%2E%2Fx`, "dotdot"],
    [`/${b}/x`, "plain"],
  ] as const) {
    const r = await raw(vigil.url, { method: "PUT", path, headers: auth, body });
    assert.equal(r.status, 200, r.body);
  }
  const keys = (await s3.send(new ListObjectsV2Command({ Bucket: b }))).Contents!.map((o) => o.Key);
  assert.deepEqual(keys, ["../x", "a\u0000b", "a/b", "x"]);
  const dot = await s3.send(new GetObjectCommand({ Bucket: b, Key: "../x" }));
  assert.equal(await dot.Body!.transformToString(), "dotdot");
  const bad = await raw(vigil.url, { method: "PUT", path: `/${b}/%E0%A4%A`, headers: auth, body: "x" });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /<Code>InvalidURI<\/Code><Message>Couldn&apos;t parse the specified URI.<\/Message>/);
});

test("reserved and malformed bucket names are InvalidBucketName over the wire", async () => {
  for (const name of ["abc--x-s3", "UPPER", "a"]) {
    const r = await raw(vigil.url, { method: "PUT", path: `/${name}`, headers: auth });
    assert.equal(r.status, 400, name);
    assert.match(
      r.body,
      new RegExp(
        `<Code>InvalidBucketName</Code><Message>The specified bucket is not valid.</Message><BucketName>${name}</BucketName>`,
      ),
    );
  }
});
