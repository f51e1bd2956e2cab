/**
 * Upload integrity as S3 checks it (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html):
 * Content-MD5 (InvalidDigest / BadDigest) and the x-amz-checksum-* values (CRC32, CRC32C, SHA1, SHA256; base64 of
 * the big-endian digest; CRC64NVME too), verified against the received bytes and stored so GetObject can return them.
 */
import { createHash } from "node:crypto";
import { awsError } from "../../errors/index.js";

function table(poly: number): Uint32Array {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
}
const CRC32_TABLE = table(0xedb88320);
const CRC32C_TABLE = table(0x82f63b78);

function crc(t: Uint32Array, data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5, init and xorout all ones), kept as two 32-bit halves so the
// inner loop stays in small-integer arithmetic.
const NVME_HI = new Uint32Array(256);
const NVME_LO = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let hi = 0;
  let lo = i;
  for (let k = 0; k < 8; k++) {
    const lsb = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (lsb) {
      hi = (hi ^ 0x9a6c9329) >>> 0;
      lo = (lo ^ 0xac4bc9b5) >>> 0;
    }
  }
  NVME_HI[i] = hi;
  NVME_LO[i] = lo;
}

function crc64nvme(data: Uint8Array): Buffer {
  let hi = 0xffffffff;
  let lo = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    const idx = (lo ^ data[i]!) & 0xff;
    lo = ((lo >>> 8) | ((hi & 0xff) << 24)) ^ NVME_LO[idx]!;
    hi = (hi >>> 8) ^ NVME_HI[idx]!;
  }
  const out = Buffer.alloc(8);
  out.writeUInt32BE((hi ^ 0xffffffff) >>> 0, 0);
  out.writeUInt32BE((lo ^ 0xffffffff) >>> 0, 4);
  return out;
}

const be32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b.toString("base64");
};

/** The algorithms Vigil verifies, by the name S3 uses in x-amz-checksum-<name> and ChecksumAlgorithm. */
export const CHECKSUMS: Record<string, (data: Buffer) => string> = {
  CRC32: (d) => be32(crc(CRC32_TABLE, d)),
  CRC32C: (d) => be32(crc(CRC32C_TABLE, d)),
  CRC64NVME: (d) => crc64nvme(d).toString("base64"),
  SHA1: (d) => createHash("sha1").update(d).digest("base64"),
  SHA256: (d) => createHash("sha256").update(d).digest("base64"),
};

/** The input members that carry them (PutObject, UploadPart). */
const MEMBERS: [string, string][] = [
  ["ChecksumCRC32", "CRC32"],
  ["ChecksumCRC32C", "CRC32C"],
  ["ChecksumCRC64NVME", "CRC64NVME"],
  ["ChecksumSHA1", "SHA1"],
  ["ChecksumSHA256", "SHA256"],
];

export const md5Hex = (d: Buffer) => createHash("md5").update(d).digest("hex");

/**
 * Checks Content-MD5 and the x-amz-checksum-* members of `input` against `body`; returns the checksums to store
 * (those sent). S3 answers InvalidDigest for a Content-MD5 that is not the base64 of 16 bytes, BadDigest for a mismatch.
 */
export function verifyUpload(input: Record<string, unknown>, body: Buffer): Record<string, string> {
  const md5 = input.ContentMD5 as string | undefined;
  if (md5 !== undefined) {
    const raw = Buffer.from(md5, "base64");
    if (raw.length !== 16 || raw.toString("base64") !== md5.trim()) {
      throw awsError("InvalidDigest", "The Content-MD5 you specified was not valid.", 400, { "Content-MD5": md5 });
    }
    const calculated = createHash("md5").update(body).digest("base64");
    if (calculated !== md5.trim()) {
      throw awsError("BadDigest", "The Content-MD5 you specified did not match what we received.", 400, {
        ExpectedDigest: raw.toString("hex"),
        CalculatedDigest: calculated,
      });
    }
  }
  const stored: Record<string, string> = {};
  for (const [member, algo] of MEMBERS) {
    const sent = input[member];
    if (typeof sent !== "string") continue;
    const expectedLength = algo === "CRC64NVME" ? 8 : algo.startsWith("CRC") ? 4 : algo === "SHA1" ? 20 : 32;
    if (Buffer.from(sent, "base64").length !== expectedLength) {
      throw awsError("InvalidRequest", `Value for x-amz-checksum-${algo.toLowerCase()} header is invalid.`);
    }
    if (CHECKSUMS[algo]!(body) !== sent) {
      throw awsError("BadDigest", `The ${algo} you specified did not match the calculated checksum.`);
    }
    stored[algo] = sent;
  }
  return stored;
}

/** The output members for stored checksums (GetObject/HeadObject with x-amz-checksum-mode: ENABLED, PutObject). */
export function checksumMembers(stored: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!stored) return out;
  for (const [member, algo] of MEMBERS) if (stored[algo]) out[member] = stored[algo];
  if (Object.keys(out).length) out.ChecksumType = "FULL_OBJECT";
  return out;
}
