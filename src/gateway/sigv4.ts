/**
 * Reads who is calling from SigV4 (Authorization header or presigned query), without verifying the signature:
 * dev mode accepts any credentials. Secure mode (a later issue) verifies through @smithy/signature-v4.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html
 */

export interface CredentialScope {
  accessKeyId: string;
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
}

export type AuthParse =
  { kind: "none" } | { kind: "sigv4"; scope: CredentialScope } | { kind: "malformed"; reason: string };

const CREDENTIAL = /Credential=([^,\s]+)/;

/** Parses `AKID/20261123/us-east-1/logs/aws4_request`. */
export function parseCredential(value: string): CredentialScope | undefined {
  const parts = value.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request") return undefined;
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  if (!accessKeyId || !/^\d{8}$/.test(date) || !region || !service) return undefined;
  return { accessKeyId, date, region, service };
}

export function parseAuth(authorization: string | undefined, query: URLSearchParams, hasDate: boolean): AuthParse {
  if (authorization !== undefined) {
    // AWS lists every missing element, then echoes the header (IncompleteSignatureException).
    const shown = authorization.length > 512 ? authorization.slice(0, 512) : authorization;
    const missing: string[] = [];
    const m = CREDENTIAL.exec(authorization);
    const scope = m ? parseCredential(m[1]!) : undefined;
    if (!scope) missing.push("Authorization header requires 'Credential' parameter.");
    if (!/Signature=[0-9a-f]+/.test(authorization))
      missing.push("Authorization header requires 'Signature' parameter.");
    if (!/SignedHeaders=/.test(authorization)) missing.push("Authorization header requires 'SignedHeaders' parameter.");
    if (!hasDate) {
      missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    if (!authorization.startsWith("AWS4-HMAC-SHA256 ") || missing.length > 0 || !scope) {
      return { kind: "malformed", reason: `${missing.join(" ")} Authorization=${shown}`.trim() };
    }
    return { kind: "sigv4", scope };
  }
  const credential = query.get("X-Amz-Credential");
  if (credential !== null) {
    const scope = parseCredential(credential);
    if (!scope) return { kind: "malformed", reason: "X-Amz-Credential is not a valid credential scope." };
    return { kind: "sigv4", scope };
  }
  return { kind: "none" };
}
