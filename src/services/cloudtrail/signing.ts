/**
 * Digest signing as CloudTrail does it and `aws cloudtrail validate-logs` checks it: RSASSA-PKCS1-v1_5 with SHA-256
 * ("SHA256withRSA") over "<digestEndTime>\n<bucket>/<key>\n<sha256 hex of the uncompressed digest>\n<previous
 * signature hex | null>", public keys as base64 of the PKCS#1 RSAPublicKey DER, fingerprints as the lower-case hex MD5
 * of that DER (spec cloudtrail.md §4.4, §4.5).
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-custom-validation.html
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";

/** Lower-case hex SHA-256. */
export const sha256Hex = (bytes: Buffer | string): string => createHash("sha256").update(bytes).digest("hex");

/** The string CloudTrail signs for a digest (no trailing newline; `null` when the chain starts here). */
export function stringToSign(
  digestEndTime: string,
  bucket: string,
  key: string,
  digestSha256Hex: string,
  previousSignature: string | null,
): string {
  return `${digestEndTime}\n${bucket}/${key}\n${digestSha256Hex}\n${previousSignature ?? "null"}`;
}

/** SHA256withRSA over the UTF-8 string, as lower-case hex (the x-amz-meta-signature value). */
export function signHex(privateKey: KeyObject | string, data: string): string {
  return sign("sha256", Buffer.from(data, "utf8"), privateKey).toString("hex");
}

/** Verifies a hex signature with a PKCS#1 DER public key, as validate-logs does. */
export function verifyHex(publicKeyDer: Buffer, data: string, signatureHex: string): boolean {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(signatureHex)) return false;
  try {
    const key = createPublicKey({ key: publicKeyDer, format: "der", type: "pkcs1" });
    return verify("sha256", Buffer.from(data, "utf8"), key, Buffer.from(signatureHex, "hex"));
  } catch {
    return false;
  }
}

/** The PKCS#1 RSAPublicKey DER of a private or public key (ListPublicKeys' Value, before base64). */
export function publicKeyDer(key: KeyObject | string): Buffer {
  const obj = typeof key === "string" ? createPrivateKey(key) : key;
  return createPublicKey(obj).export({ format: "der", type: "pkcs1" });
}

/** The fingerprint ListPublicKeys returns and digests carry: lower-case hex MD5 of the DER bytes. */
export const fingerprint = (der: Buffer): string => createHash("md5").update(der).digest("hex");
