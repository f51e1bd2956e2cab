/**
 * Account resource policies (PutResourcePolicy and friends): at most 10 per account and Region, each a JSON policy
 * document of at most 5120 characters (CloudWatch Logs quotas). Resource-scoped policies (`resourceArn`,
 * `policyScope: RESOURCE`, revision ids) are not implemented yet: Put and Delete answer NotImplemented for them,
 * and Describe finds none.
 */
import { awsError } from "../../errors/index.js";
import type { ResourcePolicyRecord } from "../../storage/logs-store.js";
import { invalidParameter } from "./errors.js";

export const MAX_RESOURCE_POLICIES = 10;
export const MAX_POLICY_DOCUMENT_CHARS = 5120;

export const resourceScopedNotImplemented = (operation: string) =>
  awsError(
    "NotImplemented",
    `Vigil does not implement resource-scoped policies (resourceArn) for logs:${operation} yet (see docs/compatibility.md).`,
    501,
  );

/** A required member the model leaves optional (it is optional only for resource-scoped policies). */
export const missing = (member: string) =>
  invalidParameter(
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );

export function checkPolicyDocument(document: string): void {
  if ([...document].length > MAX_POLICY_DOCUMENT_CHARS)
    throw invalidParameter(
      `The policy document exceeds the maximum length of ${MAX_POLICY_DOCUMENT_CHARS} characters.`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw invalidParameter("The policy document is not a valid JSON policy document.");
}

export const resourcePolicyView = (p: ResourcePolicyRecord) => ({
  policyName: p.name,
  policyDocument: p.document,
  lastUpdatedTime: p.lastUpdated,
  policyScope: "ACCOUNT",
});
