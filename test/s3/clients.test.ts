/**
 * boto3 and the AWS CLI v1 against Vigil's S3: what `aws cloudtrail validate-logs` relies on (GetBucketLocation,
 * lower-case x-amz-meta-* read back as Metadata, NoSuchKey as a ClientError), boto3's default checksums
 * (aws-chunked with a trailing x-amz-checksum-crc32), `aws s3api` and `aws s3 cp/ls`.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { awsCli, awsEnv, python, unique, type Vigil } from "../helpers/vigil.js";
import { newBucket, s3Client, startS3Vigil } from "./helpers.js";

let vigil: Vigil;
let s3: S3Client;

before(async () => {
  vigil = await startS3Vigil();
  s3 = s3Client(vigil);
});
after(() => vigil.close());

test("boto3: a digest-like object's metadata reads back lower-case; NoSuchKey is a ClientError; location is None", async () => {
  const b = await newBucket(s3);
  const sig = "ab".repeat(256);
  const out = await python(
    `
import boto3, gzip, json, botocore
s3 = boto3.client("s3")
b = ${JSON.stringify(b)}
key = "AWSLogs/000000000000/CloudTrail-Digest/us-east-1/2026/11/23/000000000000_CloudTrail-Digest_us-east-1_t_us-east-1_20261123T010000Z.json.gz"
body = gzip.compress(b'{"digestS3Object": "x"}')
s3.put_object(Bucket=b, Key=key, Body=body, ContentType="application/json", ContentEncoding="gzip",
              Metadata={"signature": ${JSON.stringify(sig)}, "signature-algorithm": "SHA256withRSA"})
got = s3.get_object(Bucket=b, Key=key, ChecksumMode="ENABLED")
data = got["Body"].read()
try:
    s3.get_object(Bucket=b, Key=key + "-missing")
    missing = None
except botocore.exceptions.ClientError as e:
    missing = [e.response["Error"]["Code"], e.response["Error"]["Message"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
print(json.dumps({"meta": got["Metadata"], "same": data == body, "gz": json.loads(gzip.decompress(data)),
                  "loc": s3.get_bucket_location(Bucket=b)["LocationConstraint"], "missing": missing}))
`,
    awsEnv(vigil.url),
  );
  const res = JSON.parse(out) as Record<string, unknown>;
  assert.deepEqual(res.meta, { signature: sig, "signature-algorithm": "SHA256withRSA" });
  assert.equal(res.same, true);
  assert.deepEqual(res.gz, { digestS3Object: "x" });
  assert.equal(res.loc, null);
  assert.deepEqual(res.missing, ["NoSuchKey", "The specified key does not exist.", 404]);
});

test("boto3: uploads with its default CRC32 checksum, upload_fileobj, delete_objects and copy", async () => {
  const b = await newBucket(s3);
  const out = await python(
    `
import boto3, io, json
s3 = boto3.client("s3")
b = ${JSON.stringify(b)}
r = s3.put_object(Bucket=b, Key="k1", Body=b"x" * 100000)
s3.upload_fileobj(io.BytesIO(b"y" * 70000), b, "k2")
s3.copy_object(Bucket=b, Key="k3", CopySource={"Bucket": b, "Key": "k1"})
h = s3.head_object(Bucket=b, Key="k3")
d = s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "k1"}, {"Key": "k3"}]})
left = [o["Key"] for o in s3.list_objects_v2(Bucket=b).get("Contents", [])]
print(json.dumps({"crc": r.get("ChecksumCRC32"), "len": h["ContentLength"], "deleted": sorted(x["Key"] for x in d["Deleted"]), "left": left,
                  "k2": len(s3.get_object(Bucket=b, Key="k2")["Body"].read())}))
`,
    awsEnv(vigil.url),
  );
  const res = JSON.parse(out) as Record<string, unknown>;
  assert.ok(typeof res.crc === "string" && res.crc.length === 8);
  assert.equal(res.len, 100000);
  assert.deepEqual(res.deleted, ["k1", "k3"]);
  assert.deepEqual(res.left, ["k2"]);
  assert.equal(res.k2, 70000);
});

test("CLI v1: s3api create-bucket / put-object / get-object, s3 cp and ls", async () => {
  const b = unique("cli");
  await awsCli(vigil.url, ["s3api", "create-bucket", "--bucket", b]);
  const dir = mkdtempSync(join(tmpdir(), "vigil-s3-"));
  const src = join(dir, "in.txt");
  writeFileSync(src, "from the cli\n");
  const put = JSON.parse(
    await awsCli(vigil.url, [
      "s3api",
      "put-object",
      "--bucket",
      b,
      "--key",
      "a/in.txt",
      "--body",
      src,
      "--metadata",
      "Signature=xyz",
    ]),
  ) as { ETag: string };
  assert.match(put.ETag, /^"[0-9a-f]{32}"$/);
  const dst = join(dir, "out.txt");
  const got = JSON.parse(await awsCli(vigil.url, ["s3api", "get-object", "--bucket", b, "--key", "a/in.txt", dst])) as {
    Metadata: Record<string, string>;
  };
  assert.deepEqual(got.Metadata, { signature: "xyz" });
  assert.equal(readFileSync(dst, "utf8"), "from the cli\n");
  await awsCli(vigil.url, ["s3", "cp", src, `s3://${b}/b/copied.txt`]);
  const ls = await awsCli(vigil.url, ["s3", "ls", `s3://${b}/`, "--recursive"]);
  assert.match(ls, /a\/in\.txt/);
  assert.match(ls, /b\/copied\.txt/);
  const back = join(dir, "back.txt");
  await awsCli(vigil.url, ["s3", "cp", `s3://${b}/b/copied.txt`, back]);
  assert.equal(readFileSync(back, "utf8"), "from the cli\n");
  const obj = await s3.send(new GetObjectCommand({ Bucket: b, Key: "b/copied.txt" }));
  assert.equal(await obj.Body!.transformToString(), "from the cli\n");
});
