/**
 * parsePolicy: validates a JSON resource policy against IAM's grammar and compiles it (globs, condition operators,
 * principal sets). Size and statement caps are checked before any work proportional to the content.
 * AWS pages: "IAM JSON policy element reference" and "IAM JSON policy grammar".
 */
import { compileConditions, isPlainObject } from "./conditions.js";
import { clip, PolicyError } from "./errors.js";
import { compileGlob, compileTokens } from "./glob.js";
import { expandGlob, parseTemplate } from "./template.js";
import type { ParseOptions, Policy, PolicyVersion, PrincipalSet, Statement, StringMatcher } from "./types.js";

export const DEFAULT_MAX_BYTES = 20 * 1024;
export const DEFAULT_MAX_STATEMENTS = 500;

const VERSIONS: ReadonlySet<string> = new Set(["2008-10-17", "2012-10-17"]);
const TOP_KEYS = new Set(["Version", "Id", "Statement"]);
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
const PRINCIPAL_KEYS = new Set(["AWS", "Service", "Federated", "CanonicalUser"]);

export function parsePolicy(text: string, options: ParseOptions = {}): Policy {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof text !== "string") throw new PolicyError("Policy must be a string");
  // UTF-8 length is at least the UTF-16 length: a cheap first check before counting bytes.
  if (text.length > maxBytes || Buffer.byteLength(text, "utf8") > maxBytes)
    throw new PolicyError(`Policy is larger than the maximum size of ${maxBytes} bytes`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new PolicyError("Policy is not valid JSON");
  }
  if (!isPlainObject(doc)) throw new PolicyError("Policy must be a JSON object");
  for (const k of Object.keys(doc))
    if (!TOP_KEYS.has(k)) throw new PolicyError(`Policy has an unknown element "${clip(k)}"`);

  // "If you do not include a Version element, the value defaults to 2008-10-17."
  const version = doc.Version ?? "2008-10-17";
  if (typeof version !== "string" || !VERSIONS.has(version))
    throw new PolicyError(`Version must be "2008-10-17" or "2012-10-17", got ${show(version)}`);
  if (doc.Id !== undefined && typeof doc.Id !== "string") throw new PolicyError("Id must be a string");

  if (doc.Statement === undefined) throw new PolicyError("Policy is missing the Statement element");
  const rawStatements: unknown[] = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const maxStatements = options.maxStatements ?? DEFAULT_MAX_STATEMENTS;
  if (rawStatements.length > maxStatements)
    throw new PolicyError(`Policy has ${rawStatements.length} statements, more than the maximum of ${maxStatements}`);

  // Policy variables exist only in version 2012-10-17; in 2008-10-17 "${...}" is literal text.
  const variables = version === "2012-10-17";
  const statements = rawStatements.map((s, i) =>
    parseStatement(s, rawStatements.length === 1 ? "Statement" : `Statement ${i + 1}`, options, variables),
  );
  return { version: version as PolicyVersion, id: doc.Id as string | undefined, statements, raw: doc };
}

function parseStatement(raw: unknown, where: string, options: ParseOptions, variables: boolean): Statement {
  if (!isPlainObject(raw)) throw new PolicyError(`${where} must be a JSON object`);
  const at = typeof raw.Sid === "string" && raw.Sid ? `${where} (Sid ${clip(JSON.stringify(raw.Sid))})` : where;
  for (const k of Object.keys(raw))
    if (!STATEMENT_KEYS.has(k)) throw new PolicyError(`${at} has an unknown element "${clip(k)}"`);
  if (raw.Sid !== undefined && typeof raw.Sid !== "string") throw new PolicyError(`${at}: Sid must be a string`);
  if (raw.Effect !== "Allow" && raw.Effect !== "Deny")
    throw new PolicyError(`${at}: Effect must be "Allow" or "Deny", got ${show(raw.Effect)}`);

  const both = (a: string, b: string) => {
    if (raw[a] !== undefined && raw[b] !== undefined) throw new PolicyError(`${at} has both ${a} and ${b}`);
  };
  both("Principal", "NotPrincipal");
  both("Action", "NotAction");
  both("Resource", "NotResource");
  if (raw.Action === undefined && raw.NotAction === undefined)
    throw new PolicyError(`${at} is missing the Action or NotAction element`);
  if ((options.requirePrincipal ?? true) && raw.Principal === undefined && raw.NotPrincipal === undefined)
    throw new PolicyError(`${at} is missing the Principal or NotPrincipal element`);
  if (options.requireResource && raw.Resource === undefined && raw.NotResource === undefined)
    throw new PolicyError(`${at} is missing the Resource or NotResource element`);

  return {
    sid: raw.Sid as string | undefined,
    effect: raw.Effect,
    principal: raw.Principal === undefined ? undefined : parsePrincipal(raw.Principal, `${at}: Principal`),
    notPrincipal: raw.NotPrincipal === undefined ? undefined : parsePrincipal(raw.NotPrincipal, `${at}: NotPrincipal`),
    action: raw.Action === undefined ? undefined : parseActions(raw.Action, `${at}: Action`),
    notAction: raw.NotAction === undefined ? undefined : parseActions(raw.NotAction, `${at}: NotAction`),
    resource: raw.Resource === undefined ? undefined : parseResources(raw.Resource, `${at}: Resource`, variables),
    notResource:
      raw.NotResource === undefined ? undefined : parseResources(raw.NotResource, `${at}: NotResource`, variables),
    conditions: compileConditions(raw.Condition, at, variables),
    raw,
  };
}

/** A string or a non-empty list of non-empty strings. */
function strings(raw: unknown, where: string): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new PolicyError(`${where} must not be an empty list`);
  for (const v of list)
    if (typeof v !== "string" || v.length === 0)
      throw new PolicyError(`${where} must be a string or a list of strings, got ${show(v)}`);
  return list as string[];
}

/** Actions are "*" or "<service prefix>:<action glob>", matched without regard to case. */
function parseActions(raw: unknown, where: string): StringMatcher[] {
  return strings(raw, where).map((a) => {
    if (a !== "*" && !/^[A-Za-z0-9-]+:[^:\s]+$/.test(a)) throw new PolicyError(`${where}: invalid action "${clip(a)}"`);
    return compileGlob(a, true);
  });
}

/** Resources are "*" or ARNs (which may hold wildcards), matched with case. */
function parseResources(raw: unknown, where: string, variables: boolean): StringMatcher[] {
  return strings(raw, where).map((r) => {
    if (r !== "*" && !r.startsWith("arn:")) throw new PolicyError(`${where}: invalid resource "${clip(r)}"`);
    const template = variables ? parseTemplate(r) : undefined;
    if (!template) return compileGlob(r);
    return {
      source: r,
      test: (v, ctx) => {
        const tokens = expandGlob(template, ctx ?? new Map());
        return tokens !== undefined && compileTokens(tokens, r).test(v);
      },
    };
  });
}

const ACCOUNT = /^\d{12}$/;
const ROOT = /^arn:[a-z-]+:iam::(\d{12}):root$/;
const ROLE = /^arn:[a-z-]+:iam::(\d{12}):role\/(?:[^*?]*\/)?([^/*?]+)$/;
const IAM_OR_STS = /^arn:[a-z-]+:(iam|sts)::\d{12}:[^*?]+$/;
/** Unique ids (AIDA..., AROA...): what AWS shows after the named user or role was deleted. They match nobody. */
const UNIQUE_ID = /^A[A-Z0-9]{15,127}$/;

/**
 * "*" or {"AWS": ..., "Service": ..., "Federated": ..., "CanonicalUser": ...}. IAM rejects wildcards inside principal
 * ARNs ("You cannot use a wildcard to match part of a principal name or ARN"); "*" alone means everyone.
 */
function parsePrincipal(raw: unknown, where: string): PrincipalSet {
  const set = {
    any: false,
    accounts: new Set<string>(),
    arns: new Set<string>(),
    roles: new Set<string>(),
    services: new Set<string>(),
  };
  if (raw === "*") return { ...set, any: true };
  if (!isPlainObject(raw) || Object.keys(raw).length === 0)
    throw new PolicyError(`${where} must be "*" or an object with AWS, Service, Federated or CanonicalUser`);
  for (const [kind, value] of Object.entries(raw)) {
    if (!PRINCIPAL_KEYS.has(kind)) throw new PolicyError(`${where} has an unknown principal type "${clip(kind)}"`);
    for (const v of strings(value, `${where} ${kind}`)) {
      if (kind === "AWS") {
        let m: RegExpExecArray | null;
        if (v === "*") set.any = true;
        else if (ACCOUNT.test(v)) set.accounts.add(v);
        else if ((m = ROOT.exec(v))) set.accounts.add(m[1]!);
        else if ((m = ROLE.exec(v))) {
          set.arns.add(v);
          set.roles.add(`${m[1]}/${m[2]}`);
        } else if (IAM_OR_STS.test(v)) set.arns.add(v);
        else if (!UNIQUE_ID.test(v)) throw new PolicyError(`${where}: invalid principal "AWS": "${clip(v)}"`);
      } else if (kind === "Service") {
        if (v.includes("*")) throw new PolicyError(`${where}: invalid principal "Service": "${clip(v)}"`);
        set.services.add(v.toLowerCase());
      }
      // Federated and CanonicalUser principals are accepted; Vigil has no such callers, so they match nobody.
    }
  }
  return set;
}

/** A value for an error reason: short, and never a walk of a nested structure (hostile depth). */
function show(v: unknown): string {
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object" && v !== null) return "an object";
  return clip(typeof v === "string" ? JSON.stringify(v) : String(v));
}
