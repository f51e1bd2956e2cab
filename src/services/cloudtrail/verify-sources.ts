/**
 * Where `vigil verify-trail` reads from: a directory holding the bucket's objects (`<dir>/<key>`, each object's user
 * metadata in `<dir>/<key>.metadata.json` as {"signature": ..., "signature-algorithm": ...}, public keys from the JSON
 * `aws cloudtrail list-public-keys` prints), or a running Vigil (S3 ListObjectsV2/GetObject and ListPublicKeys).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import type { VerifySource } from "./verify.js";

export function directorySource(dir: string): VerifySource {
  const root = path.resolve(dir);
  const walk = (d: string, out: string[]) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p, out);
      else if (!name.endsWith(".metadata.json")) out.push(path.relative(root, p).split(path.sep).join("/"));
    }
    return out;
  };
  const inside = (key: string) => {
    const p = path.resolve(root, key);
    return p.startsWith(root + path.sep) ? p : undefined;
  };
  return {
    async list(prefix) {
      return walk(root, [])
        .filter((k) => k.startsWith(prefix))
        .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    },
    async get(key) {
      const p = inside(key);
      if (!p || !existsSync(p) || !statSync(p).isFile()) return undefined;
      const meta = `${p}.metadata.json`;
      const metadata = existsSync(meta) ? (JSON.parse(readFileSync(meta, "utf8")) as Record<string, string>) : {};
      return { body: readFileSync(p), metadata };
    },
  };
}

/** Public keys from `aws cloudtrail list-public-keys` output: fingerprint -> DER. */
export function keysFromFile(file: string): Map<string, Buffer> {
  const parsed = JSON.parse(readFileSync(file, "utf8")) as { PublicKeyList?: { Fingerprint: string; Value: string }[] };
  return new Map((parsed.PublicKeyList ?? []).map((k) => [k.Fingerprint, Buffer.from(k.Value, "base64")]));
}

export interface Endpoint {
  url: string;
  accessKeyId: string;
  region: string;
}

/** Vigil's dev mode takes the account from the access key and does not check the signature itself. */
function auth(e: Endpoint, service: string): Record<string, string> {
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  return {
    "x-amz-date": amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=${e.accessKeyId}/${amzDate.slice(0, 8)}/${e.region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`,
  };
}

export function vigilSource(e: Endpoint, bucket: string): VerifySource {
  const xml = new XMLParser({ isArray: (n) => n === "Contents" });
  const base = e.url.replace(/\/+$/, "");
  const enc = (key: string) => key.split("/").map(encodeURIComponent).join("/");
  return {
    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const q = new URLSearchParams({ "list-type": "2", prefix });
        if (token) q.set("continuation-token", token);
        const res = await fetch(`${base}/${bucket}?${q}`, { headers: auth(e, "s3") });
        if (!res.ok) throw new Error(`ListObjectsV2 ${bucket}: HTTP ${res.status} ${await res.text()}`);
        const doc = xml.parse(await res.text()) as {
          ListBucketResult: { Contents?: { Key: string | number }[]; NextContinuationToken?: string };
        };
        for (const c of doc.ListBucketResult.Contents ?? []) keys.push(String(c.Key));
        token = doc.ListBucketResult.NextContinuationToken;
      } while (token);
      return keys;
    },
    async get(key) {
      // Not fetch(): it would inflate a Content-Encoding: gzip body, and the stored bytes are what is verified.
      const res = await rawGet(`${base}/${bucket}/${enc(key)}`, auth(e, "s3"));
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw new Error(`GetObject ${bucket}/${key}: HTTP ${res.status}`);
      const metadata: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (k.startsWith("x-amz-meta-") && typeof v === "string") metadata[k.slice("x-amz-meta-".length)] = v;
      }
      return { body: res.body, metadata };
    },
  };
}

/** CloudTrail calls of verify-trail against Vigil: the trail's bucket and prefix, and the region's public keys. */
export async function cloudTrailCall(e: Endpoint, op: string, body: unknown): Promise<unknown> {
  const res = await fetch(e.url.replace(/\/+$/, "") + "/", {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.${op}`,
      ...auth(e, "cloudtrail"),
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${op}: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as unknown;
}

function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const lib = url.startsWith("https:") ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.get(url, { headers: { ...headers, "accept-encoding": "identity" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}
