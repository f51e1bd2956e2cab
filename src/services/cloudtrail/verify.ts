/**
 * `vigil verify-trail`: the checks `aws cloudtrail validate-logs` makes (spec cloudtrail.md §4.7, §4.8), offline on a
 * directory holding the bucket's objects or online through Vigil's S3 and CloudTrail APIs. Each digest whose end
 * time lies in [start, end + 1h] is checked (gzip+JSON, required fields, location, known key fingerprint, SHA256withRSA
 * signature), then each log file it lists (present, SHA-256 of the uncompressed bytes). Beyond the CLI, the chain is
 * checked too: previousDigestSignature / previousDigestHashValue must match the previous digest object.
 * Messages are the CLI's.
 */
import { gunzipSync } from "node:zlib";
import { sha256Hex, stringToSign, verifyHex } from "./signing.js";

export interface VerifySource {
  /** Keys under `prefix`, ascending. */
  list(prefix: string): Promise<string[]>;
  /** The object's bytes and lower-case user metadata; undefined when missing. */
  get(key: string): Promise<{ body: Buffer; metadata: Record<string, string> } | undefined>;
}

export interface VerifyOptions {
  trailArn: string;
  bucket: string;
  prefix?: string;
  /** Epoch ms. */
  start: number;
  end: number;
  /** Source region of the digests (default: the trail's home region). */
  region?: string;
  /** Fingerprint -> PKCS#1 DER. */
  publicKeys: Map<string, Buffer>;
}

export interface VerifyResult {
  out: string[];
  err: string[];
  digestsValid: number;
  digestsInvalid: number;
  logsValid: number;
  logsInvalid: number;
}

const fmt = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
const keyTime = (key: string) => key.slice(-24, -8);
const compact = (ms: number) => fmt(ms).replace(/[-:]/g, "");

export async function verifyTrail(src: VerifySource, o: VerifyOptions): Promise<VerifyResult> {
  const m = /^arn:[^:]+:cloudtrail:([^:]+):(\d{12}):trail\/(.+)$/.exec(o.trailArn);
  if (!m) throw new Error(`Invalid trail ARN: ${o.trailArn}`);
  const [, home, account, name] = m;
  const region = o.region ?? home;
  const base = `${o.prefix ? o.prefix + "/" : ""}AWSLogs/${account}/CloudTrail-Digest/${region}`;
  const r: VerifyResult = { out: [], err: [], digestsValid: 0, digestsInvalid: 0, logsValid: 0, logsInvalid: 0 };
  const s3 = (k: string) => `s3://${o.bucket}/${k}`;
  const lo = compact(o.start);
  const hi = compact(o.end + 3600_000);
  const digestName = new RegExp(
    `/${account}_CloudTrail-Digest_${region}_${escape(name)}_${home}_\\d{8}T\\d{6}Z\\.json\\.gz$`,
  );
  const keys = (await src.list(base + "/")).filter((k) => digestName.test(k) && keyTime(k) >= lo && keyTime(k) <= hi);
  r.out.push(`Validating log files for trail ${o.trailArn} between ${fmt(o.start)} and ${fmt(o.end)}`, "");
  let previous: { key: string; signature: string; hash: string } | undefined;
  for (const key of keys) {
    const bad = (why: string) => {
      r.digestsInvalid++;
      r.err.push(`Digest file\t${s3(key)}\tINVALID: ${why}`, "");
    };
    const obj = await src.get(key);
    if (!obj) {
      bad("not found");
      previous = undefined;
      continue;
    }
    let raw: Buffer;
    let d: Record<string, unknown>;
    try {
      raw = gunzipSync(obj.body);
      d = JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
    } catch {
      bad("invalid format");
      previous = undefined;
      continue;
    }
    const signature = obj.metadata.signature;
    const required = [
      "digestPublicKeyFingerprint",
      "digestS3Bucket",
      "digestS3Object",
      "previousDigestSignature",
      "digestEndTime",
      "digestStartTime",
      "logFiles",
    ];
    if (!signature || !obj.metadata["signature-algorithm"]) {
      bad("signature verification failed");
      previous = undefined;
      continue;
    }
    if (required.some((f) => !(f in d))) {
      bad("invalid format");
      previous = undefined;
      continue;
    }
    if (d.digestS3Bucket !== o.bucket || d.digestS3Object !== key) {
      bad("has been moved from its original location");
      previous = undefined;
      continue;
    }
    const fp = String(d.digestPublicKeyFingerprint);
    const der = o.publicKeys.get(fp);
    if (!der) {
      bad(`public key not found in region ${home} for fingerprint ${fp}`);
      previous = undefined;
      continue;
    }
    const hash = sha256Hex(raw);
    const prevSig = d.previousDigestSignature === null ? null : String(d.previousDigestSignature);
    if (!verifyHex(der, stringToSign(String(d.digestEndTime), o.bucket, key, hash, prevSig), signature)) {
      bad("signature verification failed");
      previous = undefined;
      continue;
    }
    if (previous && d.previousDigestS3Object === previous.key) {
      if (prevSig !== previous.signature || d.previousDigestHashValue !== previous.hash) {
        bad("previous digest does not match its successor's chain fields");
        previous = undefined;
        continue;
      }
    }
    r.digestsValid++;
    r.out.push(`Digest file\t${s3(key)}\tvalid`);
    previous = { key, signature, hash };
    for (const f of d.logFiles as { s3Bucket: string; s3Object: string; hashValue: string }[]) {
      const loc = `s3://${f.s3Bucket}/${f.s3Object}`;
      const log = f.s3Bucket === o.bucket ? await src.get(f.s3Object) : undefined;
      let outcome = "valid";
      if (!log) outcome = "INVALID: not found";
      else {
        try {
          if (sha256Hex(gunzipSync(log.body)) !== f.hashValue) outcome = "INVALID: hash value doesn't match";
        } catch {
          outcome = "INVALID: invalid format";
        }
      }
      if (outcome === "valid") {
        r.logsValid++;
        r.out.push(`Log file\t${loc}\tvalid`);
      } else {
        r.logsInvalid++;
        r.err.push(`Log file\t${loc}\t${outcome}`, "");
      }
    }
  }
  r.out.push("", `Results requested for ${fmt(o.start)} to ${fmt(o.end)}`);
  const total = r.digestsValid + r.digestsInvalid;
  if (total === 0) r.out.push("No digests found");
  else {
    const line = (valid: number, invalid: number, what: string) =>
      `\n${valid}/${valid + invalid} ${what} files valid` +
      (invalid ? `, ${invalid}/${valid + invalid} ${what} files INVALID` : "");
    r.out.push(line(r.digestsValid, r.digestsInvalid, "digest"));
    if (r.logsValid + r.logsInvalid) r.out.push(line(r.logsValid, r.logsInvalid, "log"));
  }
  return r;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
