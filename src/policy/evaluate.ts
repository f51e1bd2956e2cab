/**
 * evaluate: IAM's decision for one request against one resource policy. An explicit Deny wins; else an Allow
 * statement that matches allows; else the decision is implicit (the service's default applies).
 * AWS page: "Policy evaluation logic" (the resource-based policy part).
 */
import { clauseHolds, type ContextValues } from "./conditions.js";
import type { Context } from "./template.js";
import type { Decision, Policy, PolicyRequest, Principal, PrincipalSet, Statement, StringMatcher } from "./types.js";

const ASSUMED_ROLE = /^arn:[a-z-]+:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;

function principalIn(set: PrincipalSet, p: Principal): boolean {
  if (set.any) return true;
  if (p.type === "Service") return set.services.has(p.service.toLowerCase());
  if (p.type === "Anonymous") return false;
  // "When you specify an AWS account, ... you grant access to all principals in that account" (account or root ARN).
  if (set.accounts.has(p.account) || set.arns.has(p.arn)) return true;
  // A role ARN in a policy also names every session of that role.
  const m = ASSUMED_ROLE.exec(p.arn);
  return m !== null && set.roles.has(`${m[1]}/${m[2]}`);
}

const anyOf = (list: readonly StringMatcher[], v: string, ctx: Context) => list.some((m) => m.test(v, ctx));

/** The request context with lower-case keys, plus the global keys Vigil can derive from the principal. */
export function contextOf(req: PolicyRequest): Map<string, ContextValues> {
  const ctx = new Map<string, ContextValues>();
  const p = req.principal;
  // Derived keys come first so that values the service passes win.
  if (p.type === "AWS") {
    ctx.set("aws:principalaccount", [p.account]);
    ctx.set("aws:principalarn", [p.arn]);
    ctx.set("aws:principaltype", [principalType(p.arn)]);
    // SNS's default topic policy limits callers with AWS:SourceOwner = the topic owner: for a direct call, the
    // source owner is the caller's account (assumption; it makes that policy admit exactly the owner account).
    // Not derived for service principals: AWS requires an explicit topic policy for S3 or EventBridge to publish;
    // a service that AWS admits through the default policy (CloudWatch alarms) passes aws:SourceOwner itself.
    ctx.set("aws:sourceowner", [p.account]);
  } else if (p.type === "Service") {
    ctx.set("aws:principalservicename", [p.service]);
    ctx.set("aws:principalisawsservice", ["true"]);
  }
  if (p.type === "Anonymous") ctx.set("aws:principaltype", ["Anonymous"]);
  if (p.type !== "Service") ctx.set("aws:principalisawsservice", ["false"]);
  for (const [k, v] of Object.entries(req.context ?? {})) {
    if (v === undefined) continue;
    ctx.set(k.toLowerCase(), typeof v === "string" ? [v] : v);
  }
  return ctx;
}

function principalType(arn: string): string {
  if (/:root$/.test(arn)) return "Account";
  if (/:assumed-role\//.test(arn)) return "AssumedRole";
  if (/:federated-user\//.test(arn)) return "FederatedUser";
  return "User";
}

/** True when every element of the statement matches the request. */
export function statementMatches(s: Statement, req: PolicyRequest, ctx: Map<string, ContextValues>): boolean {
  if (s.principal && !principalIn(s.principal, req.principal)) return false;
  if (s.notPrincipal && principalIn(s.notPrincipal, req.principal)) return false;
  if (s.action && !anyOf(s.action, req.action, ctx)) return false;
  if (s.notAction && anyOf(s.notAction, req.action, ctx)) return false;
  if (s.resource && !anyOf(s.resource, req.resource, ctx)) return false;
  if (s.notResource && anyOf(s.notResource, req.resource, ctx)) return false;
  // Several keys and several operators in one Condition element are ANDed.
  for (const c of s.conditions) if (!clauseHolds(c, ctx)) return false;
  return true;
}

/** The decision of `policy` for `req`. */
export function evaluate(policy: Policy, req: PolicyRequest): Decision {
  const ctx = contextOf(req);
  let allowed = false;
  for (const s of policy.statements) {
    if (s.effect === "Allow" && allowed) continue; // only a Deny can change the outcome now
    if (!statementMatches(s, req, ctx)) continue;
    if (s.effect === "Deny") return "Deny";
    allowed = true;
  }
  return allowed ? "Allow" : "Implicit";
}
