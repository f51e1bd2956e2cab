import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { after, before, test } from "node:test";
import { FAKE_AUTH, raw } from "../helpers/raw.js";
import { startVigil, type Vigil } from "../helpers/vigil.js";

let vigil: Vigil;
before(async () => (vigil = await startVigil({ maxRequestBytes: 64 * 1024, maxDecompressedBytes: 256 * 1024 })));
after(() => vigil.close());

const json = (target: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  raw(vigil.url, {
    headers: {
      "x-amz-target": target,
      "content-type": "application/x-amz-json-1.1",
      authorization: FAKE_AUTH("logs"),
      ...headers,
    },
    body,
  });

const stillServing = async () => {
  const r = await raw(vigil.url, { method: "GET", path: "/_vigil/health" });
  assert.equal(r.status, 200);
};

test("malformed JSON is a SerializationException in JSON", async () => {
  const r = await json("Logs_20140328.DescribeLogGroups", "{not json");
  assert.equal(r.status, 400);
  assert.equal((JSON.parse(r.body) as { __type: string }).__type, "SerializationException");
  await stillServing();
});

test("a wrong member type is a SerializationException", async () => {
  const r = await json("Logs_20140328.DescribeLogGroups", JSON.stringify({ limit: "ten" }));
  assert.equal(r.status, 400);
  assert.equal((JSON.parse(r.body) as { __type: string }).__type, "SerializationException");
});

test("an unknown target is UnknownOperationException", async () => {
  const r = await json("Logs_20140328.NoSuchOperation", "{}");
  assert.equal(r.status, 400);
  assert.equal((JSON.parse(r.body) as { __type: string }).__type, "UnknownOperationException");
  const prefix = await json("NoSuchService_2020.Anything", "{}");
  assert.equal((JSON.parse(prefix.body) as { __type: string }).__type, "UnknownOperationException");
});

test("an unknown Query action is InvalidAction in XML", async () => {
  const r = await raw(vigil.url, {
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: FAKE_AUTH("sts") },
    body: "Action=NoSuchAction&Version=2011-06-15",
  });
  assert.equal(r.status, 400);
  assert.match(r.body, /<Code>InvalidAction<\/Code>/);
});

test("a garbage Authorization header is IncompleteSignatureException, listing what is missing", async () => {
  const r = await json("Logs_20140328.DescribeLogGroups", "{}", { authorization: "garbage" });
  assert.equal(r.status, 400);
  const body = JSON.parse(r.body) as { __type: string; message: string };
  assert.equal(body.__type, "IncompleteSignatureException");
  assert.equal(
    body.message,
    "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=garbage",
  );
});

test("an unknown region is refused unless allowed", async () => {
  const r = await json("Logs_20140328.DescribeLogGroups", "{}", {
    authorization: FAKE_AUTH("logs", "AKIAX", "mars-north-1"),
  });
  assert.equal(r.status, 403);
  const body = JSON.parse(r.body) as { __type: string; message: string };
  assert.equal(body.__type, "InvalidSignatureException");
  assert.equal(body.message, "Credential should be scoped to a valid region, not 'mars-north-1'.");
});

test("a body over the cap is refused with 413 without being read", async () => {
  const big = Buffer.alloc(65 * 1024, 0x20);
  const r = await json("Logs_20140328.DescribeLogGroups", big);
  assert.equal(r.status, 413);
  assert.equal((JSON.parse(r.body) as { __type: string }).__type, "RequestEntityTooLarge");
  await stillServing();
});

test("a gzip bomb is refused once its inflated size passes the cap", async () => {
  const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
  assert.ok(bomb.length < 64 * 1024, "the bomb itself is under the raw cap");
  const r = await json("Logs_20140328.DescribeLogGroups", bomb, { "content-encoding": "gzip" });
  assert.equal(r.status, 413);
  assert.equal((JSON.parse(r.body) as { __type: string }).__type, "RequestEntityTooLarge");
  await stillServing();
});

test("a body that claims gzip but is not is a SerializationException", async () => {
  const r = await json("Logs_20140328.DescribeLogGroups", "plain", { "content-encoding": "gzip" });
  assert.equal(r.status, 400);
  assert.equal((JSON.parse(r.body) as { __type: string }).__type, "SerializationException");
});

test("a gzip body within the cap is decoded", async () => {
  const r = await raw(vigil.url, {
    headers: {
      "x-amz-target": "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
      "content-type": "application/x-amz-json-1.1",
      "content-encoding": "gzip",
      authorization: FAKE_AUTH("cloudtrail"),
    },
    body: gzipSync(JSON.stringify({ MaxResults: 1 })),
  });
  assert.equal(r.status, 200);
  assert.ok(Array.isArray((JSON.parse(r.body) as { Events: unknown[] }).Events));
});

test("Expect: 100-continue is answered and the body then read", async () => {
  const r = await raw(vigil.url, {
    headers: {
      "x-amz-target": "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
      "content-type": "application/x-amz-json-1.1",
      expect: "100-continue",
      authorization: FAKE_AUTH("cloudtrail"),
    },
    body: JSON.stringify({ MaxResults: 1 }),
  });
  assert.equal(r.status, 200);
});

test("every response carries a request id", async () => {
  const r = await json("Logs_20140328.DescribeLogGroups", "{}");
  assert.match(String(r.headers["x-amzn-requestid"]), /^[0-9a-f-]{36}$/);
});

test("an operation AWS has but Vigil does not yet is NotImplemented (501), never a silent success", async () => {
  const r = await json("Logs_20140328.DescribeQueries", "{}");
  assert.equal(r.status, 501);
  const body = JSON.parse(r.body) as { __type: string; message: string };
  assert.equal(body.__type, "NotImplemented");
  assert.equal(body.message, "Vigil does not implement logs:DescribeQueries yet (see docs/compatibility.md).");
});
