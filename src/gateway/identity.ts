/**
 * Dev-mode identities. A 12-digit access key id selects that account; any other key belongs to the default account.
 * The caller is an IAM user named after its access key, so CloudTrail's userIdentity, LookupEvents' Username and
 * sts:GetCallerIdentity all agree.
 */
import { partition } from "../runtime/regions.js";
import { stableIamId } from "../runtime/ids.js";
import type { Identity } from "../services/types.js";

const ACCOUNT = /^\d{12}$/;

/** Principal ids by account and key: a SHA-256 per request was a visible share of cheap calls. Bounded. */
const principalIds = new Map<string, string>();
const MAX_CACHED_PRINCIPALS = 10_000;

function principalIdOf(account: string, accessKeyId: string): string {
  const seed = `${account}:${accessKeyId}`;
  let id = principalIds.get(seed);
  if (id === undefined) {
    if (principalIds.size >= MAX_CACHED_PRINCIPALS) principalIds.clear();
    id = stableIamId("AIDA", seed);
    principalIds.set(seed, id);
  }
  return id;
}

export function devIdentity(accessKeyId: string, region: string, defaultAccount: string): Identity {
  const account = ACCOUNT.test(accessKeyId) ? accessKeyId : defaultAccount;
  const userName = accessKeyId;
  return {
    accessKeyId,
    account,
    region,
    userName,
    principalId: principalIdOf(account, accessKeyId),
    arn: `arn:${partition(region)}:iam::${account}:user/${userName}`,
  };
}

/** An unsigned request: anonymous, in the default account. */
export function anonymousIdentity(region: string, defaultAccount: string): Identity {
  return { accessKeyId: "", account: defaultAccount, region, userName: "", principalId: "", arn: "" };
}
