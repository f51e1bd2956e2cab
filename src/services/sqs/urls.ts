/**
 * Queue URLs and ARNs. A queue URL is built from the endpoint the client called (`http://127.0.0.1:4566/<account>/<queue>`),
 * so it works from wherever the client is; any URL whose path ends in `/<account>/<queue>` finds the queue whatever its
 * host (AWS's `https://sqs.<region>.amazonaws.com/...`, LocalStack's forms), and a bare queue name means a queue of the
 * caller's account, as SQS accepts.
 */
import { partition } from "../../runtime/regions.js";
import type { RequestContext } from "../types.js";
import { invalidAddress } from "./errors.js";

export const queueUrl = (endpoint: string, account: string, name: string): string => `${endpoint}/${account}/${name}`;

export const queueArn = (region: string, account: string, name: string): string =>
  `arn:${partition(region)}:sqs:${region}:${account}:${name}`;

export interface QueueRef {
  account: string;
  region: string;
  name: string;
}

const ACCOUNT = /^\d{12}$/;

/**
 * The queue a QueueUrl names: the account and name from the URL's last two path segments, the region the caller
 * signed for. Undefined when the URL names no queue this endpoint could hold (answered as a missing queue).
 */
export function queueFromUrl(value: string, ctx: Pick<RequestContext, "account" | "region">): QueueRef | undefined {
  if (!value.includes("/")) return { account: ctx.account, region: ctx.region, name: value };
  let path = value;
  const scheme = value.indexOf("://");
  if (scheme >= 0) {
    const slash = value.indexOf("/", scheme + 3);
    if (slash < 0) throw invalidAddress(value);
    path = value.slice(slash);
  }
  const q = path.indexOf("?");
  if (q >= 0) path = path.slice(0, q);
  const parts = path.split("/").filter((p) => p !== "");
  if (parts.length < 2) {
    if (parts.length === 0) throw invalidAddress(value);
    return undefined;
  }
  const name = safeDecode(parts[parts.length - 1]!);
  const account = parts[parts.length - 2]!;
  if (!ACCOUNT.test(account) || name === undefined) return undefined;
  return { account, region: ctx.region, name };
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** An SQS queue ARN's parts; undefined when it is not one. */
export function parseQueueArn(arn: string): QueueRef | undefined {
  const m = /^arn:aws[\w-]*:sqs:([a-z0-9-]+):(\d{12}):([^:/]+)$/.exec(arn);
  return m ? { region: m[1]!, account: m[2]!, name: m[3]! } : undefined;
}
