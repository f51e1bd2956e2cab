/**
 * The checksum algorithms against their published check values (CRC catalogue: the CRC of "123456789"), and a
 * CRC64NVME upload verified by the server.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CHECKSUMS } from "../../src/services/s3/checksums.js";
import { FAKE_AUTH, raw } from "../helpers/raw.js";
import type { Vigil } from "../helpers/vigil.js";
import { newBucket, s3Client, startS3Vigil } from "./helpers.js";

const hex = (algo: string, text: string) => Buffer.from(CHECKSUMS[algo]!(Buffer.from(text)), "base64").toString("hex");

test("check values of the CRC catalogue and the SHA test vectors", () => {
  assert.equal(hex("CRC32", "123456789"), "cbf43926");
  assert.equal(hex("CRC32C", "123456789"), "e3069283");
  assert.equal(hex("CRC64NVME", "123456789"), "ae8b14860a799888");
  assert.equal(hex("SHA1", "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  assert.equal(hex("SHA256", "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(hex("CRC32", ""), "00000000");
});

let vigil: Vigil;
let s3: S3Client;
before(async () => {
  vigil = await startS3Vigil();
  s3 = s3Client(vigil);
});
after(() => vigil.close());

test("x-amz-checksum-crc64nvme is verified and returned", async () => {
  const b = await newBucket(s3);
  const good = Buffer.from("ae8b14860a799888", "hex").toString("base64");
  const put = (value: string) =>
    raw(vigil.url, {
      method: "PUT",
      path: `/${b}/nvme`,
      headers: { authorization: FAKE_AUTH("s3"), "x-amz-checksum-crc64nvme": value },
      body: "123456789",
    });
  const ok = await put(good);
  assert.equal(ok.status, 200, ok.body);
  assert.equal(ok.headers["x-amz-checksum-crc64nvme"], good);
  const bad = await put(Buffer.from("0000000000000000", "hex").toString("base64"));
  assert.equal(bad.status, 400);
  assert.match(
    bad.body,
    /<Code>BadDigest<\/Code><Message>The CRC64NVME you specified did not match the calculated checksum.<\/Message>/,
  );
  const short = await put("AAAA");
  assert.match(
    short.body,
    /<Code>InvalidRequest<\/Code><Message>Value for x-amz-checksum-crc64nvme header is invalid.<\/Message>/,
  );
  const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: "nvme", ChecksumMode: "ENABLED" }));
  assert.equal(await got.Body!.transformToString(), "123456789");
  assert.equal(got.ChecksumCRC64NVME, good);
});
