/**
 * Bucket policies: the checks PutBucketPolicy makes (MalformedPolicy) and their evaluation for the principals Vigil
 * sees (accounts and their users, AWS service principals such as cloudtrail.amazonaws.com). S3's own wording comes
 * first for the mistakes S3 names (invalid action, resource outside the bucket, missing fields, ...); the shared
 * engine (src/policy/) then validates the rest (condition operators, versions, size) and evaluates: an explicit
 * Deny wins, then an Allow, else implicit deny.
 */
import { decide, parsePolicy, PolicyError } from "../../policy/index.js";
import type { Decision, PolicyRequest } from "../../policy/index.js";
import { malformedPolicy } from "./errors.js";

export type { Decision, Principal, PolicyRequest } from "../../policy/index.js";

/** S3's limit on a bucket policy (20 KB). */
const MAX_POLICY_BYTES = 20 * 1024;

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Linear-time glob match: `*` any run, `?` one character; `ci` compares case-insensitively (actions). */
export function globMatch(pattern: string, text: string, ci = false): boolean {
  if (ci) {
    pattern = pattern.toLowerCase();
    text = text.toLowerCase();
  }
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === "?" || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}

const STATEMENT_KEYS = new Set([
  "Sid",
  "Effect",
  "Principal",
  "NotPrincipal",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Condition",
]);

/** Parses and checks a bucket policy for `bucket`; throws MalformedPolicy with S3's messages. */
export function parseBucketPolicy(text: string, bucket: string): void {
  if (!text.trimStart().startsWith("{"))
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformedPolicy("This policy contains invalid Json");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw malformedPolicy("This policy contains invalid Json");
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) {
    if (!["Version", "Id", "Statement"].includes(k)) throw malformedPolicy(`Unknown field ${k}`);
  }
  if (d.Version !== undefined && d.Version !== "2012-10-17" && d.Version !== "2008-10-17") {
    throw malformedPolicy("Invalid policy version");
  }
  if (d.Statement === undefined) throw malformedPolicy("Missing required field Statement");
  const statements = list(d.Statement as unknown);
  for (const s of statements) {
    if (typeof s !== "object" || s === null || Array.isArray(s))
      throw malformedPolicy("This policy contains invalid Json");
    const st = s as Record<string, unknown>;
    for (const k of Object.keys(st)) if (!STATEMENT_KEYS.has(k)) throw malformedPolicy(`Unknown field ${k}`);
    if (st.Effect === undefined) throw malformedPolicy("Missing required field Effect");
    if (st.Effect !== "Allow" && st.Effect !== "Deny") throw malformedPolicy(`Invalid effect: ${String(st.Effect)}`);
    if (st.Principal === undefined && st.NotPrincipal === undefined)
      throw malformedPolicy("Missing required field Principal");
    checkPrincipal(st.Principal ?? st.NotPrincipal);
    if (st.Action === undefined && st.NotAction === undefined) throw malformedPolicy("Missing required field Action");
    const actions = list(st.Action ?? st.NotAction) as unknown[];
    for (const a of actions) {
      if (typeof a !== "string" || !(a === "*" || /^s3:[A-Za-z0-9*?]+$/.test(a))) {
        throw malformedPolicy("Policy has invalid action");
      }
    }
    if (st.Resource === undefined && st.NotResource === undefined)
      throw malformedPolicy("Missing required field Resource");
    const resources = list(st.Resource ?? st.NotResource) as unknown[];
    for (const r of resources) {
      // A bucket policy may only name the bucket and its objects.
      if (
        typeof r !== "string" ||
        !(
          r === `arn:aws:s3:::${bucket}` ||
          r.startsWith(`arn:aws:s3:::${bucket}/`) ||
          globMatch(r, `arn:aws:s3:::${bucket}`)
        )
      ) {
        throw malformedPolicy("Policy has invalid resource");
      }
    }
    if (
      st.Condition !== undefined &&
      (typeof st.Condition !== "object" || st.Condition === null || Array.isArray(st.Condition))
    ) {
      throw malformedPolicy("Invalid Condition");
    }
  }
  try {
    parsePolicy(text, { requireResource: true, maxBytes: MAX_POLICY_BYTES });
  } catch (e) {
    if (e instanceof PolicyError) throw malformedPolicy(e.reason);
    throw e;
  }
}

function checkPrincipal(p: unknown): void {
  if (p === "*") return;
  if (typeof p !== "object" || p === null || Array.isArray(p)) throw malformedPolicy("Invalid principal in policy");
  for (const [kind, v] of Object.entries(p as Record<string, unknown>)) {
    if (!["AWS", "Service", "CanonicalUser", "Federated"].includes(kind))
      throw malformedPolicy("Invalid principal in policy");
    for (const x of list(v as unknown)) {
      if (typeof x !== "string") throw malformedPolicy("Invalid principal in policy");
      if (kind === "AWS" && !(x === "*" || /^\d{12}$/.test(x) || /^arn:aws[a-z-]*:(iam|sts)::\d{12}:.+$/.test(x))) {
        throw malformedPolicy("Invalid principal in policy");
      }
    }
  }
}

/** Evaluates a stored (already validated) policy with the shared engine. */
export function evaluatePolicy(policy: string | null | undefined, req: PolicyRequest): Decision {
  return policy ? decide(policy, req) : "Implicit";
}
