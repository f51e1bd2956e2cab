/**
 * The target of AssociateKmsKey / DisassociateKmsKey: a log group, named by `logGroupName` or by its ARN in
 * `resourceIdentifier` (exactly one of them), or the account's query results (`...:query-result:*`).
 */
import { awsError } from "../../errors/index.js";
import type { LogsScope } from "../../storage/logs-store.js";
import { groupNameFromArn, parseLogsArn } from "./arns.js";
import { groupNotFound, invalidParameter } from "./errors.js";

export function kmsTargetGroup(
  operation: string,
  scope: LogsScope,
  input: { logGroupName?: string; resourceIdentifier?: string },
): string {
  const { logGroupName, resourceIdentifier } = input;
  if ((logGroupName === undefined) === (resourceIdentifier === undefined))
    throw invalidParameter("Specify either logGroupName or resourceIdentifier, but not both.");
  if (logGroupName !== undefined) return logGroupName;
  const arn = parseLogsArn(resourceIdentifier!);
  if (arn?.resourceType === "query-result")
    // Logs Insights is not implemented, so there are no stored query results to encrypt.
    throw awsError(
      "NotImplemented",
      `Vigil does not implement logs:${operation} for query results yet (see docs/compatibility.md).`,
      501,
    );
  if (arn?.resourceType !== "log-group") throw invalidParameter(`Invalid resourceIdentifier: ${resourceIdentifier}`);
  const name = groupNameFromArn(scope, resourceIdentifier!);
  if (name === undefined) throw groupNotFound();
  return name;
}
