/**
 * IAM resource policies (topic, queue, bucket and event-bus policies): parsing, validation and evaluation for the
 * principals Vigil sees (accounts, their users and roles, AWS service principals, anonymous callers).
 * See README.md in this folder for examples.
 */
import { evaluate } from "./evaluate.js";
import { parsePolicy } from "./parse.js";
import type { Decision, ParseOptions, Policy, Principal, PolicyRequest } from "./types.js";

export type {
  ConditionClause,
  ConditionOperatorName,
  Decision,
  ParseOptions,
  Policy,
  PolicyRequest,
  PolicyVersion,
  Principal,
  PrincipalSet,
  Statement,
  StringMatcher,
} from "./types.js";
export { PolicyError, isPolicyError } from "./errors.js";
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_STATEMENTS, parsePolicy } from "./parse.js";
export { evaluate } from "./evaluate.js";
export { compileGlob, globMatches } from "./glob.js";

/** Parsed policies by text: services call allows() on hot paths (every Publish, every PutObject). */
const cache = new Map<string, Policy | null>();
const CACHE_SIZE = 256;

function cachedParse(text: string, options?: ParseOptions): Policy | null {
  const key = options ? `${JSON.stringify(options)}\u0000${text}` : text;
  let policy = cache.get(key);
  if (policy === undefined) {
    try {
      // Stored text was validated (with the service's own size limit) when it was set: no size cap here.
      policy = parsePolicy(text, { maxBytes: Number.MAX_SAFE_INTEGER, ...options });
    } catch {
      policy = null;
    }
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, policy);
  }
  return policy;
}

/**
 * True when `policyText` is present and allows `req`. A policy that does not parse allows nothing (services validate
 * policies when they are set, so this only guards stored text).
 */
export function allows(policyText: string | undefined, req: PolicyRequest, options?: ParseOptions): boolean {
  if (!policyText) return false;
  const policy = cachedParse(policyText, options);
  return policy !== null && evaluate(policy, req) === "Allow";
}

/** The decision of a stored policy text (undefined or unparsable: Implicit). */
export function decide(policyText: string | undefined, req: PolicyRequest, options?: ParseOptions): Decision {
  const policy = policyText ? cachedParse(policyText, options) : null;
  return policy ? evaluate(policy, req) : "Implicit";
}

/**
 * The principal of a caller as the gateway identifies it (ctx.identity: account and ARN). An unsigned request has
 * an empty ARN (src/gateway/identity.ts anonymousIdentity) and is Anonymous.
 */
export function principalFor(identity: { account: string; arn: string }): Principal {
  if (!identity.arn) return { type: "Anonymous" };
  return { type: "AWS", account: identity.account, arn: identity.arn };
}
