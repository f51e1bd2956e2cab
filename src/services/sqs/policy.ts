/**
 * AddPermission and RemovePermission: statements in the queue's Policy attribute, as SQS writes them (recorded):
 * `{"Version":"2008-10-17","Id":"<queue arn>/SQSDefaultPolicy","Statement":[{"Sid":<label>,"Effect":"Allow",
 * "Principal":{"AWS":<account root ARNs>},"Action":"SQS:<action>","Resource":<queue arn>}]}`; a single principal or
 * action is a string, several a list (principals in reverse order of the request, as recorded).
 */
import { awsError } from "../../errors/index.js";
import { partition } from "../../runtime/regions.js";
import { invalidParameter } from "./errors.js";

/** Actions a permission can grant (AddPermission API reference: any action but the queue-management ones, or *). */
const ACTIONS = new Set([
  "*",
  "SendMessage",
  "SendMessageBatch",
  "ReceiveMessage",
  "DeleteMessage",
  "DeleteMessageBatch",
  "ChangeMessageVisibility",
  "ChangeMessageVisibilityBatch",
  "GetQueueAttributes",
  "GetQueueUrl",
  "ListDeadLetterSourceQueues",
  "ListQueueTags",
  "PurgeQueue",
  "StartMessageMoveTask",
  "ListMessageMoveTasks",
  "CancelMessageMoveTask",
]);
const MAX_ACTIONS = 7;

interface Statement {
  Sid: string;
  Effect: string;
  Principal: { AWS: string | string[] };
  Action: string | string[];
  Resource: string;
}

interface PolicyDocument {
  Version: string;
  Id: string;
  Statement: Statement[];
}

function parse(policy: string | undefined, arn: string): PolicyDocument {
  if (policy) {
    const doc = JSON.parse(policy) as Partial<PolicyDocument>;
    const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
    return {
      ...doc,
      Version: doc.Version ?? "2008-10-17",
      Id: doc.Id ?? `${arn}/SQSDefaultPolicy`,
      Statement: statements,
    };
  }
  return { Version: "2008-10-17", Id: `${arn}/SQSDefaultPolicy`, Statement: [] };
}

/** The Policy attribute after AddPermission. */
export function addPermission(
  policy: string | undefined,
  arn: string,
  region: string,
  label: string,
  accounts: string[],
  actions: string[],
): string {
  if (actions.length > MAX_ACTIONS)
    throw awsError("OverLimit", `${actions.length} Actions were found, maximum allowed is ${MAX_ACTIONS}.`, 403);
  for (const a of actions)
    if (!ACTIONS.has(a))
      throw invalidParameter(
        "ActionName",
        `SQS:${a}`,
        "Please refer to the appropriate WSDL for a list of valid actions.",
      );
  for (const a of accounts)
    if (!/^\d{12}$/.test(a))
      throw invalidParameter(
        "AWSAccountIds",
        a,
        "Account IDs must be 12 digits (AddPermission does not support non-account principals).",
      );
  const doc = parse(policy, arn);
  if (doc.Statement.some((s) => s.Sid === label)) throw invalidParameter("Label", label, "Already exists.");
  const principals = [...accounts].reverse().map((a) => `arn:${partition(region)}:iam::${a}:root`);
  const grants = actions.map((a) => `SQS:${a}`);
  doc.Statement.push({
    Sid: label,
    Effect: "Allow",
    Principal: { AWS: principals.length === 1 ? principals[0]! : principals },
    Action: grants.length === 1 ? grants[0]! : grants,
    Resource: arn,
  });
  return JSON.stringify(doc);
}

/** The Policy attribute after RemovePermission ("" once no statement is left: the attribute goes away). */
export function removePermission(policy: string | undefined, arn: string, label: string): string {
  const doc = parse(policy, arn);
  const kept = doc.Statement.filter((s) => s.Sid !== label);
  if (kept.length === doc.Statement.length) throw invalidParameter("Label", label, "can't find label.");
  if (kept.length === 0) return "";
  return JSON.stringify({ ...doc, Statement: kept });
}
