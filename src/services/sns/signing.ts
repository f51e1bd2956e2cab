/**
 * The key and certificate SNS signs its messages with, and the signature itself. AWS signs every HTTP/S, email-json
 * and SQS notification and confirmation; receivers fetch the certificate from SigningCertURL and verify
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html):
 * - the string to sign is "Name\nValue\n" for Message, MessageId, Subject (if present), Timestamp, TopicArn, Type
 *   (notifications), or Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type (confirmations);
 * - SignatureVersion 1 signs SHA1withRSA, 2 SHA256withRSA; the signature is base64.
 * Vigil generates an RSA key and a self-signed certificate once per data directory (the key file is mode 0600) or per
 * process when ephemeral, and serves the certificate at `<endpoint>/_vigil/sns/SimpleNotificationService-<id>.pem`.
 */
import {
  createHash,
  createPrivateKey,
  createSign,
  generateKeyPairSync,
  sign as cryptoSign,
  type KeyObject,
} from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { selfSignedCertificate } from "./x509.js";

export interface Signer {
  /** Hex id in the certificate's file name. */
  readonly certId: string;
  readonly certificatePem: string;
  /** The base64 signature of `stringToSign` for SignatureVersion "1" or "2". */
  sign(stringToSign: string, version: string): string;
  /** The same on libuv's thread pool, so that signing does not hold the event loop (publish hot path). */
  signAsync(stringToSign: string, version: string): Promise<string>;
  /** Where receivers fetch the certificate, on the endpoint they reached Vigil at. */
  certUrl(endpoint: string): string;
}

export const CERT_PATH_PREFIX = "/_vigil/sns/SimpleNotificationService-";

const KEY_FILE = "sns-signing-key.pem";
const CERT_FILE = "sns-signing-cert.pem";

/** Loads the key and certificate from `dir`, generating them on first use; in memory when `dir` is undefined. */
export function loadSigner(dir: string | undefined, now: number): Signer {
  let key: KeyObject | undefined;
  let pem: string | undefined;
  const keyPath = dir && path.join(dir, KEY_FILE);
  const certPath = dir && path.join(dir, CERT_FILE);
  if (keyPath && certPath && existsSync(keyPath) && existsSync(certPath)) {
    key = createPrivateKey(readFileSync(keyPath, "utf8"));
    pem = readFileSync(certPath, "utf8");
  }
  if (!key || !pem) {
    key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    pem = selfSignedCertificate(key, {
      commonName: "sns.amazonaws.com",
      notBefore: now - 86_400_000,
      notAfter: now + 20 * 365 * 86_400_000,
    });
    if (dir && keyPath && certPath) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(keyPath, key.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
      chmodSync(keyPath, 0o600);
      writeFileSync(certPath, pem, { mode: 0o644 });
    }
  }
  const privateKey = key;
  const certificatePem = pem;
  const certId = createHash("sha256").update(certificatePem).digest("hex").slice(0, 32);
  return {
    certId,
    certificatePem,
    sign(stringToSign, version) {
      const s = createSign(version === "2" ? "RSA-SHA256" : "RSA-SHA1");
      s.update(stringToSign, "utf8");
      return s.sign(privateKey, "base64");
    },
    signAsync: (stringToSign, version) =>
      new Promise((resolve, reject) =>
        cryptoSign(version === "2" ? "sha256" : "sha1", Buffer.from(stringToSign, "utf8"), privateKey, (err, sig) =>
          err ? reject(err) : resolve(sig.toString("base64")),
        ),
      ),
    certUrl: (endpoint) => `${endpoint}${CERT_PATH_PREFIX}${certId}.pem`,
  };
}

/** The string to sign of an envelope (the fields AWS lists, in its order, those absent skipped). */
export function stringToSign(envelope: Record<string, unknown>): string {
  const fields =
    envelope.Type === "Notification"
      ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
      : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
  let out = "";
  for (const f of fields) {
    const v = envelope[f];
    if (v === undefined || v === null) continue;
    out += `${f}\n${String(v)}\n`;
  }
  return out;
}
