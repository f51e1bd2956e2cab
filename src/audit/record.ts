/**
 * Builds the CloudTrail record of one API call, as AWS writes it (record contents, eventVersion 1.11):
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import type { AwsError } from "../errors/index.js";
import type { ServiceModel, Shape } from "../protocol/model.js";
import type { Identity, ServiceDef } from "../services/types.js";
import type { AuditRow } from "../storage/types.js";

/** CloudTrail writes this in place of values of sensitive members. */
export const HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS";
/** Request parameters or response elements larger than this are left out of the record. */
const MAX_ELEMENTS_BYTES = 100 * 1024;

const READ_ONLY = /^(Get|List|Describe|Head|Lookup|Test|Filter|Select|Search|Query|Check|Validate|Batch(Get|Describe))/;

export const isReadOnly = (operation: string): boolean => READ_ONLY.test(operation);

/** CloudTrail's eventTime: UTC to the second. */
export const eventTimeString = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + "Z";

const lowerFirst = (s: string) => (s.length === 0 ? s : s[0]!.toLowerCase() + s.slice(1));

/** Input or output members as CloudTrail shows them: lower-camel keys, ISO timestamps, sensitive values hidden, blobs left out. */
export function toRecordElements(model: ServiceModel, shapeName: string, value: unknown): unknown {
  const shape: Shape | undefined = model.shapes[shapeName];
  if (value === undefined || value === null || !shape) return value ?? null;
  if (shape.sensitive) return HIDDEN;
  switch (shape.type) {
    case "structure": {
      if (typeof value !== "object") return value;
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = (value as Record<string, unknown>)[name];
        if (v === undefined || v === null || ref.streaming || model.shapes[ref.shape]?.type === "blob") continue;
        out[lowerFirst(name)] = toRecordElements(model, ref.shape, v);
      }
      return out;
    }
    case "list":
      return Array.isArray(value) ? value.map((v) => toRecordElements(model, shape.member!.shape, v)) : value;
    case "map": {
      if (typeof value !== "object") return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out[k] = toRecordElements(model, shape.value!.shape, v);
      }
      return out;
    }
    case "timestamp":
      return value instanceof Date
        ? value.toISOString()
        : typeof value === "number"
          ? new Date(value).toISOString()
          : value;
    default:
      return value;
  }
}

function elements(model: ServiceModel, shapeName: string | undefined, value: unknown): unknown {
  if (!shapeName || value === undefined || value === null) return null;
  const out = toRecordElements(model, shapeName, value);
  if (out && typeof out === "object" && Object.keys(out).length === 0) return null;
  return out;
}

export interface CallFacts {
  def: ServiceDef;
  model: ServiceModel;
  operation: string;
  input: Record<string, unknown> | undefined;
  output: unknown;
  error: AwsError | undefined;
  identity: Identity;
  /** The region the call was recorded in (global services: us-east-1). */
  region: string;
  eventTime: number;
  eventId: string;
  requestId: string;
  sourceIp: string;
  userAgent: string;
  signed: boolean;
  /** Size of the request body as received: a body over the elements cap is never converted (ingest hot paths). */
  requestBytes: number;
}

function userIdentity(f: CallFacts) {
  if (!f.signed) return { type: "AWSAccount", principalId: "", accountId: "anonymous" };
  return {
    type: "IAMUser",
    principalId: f.identity.principalId,
    arn: f.identity.arn,
    accountId: f.identity.account,
    accessKeyId: f.identity.accessKeyId,
    userName: f.identity.userName,
  };
}

function bounded(v: unknown): unknown {
  if (v === null) return null;
  const json = JSON.stringify(v);
  return json.length > MAX_ELEMENTS_BYTES ? null : v;
}

/** The audit row for a call; the record is serialized once, here. */
export function buildAuditRow(f: CallFacts): AuditRow {
  const op = f.model.operations[f.operation];
  const readOnly = isReadOnly(f.operation);
  const data = f.def.dataEvents?.has(f.operation) ?? false;
  const record: Record<string, unknown> = {
    eventVersion: "1.11",
    userIdentity: userIdentity(f),
    eventTime: eventTimeString(f.eventTime),
    eventSource: f.def.eventSource,
    eventName: f.operation,
    awsRegion: f.region,
    sourceIPAddress: f.sourceIp,
    userAgent: f.userAgent,
  };
  if (f.error) {
    record.errorCode = f.error.code;
    record.errorMessage = f.error.message;
  }
  record.requestParameters =
    f.requestBytes > MAX_ELEMENTS_BYTES ? null : bounded(elements(f.model, op?.input?.shape, f.input));
  record.responseElements = readOnly || f.error ? null : bounded(elements(f.model, op?.output?.shape, f.output));
  record.requestID = f.requestId;
  record.eventID = f.eventId;
  record.readOnly = readOnly;
  record.eventType = "AwsApiCall";
  record.apiVersion = f.model.metadata.apiVersion;
  record.managementEvent = !data;
  record.recipientAccountId = f.identity.account;
  record.eventCategory = data ? "Data" : "Management";

  const resources: { type: string; name: string }[] = [];
  if (f.def.resourceMembers && f.input) {
    for (const [member, type] of Object.entries(f.def.resourceMembers)) {
      const v = f.input[member];
      if (typeof v === "string") resources.push({ type, name: v });
      else if (Array.isArray(v)) for (const x of v) if (typeof x === "string") resources.push({ type, name: x });
    }
  }
  return {
    eventId: f.eventId,
    account: f.identity.account,
    region: f.region,
    eventTime: f.eventTime,
    eventName: f.operation,
    eventSource: f.def.eventSource,
    readOnly,
    username: f.signed ? f.identity.userName : null,
    accessKeyId: f.signed ? f.identity.accessKeyId : null,
    eventCategory: data ? "Data" : "Management",
    resources,
    record: JSON.stringify(record),
  };
}
