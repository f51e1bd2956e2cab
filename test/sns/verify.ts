/** Verifies SNS message signatures as SNS's documented procedure does, with node's crypto and with openssl. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createVerify, X509Certificate } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export type Envelope = Record<string, unknown> & {
  Signature: string;
  SigningCertURL: string;
  SignatureVersion: string;
};

function signedString(e: Record<string, unknown>): string {
  const fields =
    e.Type === "Notification"
      ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
      : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
  return fields
    .filter((f) => e[f] !== undefined)
    .map((f) => `${f}\n${String(e[f])}\n`)
    .join("");
}

/** Verifies as SNS's documented procedure does: fetch the certificate, rebuild the string, check the signature. */
export async function verifyEnvelope(e: Envelope): Promise<void> {
  const res = await fetch(e.SigningCertURL);
  assert.equal(res.status, 200);
  const pem = await res.text();
  const cert = new X509Certificate(pem);
  const v = createVerify(e.SignatureVersion === "2" ? "RSA-SHA256" : "RSA-SHA1");
  v.update(signedString(e), "utf8");
  assert.ok(v.verify(cert.publicKey, e.Signature, "base64"), "signature verifies with the served certificate");
  // openssl, a verifier that is not node's.
  const dir = mkdtempSync(path.join(os.tmpdir(), "sns-sig-"));
  writeFileSync(path.join(dir, "cert.pem"), pem);
  writeFileSync(path.join(dir, "data"), signedString(e));
  writeFileSync(path.join(dir, "sig"), Buffer.from(e.Signature, "base64"));
  execFileSync("sh", ["-c", "openssl x509 -in cert.pem -pubkey -noout > pub.pem"], { cwd: dir });
  const out = execFileSync(
    "openssl",
    ["dgst", e.SignatureVersion === "2" ? "-sha256" : "-sha1", "-verify", "pub.pem", "-signature", "sig", "data"],
    { cwd: dir },
  ).toString();
  assert.match(out, /Verified OK/);
}
