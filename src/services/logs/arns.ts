/**
 * CloudWatch Logs ARNs (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html):
 * a log group is `arn:<partition>:logs:<region>:<account>:log-group:<name>`; DescribeLogGroups also answers the
 * form with a trailing `:*` (`arn`), which IAM policies use, while tagging and `logGroupIdentifier` take the bare one
 * (`logGroupArn`). A stream is `<group arn>:log-stream:<name>`.
 */
import { partition } from "../../runtime/regions.js";
import type { LogsScope } from "../../storage/logs-store.js";

export const logGroupArn = (scope: LogsScope, name: string): string =>
  `arn:${partition(scope.region)}:logs:${scope.region}:${scope.account}:log-group:${name}`;

/** The `arn` member of a LogGroup: the group ARN with `:*`. */
export const logGroupArnWildcard = (scope: LogsScope, name: string): string => `${logGroupArn(scope, name)}:*`;

export const logStreamArn = (scope: LogsScope, group: string, stream: string): string =>
  `${logGroupArn(scope, group)}:log-stream:${stream}`;

export interface LogsArn {
  partition: string;
  region: string;
  account: string;
  /** "log-group", "destination", ... */
  resourceType: string;
  /** Everything after the resource type, e.g. the group name (and `:*` or `:log-stream:...` if present). */
  resource: string;
}

/** Splits a `logs` ARN; undefined when it is not one. */
export function parseLogsArn(arn: string): LogsArn | undefined {
  const parts = arn.split(":");
  if (parts.length < 7 || parts[0] !== "arn" || parts[2] !== "logs") return undefined;
  const [, p, , region, account, resourceType] = parts as [string, string, string, string, string, string];
  return { partition: p, region, account, resourceType, resource: parts.slice(6).join(":") };
}

/**
 * The group a bare log-group ARN names, when it is one of the caller's (same partition, region and account);
 * undefined for any other ARN. `:*` and stream ARNs are not group ARNs.
 */
export function groupNameFromArn(scope: LogsScope, arn: string): string | undefined {
  const a = parseLogsArn(arn);
  if (!a || a.resourceType !== "log-group" || a.resource === "" || a.resource.includes(":")) return undefined;
  if (a.partition !== partition(scope.region) || a.region !== scope.region || a.account !== scope.account)
    return undefined;
  return a.resource;
}

/** A `logGroupIdentifier` is the group's name or its bare ARN. */
export const groupNameFromIdentifier = (scope: LogsScope, identifier: string): string | undefined =>
  identifier.startsWith("arn:") ? groupNameFromArn(scope, identifier) : identifier;
