/**
 * Dev-mode identities. A 12-digit access key id selects that account; any other key belongs to the default account.
 * The caller is an IAM user named after its access key, so CloudTrail's userIdentity, LookupEvents' Username and
 * sts:GetCallerIdentity all agree.
 */
import { partition } from "../runtime/regions.js";
import { stableIamId } from "../runtime/ids.js";
import type { Identity } from "../services/types.js";

const ACCOUNT = /^\d{12}$/;

export function devIdentity(accessKeyId: string, region: string, defaultAccount: string): Identity {
  const account = ACCOUNT.test(accessKeyId) ? accessKeyId : defaultAccount;
  const userName = accessKeyId;
  return {
    accessKeyId,
    account,
    region,
    userName,
    principalId: stableIamId("AIDA", `${account}:${accessKeyId}`),
    arn: `arn:${partition(region)}:iam::${account}:user/${userName}`,
  };
}

/** An unsigned request: anonymous, in the default account. */
export function anonymousIdentity(region: string, defaultAccount: string): Identity {
  return { accessKeyId: "", account: defaultAccount, region, userName: "", principalId: "", arn: "" };
}
