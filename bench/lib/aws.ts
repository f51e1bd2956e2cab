/**
 * Requests as the AWS SDKs and CLI put them on the wire, signed with SigV4 (HMAC-SHA256) so that a server that
 * verifies signatures accepts them too. Dev-mode Vigil and moto accept any signature; signing for real keeps the
 * requests byte-for-byte shaped like a client's and costs the load generator the same for every server.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
import { createHash, createHmac } from "node:crypto";

export interface HttpRequestSpec {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** The documentation's example key pair: 20 characters, not 12 digits, so Vigil maps it to its default account. */
export const ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
export const REGION = "us-east-1";
const USER_AGENT = "vigil-bench/1 (aws-sdk-shaped)";

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();

/** `20261123T013703Z` */
export function amzDate(now = new Date()): string {
  return now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

export interface SignInput {
  /** `127.0.0.1:4566`: the Host header, which is signed. */
  host: string;
  /** Signing name: sts, cloudtrail, logs, monitoring, events, sns, sqs, s3. */
  service: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | string;
  region?: string;
  now?: Date;
}

/** Adds Host, X-Amz-Date and Authorization (SigV4, every header signed) to a request. */
export function sign(input: SignInput): HttpRequestSpec {
  const region = input.region ?? REGION;
  const body = typeof input.body === "string" ? Buffer.from(input.body) : input.body;
  const date = amzDate(input.now);
  const day = date.slice(0, 8);
  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v])),
    host: input.host,
    "x-amz-date": date,
    "user-agent": USER_AGENT,
  };
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(";");
  const [pathname, query = ""] = input.path.split("?", 2) as [string, string?];
  const canonicalQuery = query.split("&").filter(Boolean).sort().join("&");
  const canonicalRequest = [
    input.method,
    pathname,
    canonicalQuery,
    ...names.map((n) => `${n}:${headers[n]!.trim()}`),
    "",
    signedHeaders,
    sha256(body),
  ].join("\n");
  const scope = `${day}/${region}/${input.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", date, scope, sha256(canonicalRequest)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET_ACCESS_KEY}`, day), region), input.service), "aws4_request");
  const signature = createHmac("sha256", key).update(stringToSign).digest("hex");
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { method: input.method, path: input.path, headers, body };
}

/** An awsQuery call (STS, SNS, SQS and CloudWatch's old protocol): a form-encoded POST to `/`. */
export function queryRequest(host: string, service: string, params: Record<string, string>): HttpRequestSpec {
  return sign({
    host,
    service,
    method: "POST",
    path: "/",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: new URLSearchParams(params).toString(),
  });
}

/** An awsJson1_0 / awsJson1_1 call: a POST to `/` naming the operation in X-Amz-Target. */
export function jsonRequest(
  host: string,
  service: string,
  target: string,
  version: "1.0" | "1.1",
  input: unknown,
): HttpRequestSpec {
  return sign({
    host,
    service,
    method: "POST",
    path: "/",
    headers: { "content-type": `application/x-amz-json-${version}`, "x-amz-target": target },
    body: JSON.stringify(input),
  });
}

/** `sts:GetCallerIdentity`, the cheapest signed call every AWS client can make; also the readiness probe. */
export const getCallerIdentity = (host: string): HttpRequestSpec =>
  queryRequest(host, "sts", { Action: "GetCallerIdentity", Version: "2011-06-15" });
