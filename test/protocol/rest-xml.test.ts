/** restXml codec round trips through @aws-sdk/client-s3 (path-style and virtual-hosted) and boto3. */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import type { AddressInfo, LookupFunction } from "node:net";
import {
  S3Client,
  CreateBucketCommand,
  PutObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  GetBucketLocationCommand,
  DeleteObjectsCommand,
  CopyObjectCommand,
  PutBucketPolicyCommand,
  GetBucketPolicyCommand,
  NoSuchKey,
} from "@aws-sdk/client-s3";
import { restXml, bucketFromHost, decodeAwsChunked } from "../../src/protocol/rest-xml.js";
import { loadModel } from "../../src/protocol/model.js";
import { parseXml } from "../../src/protocol/xml.js";
import { awsError, isAwsError } from "../../src/errors/index.js";
import type { WireRequest } from "../../src/protocol/types.js";

const execFileAsync = promisify(execFile);
const model = loadModel("s3");

// ---------------------------------------------------------------------------------------------------
// An in-memory S3 behind the codec

interface StoredObject {
  body: Buffer;
  contentType?: string;
  metadata?: Record<string, string>;
  lastModified: Date;
  etag: string;
}
const buckets = new Map<string, { location?: string; objects: Map<string, StoredObject>; policy?: string }>();
const seen: { operation: string; input: Record<string, unknown>; host?: string; hostBucket?: string }[] = [];

function bucket(name: string) {
  const b = buckets.get(name);
  if (!b) throw awsError("NoSuchBucket", "The specified bucket does not exist", 404, { BucketName: name });
  return b;
}
function object(input: Record<string, unknown>) {
  const o = bucket(input.Bucket as string).objects.get(input.Key as string);
  if (!o) throw awsError("NoSuchKey", "The specified key does not exist.", 404, { Key: input.Key });
  return o;
}

const handlers: Record<string, (input: Record<string, unknown>) => unknown> = {
  CreateBucket(input) {
    const cfg = input.CreateBucketConfiguration as { LocationConstraint?: string } | undefined;
    buckets.set(input.Bucket as string, { location: cfg?.LocationConstraint, objects: new Map() });
    return { Location: `/${input.Bucket as string}` };
  },
  GetBucketLocation(input) {
    return { LocationConstraint: bucket(input.Bucket as string).location };
  },
  PutObject(input) {
    const body = input.Body as Buffer;
    const etag = `"${createHash("md5").update(body).digest("hex")}"`;
    bucket(input.Bucket as string).objects.set(input.Key as string, {
      body,
      contentType: input.ContentType as string | undefined,
      metadata: input.Metadata as Record<string, string> | undefined,
      lastModified: new Date("2026-11-23T01:02:03.000Z"),
      etag,
    });
    return { ETag: etag };
  },
  CopyObject(input) {
    const [srcBucket, ...rest] = decodeURIComponent(String(input.CopySource)).replace(/^\//, "").split("/");
    const src = object({ Bucket: srcBucket, Key: rest.join("/") });
    bucket(input.Bucket as string).objects.set(input.Key as string, { ...src });
    return { CopyObjectResult: { ETag: src.etag, LastModified: src.lastModified } };
  },
  GetObject(input) {
    const o = object(input);
    return {
      Body: o.body,
      ContentType: o.contentType,
      ContentLength: o.body.length,
      ETag: o.etag,
      LastModified: o.lastModified,
      Metadata: o.metadata,
    };
  },
  HeadObject(input) {
    const o = object(input);
    return {
      ContentType: o.contentType,
      ContentLength: o.body.length,
      ETag: o.etag,
      LastModified: o.lastModified,
      Metadata: o.metadata,
    };
  },
  ListObjectsV2(input) {
    const b = bucket(input.Bucket as string);
    const prefix = (input.Prefix as string | undefined) ?? "";
    const url = input.EncodingType === "url";
    const enc = (k: string) => (url ? encodeURIComponent(k) : k);
    const keys = [...b.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    return {
      Name: input.Bucket,
      Prefix: enc(prefix),
      MaxKeys: input.MaxKeys ?? 1000,
      KeyCount: keys.length,
      IsTruncated: false,
      EncodingType: input.EncodingType,
      Contents: keys.map((k) => ({
        Key: enc(k),
        Size: b.objects.get(k)!.body.length,
        ETag: b.objects.get(k)!.etag,
        LastModified: b.objects.get(k)!.lastModified,
        StorageClass: "STANDARD",
      })),
    };
  },
  DeleteObjects(input) {
    const b = bucket(input.Bucket as string);
    const del = input.Delete as { Objects: { Key: string }[]; Quiet?: boolean };
    const deleted: { Key: string }[] = [];
    const errors: { Key: string; Code: string; Message: string }[] = [];
    for (const { Key } of del.Objects) {
      if (b.objects.delete(Key)) deleted.push({ Key });
      else errors.push({ Key, Code: "NoSuchKey", Message: "The specified key does not exist." });
    }
    return { Deleted: deleted, Errors: errors };
  },
  PutBucketPolicy(input) {
    bucket(input.Bucket as string).policy = input.Policy as string;
    return {};
  },
  GetBucketPolicy(input) {
    const p = bucket(input.Bucket as string).policy;
    if (!p) throw awsError("NoSuchBucketPolicy", "The bucket policy does not exist", 404, { BucketName: input.Bucket });
    return { Policy: p };
  },
};

let server: http.Server;
let port = 0;
let counter = 0;

before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const u = new URL(req.url ?? "/", "http://x");
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(",") : v;
      const wire: WireRequest = {
        method: req.method ?? "GET",
        path: (req.url ?? "/").split("?")[0]!,
        query: u.searchParams,
        headers,
        body: Buffer.concat(chunks),
        hostBucket: bucketFromHost(req.headers.host),
      };
      const ctx = { requestId: `REQ${++counter}` };
      let operation: string | undefined;
      let out;
      try {
        const decoded = restXml.decode(wire, model, "InvalidArgument");
        operation = decoded.operation;
        seen.push({ ...decoded, host: req.headers.host, hostBucket: wire.hostBucket });
        const handler = handlers[operation];
        if (!handler) throw awsError("NotImplemented", `no test handler for ${operation}`, 501);
        out = restXml.encode(model, operation, handler(decoded.input), ctx);
      } catch (e) {
        if (!isAwsError(e)) throw e;
        out = restXml.encodeError(model, operation, e, ctx);
      }
      res.writeHead(out.status, out.headers);
      res.end(out.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Resolves every name to 127.0.0.1, so `bucket.localhost` reaches the test server (glibc does not resolve it). */
const loopback = ((_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
  if (options?.all) cb(null, [{ address: "127.0.0.1", family: 4 }]);
  else cb(null, "127.0.0.1", 4);
}) as unknown as LookupFunction;

function s3(style: "path" | "virtual"): S3Client {
  return new S3Client({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 1,
    ...(style === "path"
      ? { endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true }
      : { endpoint: `http://localhost:${port}`, requestHandler: { httpAgent: new http.Agent({ lookup: loopback }) } }),
  });
}

let n = 0;
const uniqueBucket = () => `bucket-${process.pid}-${++n}`;

for (const style of ["path", "virtual"] as const) {
  test(`${style}-style: CreateBucket with CreateBucketConfiguration, GetBucketLocation`, async () => {
    const client = s3(style);
    const name = uniqueBucket();
    const res = await client.send(
      new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }),
    );
    assert.equal(res.Location, `/${name}`);
    const last = seen.at(-1)!;
    assert.equal(last.operation, "CreateBucket");
    assert.deepEqual(last.input.CreateBucketConfiguration, { LocationConstraint: "eu-west-1" });
    if (style === "virtual") {
      assert.equal(last.host, `${name}.localhost:${port}`);
      assert.equal(last.hostBucket, name);
    } else assert.equal(last.hostBucket, undefined);

    const loc = await client.send(new GetBucketLocationCommand({ Bucket: name }));
    assert.equal(loc.LocationConstraint, "eu-west-1");
    const plain = uniqueBucket();
    await client.send(new CreateBucketCommand({ Bucket: plain }));
    assert.equal(seen.at(-1)!.input.CreateBucketConfiguration, undefined);
    const loc2 = await client.send(new GetBucketLocationCommand({ Bucket: plain }));
    assert.equal(loc2.LocationConstraint, undefined);
  });

  test(`${style}-style: PutObject with metadata, GetObject, HeadObject, keys kept opaque`, async () => {
    const client = s3(style);
    const name = uniqueBucket();
    await client.send(new CreateBucketCommand({ Bucket: name }));
    const body = Buffer.from("hello, world \u00e9 \u{1f600}\n", "utf8");
    for (const key of ["plain.txt", "dir/sub dir/ü+plus&amp%25.txt", "../escape", "a//b/", " lead"]) {
      const put = await client.send(
        new PutObjectCommand({
          Bucket: name,
          Key: key,
          Body: body,
          ContentType: "text/plain; charset=utf-8",
          Metadata: { owner: "alice", "x-custom": "v1" },
        }),
      );
      const putInput = seen.at(-1)!.input;
      assert.equal(seen.at(-1)!.operation, "PutObject");
      assert.equal(putInput.Key, key);
      assert.ok(Buffer.isBuffer(putInput.Body));
      assert.deepEqual(putInput.Body, body, "the codec hands the handler the object bytes (aws-chunked removed)");
      assert.deepEqual(putInput.Metadata, { owner: "alice", "x-custom": "v1" });
      assert.equal(putInput.ContentEncoding, undefined);
      assert.equal(put.ETag, `"${createHash("md5").update(body).digest("hex")}"`);

      const got = await client.send(new GetObjectCommand({ Bucket: name, Key: key }));
      assert.equal(seen.at(-1)!.input.Key, key);
      assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), body);
      assert.equal(got.ContentType, "text/plain; charset=utf-8");
      assert.equal(got.ContentLength, body.length);
      assert.deepEqual(got.Metadata, { owner: "alice", "x-custom": "v1" });
      assert.deepEqual(got.LastModified, new Date("2026-11-23T01:02:03.000Z"));
      assert.equal(got.ETag, put.ETag);

      const head = await client.send(new HeadObjectCommand({ Bucket: name, Key: key }));
      assert.equal(head.ContentLength, body.length);
      assert.deepEqual(head.Metadata, { owner: "alice", "x-custom": "v1" });
      assert.deepEqual(head.LastModified, new Date("2026-11-23T01:02:03.000Z"));
    }
  });

  test(`${style}-style: a streamed PutObject comes aws-chunked with a trailing checksum; the codec unwraps it`, async () => {
    const client = s3(style);
    const name = uniqueBucket();
    await client.send(new CreateBucketCommand({ Bucket: name }));
    const parts = [Buffer.from("first part, "), Buffer.alloc(70_000, 0x61), Buffer.from("\r\n0\r\nlast")];
    const whole = Buffer.concat(parts);
    await client.send(
      new PutObjectCommand({ Bucket: name, Key: "streamed", Body: Readable.from(parts), ContentLength: whole.length }),
    );
    const input = seen.at(-1)!.input;
    assert.deepEqual(input.Body, whole);
    assert.equal(input.ContentLength, whole.length);
    assert.equal(input.ChecksumAlgorithm, "CRC32");
    assert.match(String(input.ChecksumCRC32), /^[A-Za-z0-9+/]{6}==$/);
    assert.equal(input.ContentEncoding, undefined);
    const got = await client.send(new GetObjectCommand({ Bucket: name, Key: "streamed" }));
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), whole);
  });

  test(`${style}-style: NoSuchKey arrives with its name, message, status and Key; HEAD 404 has no body`, async () => {
    const client = s3(style);
    const name = uniqueBucket();
    await client.send(new CreateBucketCommand({ Bucket: name }));
    await assert.rejects(client.send(new GetObjectCommand({ Bucket: name, Key: "missing/key" })), (e: unknown) => {
      assert.ok(e instanceof NoSuchKey);
      assert.equal(e.name, "NoSuchKey");
      assert.equal(e.message, "The specified key does not exist.");
      assert.equal(e.$metadata.httpStatusCode, 404);
      assert.match(e.$metadata.requestId ?? "", /^REQ\d+$/);
      assert.ok(e.$metadata.extendedRequestId);
      assert.equal((e as unknown as { Key: string }).Key, "missing/key");
      return true;
    });
    await assert.rejects(
      client.send(new HeadObjectCommand({ Bucket: name, Key: "missing" })),
      (e: Error & { $metadata: { httpStatusCode: number } }) => {
        assert.equal(e.name, "NotFound");
        assert.equal(e.$metadata.httpStatusCode, 404);
        return true;
      },
    );
    const missingBucket = uniqueBucket();
    await assert.rejects(
      client.send(new GetObjectCommand({ Bucket: missingBucket, Key: "k" })),
      (e: Error & { BucketName?: string }) => {
        assert.equal(e.name, "NoSuchBucket");
        assert.equal(e.message, "The specified bucket does not exist");
        assert.equal(e.BucketName, missingBucket, "extra members arrive as elements of <Error>");
        return true;
      },
    );
  });

  test(`${style}-style: ListObjectsV2 with EncodingType=url, list-type routing`, async () => {
    const client = s3(style);
    const name = uniqueBucket();
    await client.send(new CreateBucketCommand({ Bucket: name }));
    for (const key of ["p/a b.txt", "p/c&d.txt", "q.txt"]) {
      await client.send(new PutObjectCommand({ Bucket: name, Key: key, Body: "x" }));
    }
    const res = await client.send(
      new ListObjectsV2Command({ Bucket: name, Prefix: "p/", EncodingType: "url", MaxKeys: 50 }),
    );
    const input = seen.at(-1)!;
    assert.equal(input.operation, "ListObjectsV2");
    assert.deepEqual(
      { Prefix: input.input.Prefix, EncodingType: input.input.EncodingType, MaxKeys: input.input.MaxKeys },
      { Prefix: "p/", EncodingType: "url", MaxKeys: 50 },
    );
    assert.equal(res.Name, name);
    assert.equal(res.KeyCount, 2);
    assert.equal(res.MaxKeys, 50);
    assert.equal(res.IsTruncated, false);
    assert.equal(res.EncodingType, "url");
    assert.deepEqual(
      res.Contents!.map((c) => [c.Key, c.Size, c.StorageClass]),
      [
        ["p%2Fa%20b.txt", 1, "STANDARD"],
        ["p%2Fc%26d.txt", 1, "STANDARD"],
      ],
    );
    assert.deepEqual(res.Contents![0]!.LastModified, new Date("2026-11-23T01:02:03.000Z"));
  });

  test(`${style}-style: DeleteObjects (XML request body), CopyObject (header routing), bucket policy (string payload)`, async () => {
    const client = s3(style);
    const name = uniqueBucket();
    await client.send(new CreateBucketCommand({ Bucket: name }));
    await client.send(new PutObjectCommand({ Bucket: name, Key: "src&<'\">.txt", Body: "data" }));
    const copied = await client.send(
      new CopyObjectCommand({
        Bucket: name,
        Key: "copy.txt",
        CopySource: `${name}/${encodeURIComponent("src&<'\">.txt")}`,
      }),
    );
    assert.equal(seen.at(-1)!.operation, "CopyObject");
    assert.ok(copied.CopyObjectResult?.ETag);
    assert.deepEqual(copied.CopyObjectResult?.LastModified, new Date("2026-11-23T01:02:03.000Z"));

    const del = await client.send(
      new DeleteObjectsCommand({
        Bucket: name,
        Delete: { Objects: [{ Key: "src&<'\">.txt" }, { Key: "copy.txt" }, { Key: "nope\r\n" }], Quiet: false },
      }),
    );
    assert.deepEqual(seen.at(-1)!.input.Delete, {
      Objects: [{ Key: "src&<'\">.txt" }, { Key: "copy.txt" }, { Key: "nope\r\n" }],
      Quiet: false,
    });
    assert.deepEqual(del.Deleted, [{ Key: "src&<'\">.txt" }, { Key: "copy.txt" }]);
    assert.deepEqual(del.Errors, [
      { Key: "nope\r\n", Code: "NoSuchKey", Message: "The specified key does not exist." },
    ]);

    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [] });
    await client.send(new PutBucketPolicyCommand({ Bucket: name, Policy: policy }));
    assert.equal(seen.at(-1)!.input.Policy, policy);
    const got = await client.send(new GetBucketPolicyCommand({ Bucket: name }));
    assert.equal(got.Policy, policy);
  });
}

// ---------------------------------------------------------------------------------------------------
// Codec details

/** A request with the raw path kept as sent (URL() would resolve `..`, node:http does not). */
const wire = (method: string, target: string, extra: Partial<WireRequest> = {}): WireRequest => {
  const q = target.indexOf("?");
  const path = q === -1 ? target : target.slice(0, q);
  const query = new URLSearchParams(q === -1 ? "" : target.slice(q + 1));
  return { method, path, query, headers: {}, body: Buffer.alloc(0), ...extra };
};

test("routing picks the most specific template", () => {
  const op = (method: string, target: string, extra: Partial<WireRequest> = {}) =>
    restXml.decode(wire(method, target, extra), model, "InvalidArgument").operation;
  assert.equal(op("GET", "/"), "ListBuckets");
  assert.equal(op("GET", "/b"), "ListObjects");
  assert.equal(op("GET", "/b/"), "ListObjects");
  assert.equal(op("GET", "/b?list-type=2"), "ListObjectsV2");
  assert.equal(op("GET", "/b?location"), "GetBucketLocation");
  assert.equal(op("GET", "/b?unknown-subresource"), "ListObjects");
  assert.equal(op("GET", "/b?lifecycle"), "GetBucketLifecycleConfiguration");
  assert.equal(op("GET", "/b?analytics"), "ListBucketAnalyticsConfigurations");
  assert.equal(op("GET", "/b?analytics&id=x"), "GetBucketAnalyticsConfiguration");
  assert.equal(op("GET", "/b/k"), "GetObject");
  assert.equal(op("GET", "/b/k?uploadId=u"), "ListParts");
  assert.equal(op("GET", "/b/k?tagging"), "GetObjectTagging");
  assert.equal(op("PUT", "/b/k"), "PutObject");
  assert.equal(op("PUT", "/b/k", { headers: { "x-amz-copy-source": "b/src" } }), "CopyObject");
  assert.equal(op("PUT", "/b/k?partNumber=1&uploadId=u"), "UploadPart");
  assert.equal(
    op("PUT", "/b/k?partNumber=1&uploadId=u", { headers: { "x-amz-copy-source": "b/s" } }),
    "UploadPartCopy",
  );
  assert.equal(op("POST", "/b/k?uploads"), "CreateMultipartUpload");
  assert.equal(op("POST", "/b/k?uploadId=u"), "CompleteMultipartUpload");
  assert.equal(op("DELETE", "/b/k"), "DeleteObject");
  assert.equal(op("DELETE", "/b/k?uploadId=u"), "AbortMultipartUpload");
  assert.equal(op("HEAD", "/b"), "HeadBucket");
  assert.equal(op("GET", "/k/with/slashes", { hostBucket: "vb" }), "GetObject");
  assert.equal(op("GET", "/", { hostBucket: "vb" }), "ListObjects");
  assert.equal(op("GET", "/?list-type=2", { hostBucket: "vb" }), "ListObjectsV2");
});

test("uri labels: bucket from the host or the first segment, key percent-decoded and opaque", () => {
  const dec = (target: string, extra: Partial<WireRequest> = {}) =>
    restXml.decode(wire("GET", target, extra), model, "InvalidArgument").input;
  assert.deepEqual(dec("/b/..%2Fx"), { Bucket: "b", Key: "../x" });
  assert.deepEqual(dec("/b/../x"), { Bucket: "b", Key: "../x" });
  assert.deepEqual(dec("/b/a%20b/c+d//e/"), { Bucket: "b", Key: "a b/c+d//e/" });
  assert.deepEqual(dec("//lead", { hostBucket: "vb" }), { Bucket: "vb", Key: "/lead" });
  assert.throws(() => dec("/b/%E0%A4%A"), { code: "InvalidURI" });
});

test("no route is MethodNotAllowed 405", () => {
  assert.throws(
    () => restXml.decode(wire("PATCH", "/b/k"), model, "InvalidArgument"),
    (e: unknown) => {
      assert.ok(isAwsError(e));
      assert.equal(e.code, "MethodNotAllowed");
      assert.equal(e.httpStatus, 405);
      assert.deepEqual(e.extra, { Method: "PATCH", ResourceType: "OBJECT" });
      return true;
    },
  );
  assert.throws(
    () => restXml.decode(wire("POST", "/b"), model, "InvalidArgument"),
    (e: unknown) => {
      assert.ok(isAwsError(e));
      assert.deepEqual([e.code, e.extra], ["MethodNotAllowed", { Method: "POST", ResourceType: "BUCKET" }]);
      return true;
    },
  );
});

test("a querystring integer that is not one is the validation error the gateway names", () => {
  assert.throws(
    () => restXml.decode(wire("GET", "/b?list-type=2&max-keys=abc"), model, "InvalidArgument"),
    (e: unknown) => {
      assert.ok(isAwsError(e));
      assert.equal(e.code, "InvalidArgument");
      assert.deepEqual(e.extra, { ArgumentName: "max-keys", ArgumentValue: "abc" });
      return true;
    },
  );
});

test("aws-chunked bodies: chunk signatures and trailers", () => {
  const raw = Buffer.from(
    "5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\nx-amz-trailer-signature:sig\r\n\r\n",
    "latin1",
  );
  const { body, trailers } = decodeAwsChunked(raw);
  assert.equal(body.toString(), "hello world");
  assert.deepEqual(trailers, { "x-amz-checksum-crc32": "AAAAAA==", "x-amz-trailer-signature": "sig" });
  const req = wire("PUT", "/b/k", {
    headers: {
      "content-encoding": "aws-chunked,gzip",
      "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
      "x-amz-decoded-content-length": "11",
      "x-amz-trailer": "x-amz-checksum-crc32",
    },
    body: raw,
  });
  const { input } = restXml.decode(req, model, "InvalidArgument");
  assert.deepEqual(input.Body, Buffer.from("hello world"));
  assert.equal(input.ChecksumCRC32, "AAAAAA==");
  assert.equal(input.ContentEncoding, "gzip");
  assert.equal(input.ContentLength, 11);
  assert.throws(() => decodeAwsChunked(Buffer.from("5\r\nhel")), { code: "IncompleteBody" });
  assert.throws(
    () =>
      restXml.decode(
        { ...req, headers: { ...req.headers, "x-amz-decoded-content-length": "12" } },
        model,
        "InvalidArgument",
      ),
    { code: "IncompleteBody" },
  );
});

test("XML request bodies: DOCTYPE/ENTITY rejected, malformed XML is MalformedXML", () => {
  const put = (body: string) =>
    restXml.decode(wire("PUT", "/b", { body: Buffer.from(body) }), model, "InvalidArgument");
  assert.throws(
    () =>
      put(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><CreateBucketConfiguration><LocationConstraint>&a;</LocationConstraint></CreateBucketConfiguration>',
      ),
    { code: "MalformedXML", httpStatus: 400 },
  );
  assert.throws(() => put("<CreateBucketConfiguration><LocationConstraint>x</CreateBucketConfiguration>"), {
    code: "MalformedXML",
  });
  assert.throws(() => put("<A>&undefined;</A>"), { code: "MalformedXML" });
  assert.throws(() => put("<A/><B/>"), { code: "MalformedXML" });
  assert.deepEqual(
    put(
      '<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint><Unknown>1</Unknown></CreateBucketConfiguration>',
    ).input,
    { Bucket: "b", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } },
  );
  const del = restXml.decode(
    wire("POST", "/b?delete", {
      body: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?>\n<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\n  <Object><Key>a&amp;&#x41;&#66;&#xD;<![CDATA[<&>]]></Key></Object>\n  <Object><Key>k2</Key><VersionId>v</VersionId></Object>\n  <Quiet>true</Quiet>\n</Delete>',
      ),
    }),
    model,
    "InvalidArgument",
  );
  assert.deepEqual(del.input.Delete, { Objects: [{ Key: "a&AB\r<&>" }, { Key: "k2", VersionId: "v" }], Quiet: true });
  assert.throws(() => parseXml("<a>" + "x".repeat(100) + "</a>", 50), /larger than/);
});

test("encode: header timestamps are RFC 822, the error document is S3's, HEAD has no body", () => {
  const out = restXml.encode(
    model,
    "HeadObject",
    { LastModified: new Date("2026-11-23T01:02:03.000Z"), ContentLength: 5, Metadata: { k: "välue" } },
    { requestId: "R1" },
  );
  assert.equal(out.status, 200);
  assert.equal(out.headers["last-modified"], "Mon, 23 Nov 2026 01:02:03 GMT");
  assert.equal(out.headers["content-length"], "5");
  assert.equal(out.headers["x-amz-meta-k"], `=?UTF-8?B?${Buffer.from("välue").toString("base64")}?=`);
  assert.equal(out.headers["x-amz-request-id"], "R1");
  assert.ok(out.headers["x-amz-id-2"]);
  assert.equal(out.body, "");

  const err = restXml.encodeError(
    model,
    "GetObject",
    awsError("NoSuchKey", "The specified key does not exist.", 404, { Key: "a&b" }),
    { requestId: "R2" },
  );
  assert.equal(err.status, 404);
  assert.equal(err.headers["content-type"], "application/xml");
  assert.equal(
    err.body,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a&amp;b</Key><RequestId>R2</RequestId><HostId>${err.headers["x-amz-id-2"]}</HostId></Error>`,
  );
  assert.equal(restXml.encodeError(model, "HeadObject", awsError("NoSuchKey", "x", 404), { requestId: "R3" }).body, "");

  const loc = restXml.encode(model, "GetBucketLocation", { LocationConstraint: "eu-west-1" }, { requestId: "R4" });
  assert.equal(
    loc.body,
    '<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>',
  );
  const del = restXml.encode(model, "DeleteObject", {}, { requestId: "R5" });
  assert.equal(del.status, 204);
  assert.equal(del.body, "");
});

test("bucketFromHost", () => {
  assert.equal(bucketFromHost("my-bucket.localhost:4566"), "my-bucket");
  assert.equal(bucketFromHost("my.dotted.bucket.s3.us-east-1.amazonaws.com"), "my.dotted.bucket");
  assert.equal(bucketFromHost("b.s3.localhost.localstack.cloud:4566"), "b");
  assert.equal(bucketFromHost("b.s3-eu-west-1.amazonaws.com"), "b");
  assert.equal(bucketFromHost("localhost:4566"), undefined);
  assert.equal(bucketFromHost("127.0.0.1:4566"), undefined);
  assert.equal(bucketFromHost("s3.amazonaws.com"), undefined);
  assert.equal(bucketFromHost("[::1]:4566"), undefined);
});

// ---------------------------------------------------------------------------------------------------
// boto3

test("boto3: create bucket with a location, put/get with metadata, list v2, head of a missing key", async () => {
  const name = uniqueBucket();
  const { stdout } = await execFileAsync(
    "python3",
    [
      "-c",
      `
import boto3, json, botocore.exceptions
from botocore.config import Config
s3 = boto3.client("s3", endpoint_url="http://127.0.0.1:${port}", config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}))
b = ${JSON.stringify(name)}
s3.create_bucket(Bucket=b, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
loc = s3.get_bucket_location(Bucket=b)["LocationConstraint"]
s3.put_object(Bucket=b, Key="dir/ü k.txt", Body=b"bytes\\x00\\xff", Metadata={"owner": "bob"})
g = s3.get_object(Bucket=b, Key="dir/ü k.txt")
lst = s3.list_objects_v2(Bucket=b, Prefix="dir/")
try:
    s3.head_object(Bucket=b, Key="nope")
    head = None
except botocore.exceptions.ClientError as e:
    head = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
try:
    s3.get_object(Bucket=b, Key="nope")
    miss = None
except botocore.exceptions.ClientError as e:
    miss = [e.response["Error"]["Code"], e.response["Error"]["Message"], e.response["Error"].get("Key")]
print(json.dumps({"loc": loc, "body": list(g["Body"].read()), "meta": g["Metadata"],
                  "keys": [o["Key"] for o in lst["Contents"]], "head": head, "miss": miss}))
`,
    ],
    {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "secret",
        AWS_DEFAULT_REGION: "us-east-1",
      },
      timeout: 30_000,
    },
  );
  const res = JSON.parse(stdout) as Record<string, unknown>;
  assert.deepEqual(res, {
    loc: "eu-west-1",
    body: [...Buffer.from("bytes\x00\xff", "latin1")],
    meta: { owner: "bob" },
    keys: ["dir/ü k.txt"],
    head: ["404", 404],
    miss: ["NoSuchKey", "The specified key does not exist.", "nope"],
  });
});
