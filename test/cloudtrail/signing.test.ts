/** Digest signing and file formats: the spec's test vector byte for byte, keys, fingerprints and object names. */
import assert from "node:assert/strict";
import { createPrivateKey } from "node:crypto";
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { KeyRing } from "../../src/services/cloudtrail/keys.js";
import {
  digestBody,
  digestKey,
  gzip,
  logFileBody,
  logFileKey,
  uniqueSuffix,
  type DigestFile,
} from "../../src/services/cloudtrail/formats.js";
import {
  fingerprint,
  publicKeyDer,
  sha256Hex,
  signHex,
  stringToSign,
  verifyHex,
} from "../../src/services/cloudtrail/signing.js";

const vector = JSON.parse(
  readFileSync(new URL("../../../shared/spec/cloudtrail-test-vector.json", import.meta.url), "utf8"),
) as Record<string, string>;

test("the spec's signing test vector is reproduced byte for byte", () => {
  const key = createPrivateKey(vector.privateKeyPkcs8Pem);
  const der = publicKeyDer(key);
  assert.equal(der.toString("base64"), vector.publicKeyValueBase64);
  assert.equal(fingerprint(der), vector.fingerprint);

  // The log file hash covers the uncompressed bytes.
  const digest = JSON.parse(vector.digestUncompressed) as DigestFile;
  assert.equal(sha256Hex(vector.logFileUncompressed), digest.logFiles[0].hashValue);

  // Our serialization of the parsed digest gives the same bytes (field order and format as AWS).
  const body = digestBody(digest);
  assert.equal(body.toString("utf8"), vector.digestUncompressed);
  assert.equal(sha256Hex(body), vector.digestSha256);
  assert.equal(
    digestKey(undefined, "123456789012", "us-east-1", "my-trail", "us-east-1", Date.parse("2024-05-01T02:00:00Z")),
    digest.digestS3Object,
  );
  const s = stringToSign(digest.digestEndTime, digest.digestS3Bucket, digest.digestS3Object, sha256Hex(body), null);
  assert.equal(s, vector.stringToSign);
  const sig = signHex(key, s);
  assert.equal(sig, vector.signatureHex);
  assert.ok(verifyHex(der, s, sig));
  assert.ok(!verifyHex(der, s.replace("ct-bucket", "ct-bucket2"), sig));
});

test("log file keys follow the documented layout, with and without a prefix", () => {
  const t = Date.parse("2024-05-01T01:10:42Z");
  const u = uniqueSuffix("seed");
  assert.match(u, /^[A-Za-z0-9]{16}$/);
  assert.equal(uniqueSuffix("seed"), u);
  assert.notEqual(uniqueSuffix("seed2"), u);
  assert.equal(
    logFileKey(undefined, "123456789012", "us-east-1", t, u),
    `AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/01/123456789012_CloudTrail_us-east-1_20240501T0110Z_${u}.json.gz`,
  );
  assert.equal(
    logFileKey("my/prefix", "123456789012", "eu-west-1", t, u),
    `my/prefix/AWSLogs/123456789012/CloudTrail/eu-west-1/2024/05/01/123456789012_CloudTrail_eu-west-1_20240501T0110Z_${u}.json.gz`,
  );
  assert.equal(
    digestKey("p", "123456789012", "us-west-2", "t1", "us-east-1", t),
    "p/AWSLogs/123456789012/CloudTrail-Digest/us-west-2/2024/05/01/123456789012_CloudTrail-Digest_us-west-2_t1_us-east-1_20240501T011042Z.json.gz",
  );
});

test("log files are one gzip member of {Records:[...]}", () => {
  const body = logFileBody(['{"a":1}', '{"b":2}']);
  assert.deepEqual(JSON.parse(gunzipSync(gzip(body)).toString()), { Records: [{ a: 1 }, { b: 2 }] });
});

test("signing keys persist in the data directory with mode 0600 and rotate with overlapping windows", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-keys-"));
  const ring = new KeyRing(dir);
  const t0 = Date.parse("2024-05-01T00:00:00Z");
  const k1 = await ring.current("us-east-1", t0);
  assert.equal(await ring.current("us-east-1", t0 + 1000), k1);
  assert.equal(k1.der.length, 270);
  assert.match(k1.der.toString("base64"), /^MIIBCgKCAQEA.*IDAQAB$/);
  const files = readdirSync(path.join(dir, "cloudtrail-keys"));
  assert.equal(files.length, 1);
  assert.equal(statSync(path.join(dir, "cloudtrail-keys", files[0])).mode & 0o777, 0o600);
  const k2 = await ring.current("eu-west-1", t0);
  assert.notEqual(k2.fingerprint, k1.fingerprint);
  // 29.5 days later the key is rotated; both overlap the range around the switch.
  const later = t0 + 29.5 * 24 * 3600 * 1000;
  const k3 = await ring.current("us-east-1", later);
  assert.notEqual(k3.fingerprint, k1.fingerprint);
  assert.deepEqual(
    ring.list("us-east-1", later, later + 3600_000).map((k) => k.fingerprint),
    [k1.fingerprint, k3.fingerprint],
  );
  assert.deepEqual(ring.list("us-east-1", t0 - 7200_000, t0 - 3600_000), []);
  // A restarted server reads the same keys back.
  const again = new KeyRing(dir);
  assert.deepEqual(
    again.list("us-east-1", t0, later).map((k) => k.fingerprint),
    [k1.fingerprint, k3.fingerprint],
  );
  const sig = signHex(again.list("us-east-1", t0, t0)[0].privateKey, "x");
  assert.ok(verifyHex(k1.der, "x", sig));
});
