/**
 * Checks S3 makes on the raw request before decoding: DeleteObjects requires the body's integrity header
 * (Content-MD5, or an x-amz-checksum-* the SDKs send instead) and verifies it against the XML bytes.
 */
import { createHash } from "node:crypto";
import { awsError } from "../../errors/index.js";
import type { ProtocolId, WireRequest } from "../../protocol/types.js";
import { CHECKSUMS } from "./checksums.js";
import { invalidRequest } from "./errors.js";

const isChunked = (h: WireRequest["headers"]) =>
  /aws-chunked/i.test(h["content-encoding"] ?? "") || (h["x-amz-content-sha256"] ?? "").startsWith("STREAMING-");

export function prepareS3Request(wire: WireRequest, _protocol: ProtocolId, _endpoint: string): WireRequest {
  if (wire.method.toUpperCase() !== "POST" || !wire.query.has("delete") || isChunked(wire.headers)) return wire;
  const h = wire.headers;
  const md5 = h["content-md5"];
  const sums = Object.keys(CHECKSUMS).filter((a) => h[`x-amz-checksum-${a.toLowerCase()}`] !== undefined);
  if (md5 === undefined && sums.length === 0 && h["x-amz-checksum-crc64nvme"] === undefined) {
    throw invalidRequest("Missing required header for this request: Content-MD5");
  }
  if (md5 !== undefined) {
    const raw = Buffer.from(md5, "base64");
    if (raw.length !== 16) throw awsError("InvalidDigest", "The Content-MD5 you specified was not valid.");
    if (createHash("md5").update(wire.body).digest("base64") !== raw.toString("base64")) {
      throw awsError("BadDigest", "The Content-MD5 you specified did not match what we received.");
    }
  }
  for (const a of sums) {
    if (CHECKSUMS[a]!(wire.body) !== h[`x-amz-checksum-${a.toLowerCase()}`]) {
      throw awsError("BadDigest", `The ${a} you specified did not match the calculated checksum.`);
    }
  }
  return wire;
}
