/**
 * Objects through the JS SDK: PutObject / GetObject / HeadObject / DeleteObject with headers, lower-case user
 * metadata, ETag, checksums, ranges and conditional requests; CopyObject; DeleteObjects; hostile keys.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { FAKE_AUTH, raw } from "../helpers/raw.js";
import { type Vigil } from "../helpers/vigil.js";
import { newBucket, s3Client, s3Rejects, startS3Vigil } from "./helpers.js";

let vigil: Vigil;
let s3: S3Client;

before(async () => {
  vigil = await startS3Vigil();
  s3 = s3Client(vigil);
});
after(() => vigil.close());

const md5 = (b: string | Buffer) => createHash("md5").update(b).digest("hex");

test("an object keeps its bytes, headers and lower-case metadata; ETag is the quoted MD5", async () => {
  const b = await newBucket(s3);
  const body = "hello, world";
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: b,
      Key: "dir/file.txt",
      Body: body,
      ContentType: "text/plain",
      CacheControl: "max-age=60",
      ContentEncoding: "identity",
      ContentDisposition: "inline",
      Metadata: { Signature: "abc", "signature-algorithm": "SHA256withRSA" },
    }),
  );
  assert.equal(put.ETag, `"${md5(body)}"`);
  const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: "dir/file.txt" }));
  assert.equal(await got.Body!.transformToString(), body);
  assert.equal(got.ContentType, "text/plain");
  assert.equal(got.CacheControl, "max-age=60");
  assert.equal(got.ContentDisposition, "inline");
  assert.equal(got.ContentLength, body.length);
  assert.equal(got.ETag, put.ETag);
  assert.deepEqual(got.Metadata, { signature: "abc", "signature-algorithm": "SHA256withRSA" });
  const head = await s3.send(new HeadObjectCommand({ Bucket: b, Key: "dir/file.txt" }));
  assert.equal(head.ContentLength, body.length);
  assert.equal(head.ETag, put.ETag);
  // The wire header names are lower-case (validate-logs looks up `signature` exactly).
  const res = await raw(vigil.url, {
    method: "GET",
    path: `/${b}/dir/file.txt`,
    headers: { authorization: FAKE_AUTH("s3") },
  });
  assert.equal(res.headers["x-amz-meta-signature"], "abc");
  assert.ok(Object.keys(res.headers).every((h) => h === h.toLowerCase()));
});

test("a missing key is NoSuchKey 404 with an XML body; HEAD is a bare 404", async () => {
  const b = await newBucket(s3);
  await s3Rejects(
    s3.send(new GetObjectCommand({ Bucket: b, Key: "nope" })),
    "NoSuchKey",
    404,
    "The specified key does not exist.",
  );
  const res = await raw(vigil.url, { method: "GET", path: `/${b}/nope`, headers: { authorization: FAKE_AUTH("s3") } });
  assert.equal(res.status, 404);
  assert.match(
    res.body,
    /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>nope<\/Key><RequestId>[^<]+<\/RequestId><HostId>[^<]+<\/HostId><\/Error>$/,
  );
  const head = await raw(vigil.url, {
    method: "HEAD",
    path: `/${b}/nope`,
    headers: { authorization: FAKE_AUTH("s3") },
  });
  assert.equal(head.status, 404);
  assert.equal(head.body, "");
  await s3Rejects(
    s3.send(new GetObjectCommand({ Bucket: "no-such-bucket-vigil", Key: "k" })),
    "NoSuchBucket",
    404,
    "The specified bucket does not exist",
  );
});

test("ranges: 206 with Content-Range, suffix ranges, 416 InvalidRange past the end", async () => {
  const b = await newBucket(s3);
  await s3.send(new PutObjectCommand({ Bucket: b, Key: "r", Body: "0123456789" }));
  const part = await s3.send(new GetObjectCommand({ Bucket: b, Key: "r", Range: "bytes=2-5" }));
  assert.equal(part.$metadata.httpStatusCode, 206);
  assert.equal(await part.Body!.transformToString(), "2345");
  assert.equal(part.ContentRange, "bytes 2-5/10");
  const tail = await s3.send(new GetObjectCommand({ Bucket: b, Key: "r", Range: "bytes=-3" }));
  assert.equal(await tail.Body!.transformToString(), "789");
  const open = await s3.send(new GetObjectCommand({ Bucket: b, Key: "r", Range: "bytes=8-" }));
  assert.equal(await open.Body!.transformToString(), "89");
  const clipped = await s3.send(new GetObjectCommand({ Bucket: b, Key: "r", Range: "bytes=8-100" }));
  assert.equal(clipped.ContentRange, "bytes 8-9/10");
  await s3Rejects(
    s3.send(new GetObjectCommand({ Bucket: b, Key: "r", Range: "bytes=10-20" })),
    "InvalidRange",
    416,
    "The requested range is not satisfiable",
  );
});

test("conditional GetObject: 304 Not Modified and 412 PreconditionFailed", async () => {
  const b = await newBucket(s3);
  const { ETag } = await s3.send(new PutObjectCommand({ Bucket: b, Key: "c", Body: "v1" }));
  const ok = await s3.send(new GetObjectCommand({ Bucket: b, Key: "c", IfMatch: ETag }));
  assert.equal(await ok.Body!.transformToString(), "v1");
  await s3Rejects(
    s3.send(new GetObjectCommand({ Bucket: b, Key: "c", IfMatch: '"0000"' })),
    "PreconditionFailed",
    412,
    "At least one of the pre-conditions you specified did not hold",
  );
  await assert.rejects(
    s3.send(new GetObjectCommand({ Bucket: b, Key: "c", IfNoneMatch: ETag })),
    (e: { $metadata: { httpStatusCode: number } }) => e.$metadata.httpStatusCode === 304,
  );
  const future = new Date(Date.now() + 3600_000);
  await assert.rejects(
    s3.send(new GetObjectCommand({ Bucket: b, Key: "c", IfModifiedSince: future })),
    (e: { $metadata: { httpStatusCode: number } }) => e.$metadata.httpStatusCode === 304,
  );
  await s3Rejects(
    s3.send(new GetObjectCommand({ Bucket: b, Key: "c", IfUnmodifiedSince: new Date(0) })),
    "PreconditionFailed",
    412,
  );
  const res = await raw(vigil.url, {
    method: "GET",
    path: `/${b}/c`,
    headers: { authorization: FAKE_AUTH("s3"), "if-none-match": ETag! },
  });
  assert.equal(res.status, 304);
  assert.equal(res.body, "");
});

test("Content-MD5 and x-amz-checksum-* are verified: InvalidDigest, BadDigest; checksums come back on request", async () => {
  const b = await newBucket(s3);
  const body = "checked";
  await s3Rejects(
    s3.send(
      new PutObjectCommand({
        Bucket: b,
        Key: "m",
        Body: body,
        ContentMD5: createHash("md5").update("other").digest("base64"),
      }),
    ),
    "BadDigest",
    400,
    "The Content-MD5 you specified did not match what we received.",
  );
  await s3Rejects(
    s3.send(new PutObjectCommand({ Bucket: b, Key: "m", Body: body, ContentMD5: "bm90LW1kNQ==" })),
    "InvalidDigest",
    400,
    "The Content-MD5 you specified was not valid.",
  );
  const good = createHash("md5").update(body).digest("base64");
  await s3.send(new PutObjectCommand({ Bucket: b, Key: "m", Body: body, ContentMD5: good }));
  const sha = createHash("sha256").update(body).digest("base64");
  const put = await s3.send(new PutObjectCommand({ Bucket: b, Key: "s", Body: body, ChecksumSHA256: sha }));
  assert.equal(put.ChecksumSHA256, sha);
  await s3Rejects(
    s3.send(
      new PutObjectCommand({
        Bucket: b,
        Key: "s",
        Body: body,
        ChecksumSHA256: createHash("sha256").update("x").digest("base64"),
      }),
    ),
    "BadDigest",
    400,
    "The SHA256 you specified did not match the calculated checksum.",
  );
  const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: "s", ChecksumMode: "ENABLED" }));
  assert.equal(got.ChecksumSHA256, sha);
  assert.equal(await got.Body!.transformToString(), body);
  // CRC32 (the SDK's default algorithm) computes and verifies.
  const crc = await s3.send(new PutObjectCommand({ Bucket: b, Key: "crc", Body: body, ChecksumAlgorithm: "CRC32" }));
  assert.ok(crc.ChecksumCRC32);
  const crcC = await s3.send(new PutObjectCommand({ Bucket: b, Key: "crcc", Body: body, ChecksumAlgorithm: "CRC32C" }));
  assert.ok(crcC.ChecksumCRC32C);
  const got2 = await s3.send(new GetObjectCommand({ Bucket: b, Key: "crcc", ChecksumMode: "ENABLED" }));
  assert.equal(got2.ChecksumCRC32C, crcC.ChecksumCRC32C);
});

test("a large streamed body (aws-chunked with a trailing checksum) arrives intact", async () => {
  const b = await newBucket(s3);
  const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
  big.write("start");
  const { Readable } = await import("node:stream");
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: b,
      Key: "big",
      Body: Readable.from([big.subarray(0, 1 << 20), big.subarray(1 << 20)]),
      ContentLength: big.length,
    }),
  );
  assert.equal(put.ETag, `"${md5(big)}"`);
  const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: "big" }));
  const bytes = Buffer.from(await got.Body!.transformToByteArray());
  assert.equal(bytes.length, big.length);
  assert.ok(bytes.equals(big));
});

test("keys are opaque: ../x, x, unicode, %00 and spaces are distinct objects; 1025 bytes is KeyTooLongError", async () => {
  const b = await newBucket(s3);
  const keys = ["x", "../x", "./x", "a/../x", "ü/日本語 key", "nul\u0000byte", "sp ace+plus%25", "a".repeat(1024)];
  for (const [i, k] of keys.entries()) await s3.send(new PutObjectCommand({ Bucket: b, Key: k, Body: `v${i}` }));
  for (const [i, k] of keys.entries()) {
    const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: k }));
    assert.equal(await got.Body!.transformToString(), `v${i}`, k);
  }
  const list = await s3.send(new ListObjectsV2Command({ Bucket: b }));
  assert.deepEqual(
    list.Contents!.map((o) => o.Key),
    [...keys].sort((p, q) => Buffer.compare(Buffer.from(p), Buffer.from(q))),
  );
  await s3Rejects(
    s3.send(new PutObjectCommand({ Bucket: b, Key: "a".repeat(1025), Body: "x" })),
    "KeyTooLongError",
    400,
    "Your key is too long",
  );
});

test("DeleteObject is 204 whether or not the key existed", async () => {
  const b = await newBucket(s3);
  await s3.send(new PutObjectCommand({ Bucket: b, Key: "d", Body: "x" }));
  const del = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: "d" }));
  assert.equal(del.$metadata.httpStatusCode, 204);
  await s3Rejects(s3.send(new GetObjectCommand({ Bucket: b, Key: "d" })), "NoSuchKey", 404);
  const again = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: "d" }));
  assert.equal(again.$metadata.httpStatusCode, 204);
});

test("DeleteObjects reports each key, Quiet leaves out successes, the body's checksum is required", async () => {
  const b = await newBucket(s3);
  for (const k of ["a", "b", "c"]) await s3.send(new PutObjectCommand({ Bucket: b, Key: k, Body: k }));
  const res = await s3.send(
    new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: [{ Key: "a" }, { Key: "b" }, { Key: "zz" }] } }),
  );
  assert.deepEqual(res.Deleted!.map((d) => d.Key).sort(), ["a", "b", "zz"]);
  const quiet = await s3.send(
    new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: [{ Key: "c" }], Quiet: true } }),
  );
  assert.equal(quiet.Deleted, undefined);
  assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: b }))).KeyCount, 0);
  const xml = '<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a</Key></Object></Delete>';
  const noMd5 = await raw(vigil.url, {
    method: "POST",
    path: `/${b}?delete`,
    headers: { authorization: FAKE_AUTH("s3") },
    body: xml,
  });
  assert.equal(noMd5.status, 400);
  assert.match(
    noMd5.body,
    /<Code>InvalidRequest<\/Code><Message>Missing required header for this request: Content-MD5<\/Message>/,
  );
  const wrong = await raw(vigil.url, {
    method: "POST",
    path: `/${b}?delete`,
    headers: { authorization: FAKE_AUTH("s3"), "content-md5": createHash("md5").update("x").digest("base64") },
    body: xml,
  });
  assert.match(wrong.body, /<Code>BadDigest<\/Code>/);
});

test("XML bodies with a DOCTYPE or entities are MalformedXML", async () => {
  const b = await newBucket(s3);
  const bomb =
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' +
    "<Delete><Object><Key>&b;</Key></Object></Delete>";
  const res = await raw(vigil.url, {
    method: "POST",
    path: `/${b}?delete`,
    headers: { authorization: FAKE_AUTH("s3"), "content-md5": createHash("md5").update(bomb).digest("base64") },
    body: bomb,
  });
  assert.equal(res.status, 400);
  assert.match(
    res.body,
    /<Code>MalformedXML<\/Code><Message>The XML you provided was not well-formed or did not validate against our published schema<\/Message>/,
  );
});

test("CopyObject copies bytes and metadata (COPY) or replaces the metadata (REPLACE); not onto itself unchanged", async () => {
  const b = await newBucket(s3);
  const put = await s3.send(
    new PutObjectCommand({ Bucket: b, Key: "src key", Body: "copy me", ContentType: "text/x", Metadata: { a: "1" } }),
  );
  const c1 = await s3.send(
    new CopyObjectCommand({ Bucket: b, Key: "dst1", CopySource: `${b}/${encodeURIComponent("src key")}` }),
  );
  assert.equal(c1.CopyObjectResult!.ETag, put.ETag);
  const g1 = await s3.send(new GetObjectCommand({ Bucket: b, Key: "dst1" }));
  assert.equal(await g1.Body!.transformToString(), "copy me");
  assert.deepEqual(g1.Metadata, { a: "1" });
  assert.equal(g1.ContentType, "text/x");
  await s3.send(
    new CopyObjectCommand({
      Bucket: b,
      Key: "dst2",
      CopySource: `${b}/src%20key`,
      MetadataDirective: "REPLACE",
      Metadata: { b: "2" },
    }),
  );
  const g2 = await s3.send(new HeadObjectCommand({ Bucket: b, Key: "dst2" }));
  assert.deepEqual(g2.Metadata, { b: "2" });
  await s3Rejects(
    s3.send(new CopyObjectCommand({ Bucket: b, Key: "src key", CopySource: `${b}/src%20key` })),
    "InvalidRequest",
    400,
    "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
  );
  await s3Rejects(
    s3.send(new CopyObjectCommand({ Bucket: b, Key: "x", CopySource: `${b}/missing` })),
    "NoSuchKey",
    404,
  );
});

test("an empty object: size 0, the MD5 of nothing, an empty body", async () => {
  const b = await newBucket(s3);
  const put = await s3.send(new PutObjectCommand({ Bucket: b, Key: "empty", Body: "" }));
  assert.equal(put.ETag, '"d41d8cd98f00b204e9800998ecf8427e"');
  const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: "empty" }));
  assert.equal(got.ContentLength, 0);
  assert.equal(await got.Body!.transformToString(), "");
  const head = await s3.send(new HeadObjectCommand({ Bucket: b, Key: "empty" }));
  assert.equal(head.ContentLength, 0);
  // Stored without a Content-Type (the SDK always sends one): served as binary/octet-stream.
  await raw(vigil.url, { method: "PUT", path: `/${b}/untyped`, headers: { authorization: FAKE_AUTH("s3") }, body: "" });
  const untyped = await s3.send(new HeadObjectCommand({ Bucket: b, Key: "untyped" }));
  assert.equal(untyped.ContentType, "binary/octet-stream");
});
