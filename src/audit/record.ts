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

type Convert = (value: unknown) => unknown;

/** Converters per model and shape, built once: an audit record is built for every call. */
const converters = new WeakMap<ServiceModel, Map<string, Convert>>();

/**
 * Input or output members as CloudTrail shows them, as JSON: lower-camel keys, ISO timestamps, sensitive values
 * hidden, blobs left out. (Built as objects and serialized by JSON.stringify: measured, that beats writing the text
 * member by member.)
 */
export function recordElementsJson(model: ServiceModel, shapeName: string, value: unknown): string {
  return JSON.stringify(converter(model, shapeName)(value) ?? null) ?? "null";
}

function converter(model: ServiceModel, shapeName: string): Convert {
  let byShape = converters.get(model);
  if (!byShape) converters.set(model, (byShape = new Map()));
  let c = byShape.get(shapeName);
  if (!c) {
    // Member converters are looked up on first use (lazy), so recursive shapes build without recursing here.
    c = buildConverter(model, shapeName);
    byShape.set(shapeName, c);
  }
  return c;
}

function buildConverter(model: ServiceModel, shapeName: string): Convert {
  const shape: Shape | undefined = model.shapes[shapeName];
  if (!shape) return (value) => value ?? null;
  if (shape.sensitive) return (value) => (value === undefined || value === null ? null : HIDDEN);
  const lazy = (name: string): Convert => {
    let c: Convert | undefined;
    return (v) => (c ??= converter(model, name))(v);
  };
  switch (shape.type) {
    case "structure": {
      const members = Object.entries(shape.members ?? {})
        .filter(([, ref]) => !ref.streaming && model.shapes[ref.shape]?.type !== "blob")
        .map(([name, ref]) => ({ name, out: lowerFirst(name), convert: lazy(ref.shape) }));
      return (value) => {
        if (value === undefined || value === null) return null;
        if (typeof value !== "object") return value;
        const out: Record<string, unknown> = {};
        for (const m of members) {
          const v = (value as Record<string, unknown>)[m.name];
          if (v !== undefined && v !== null) out[m.out] = m.convert(v);
        }
        return out;
      };
    }
    case "list": {
      const item = lazy(shape.member!.shape);
      return (value) => (value === undefined || value === null ? null : Array.isArray(value) ? value.map(item) : value);
    }
    case "map": {
      const item = lazy(shape.value!.shape);
      return (value) => {
        if (value === undefined || value === null) return null;
        if (typeof value !== "object") return value;
        // Without a prototype, a "__proto__" key (JSON.parse makes it an own key) stays a key like any other.
        const out = Object.create(null) as Record<string, unknown>;
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = item(v);
        return out;
      };
    }
    case "timestamp":
      return (value) => {
        if (!(value instanceof Date) && typeof value !== "number") return value ?? null;
        // An invalid time (never from the codecs) is written as null rather than failing the call's record.
        const t = new Date(value);
        return Number.isNaN(t.getTime()) ? null : t.toISOString();
      };
    default:
      return (value) => value ?? null;
  }
}

/** The JSON of requestParameters or responseElements: null when absent, empty, or over the size cap. */
function elementsJson(model: ServiceModel, shapeName: string | undefined, value: unknown): string {
  if (!shapeName || value === undefined || value === null) return "null";
  const out = recordElementsJson(model, shapeName, value);
  return out === "{}" || out === "[]" || out.length > MAX_ELEMENTS_BYTES ? "null" : out;
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

/** The audit row for a call; the record is serialized once, here. */
export function buildAuditRow(f: CallFacts): AuditRow {
  const op = f.model.operations[f.operation];
  const readOnly = isReadOnly(f.operation);
  const data = f.def.dataEvents?.has(f.operation) ?? false;
  const head: Record<string, unknown> = {
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
    head.errorCode = f.error.code;
    head.errorMessage = f.error.message;
  }
  const requestParameters =
    f.requestBytes > MAX_ELEMENTS_BYTES ? "null" : elementsJson(f.model, op?.input?.shape, f.input);
  const responseElements = readOnly || f.error ? "null" : elementsJson(f.model, op?.output?.shape, f.output);
  const tail = {
    requestID: f.requestId,
    eventID: f.eventId,
    readOnly,
    eventType: "AwsApiCall",
    apiVersion: f.model.metadata.apiVersion,
    managementEvent: !data,
    recipientAccountId: f.identity.account,
    eventCategory: data ? "Data" : "Management",
  };
  // The elements are serialized once (their size is capped on their JSON) and spliced in, in CloudTrail's key order.
  const headJson = JSON.stringify(head);
  const record =
    headJson.slice(0, -1) +
    `,"requestParameters":${requestParameters},"responseElements":${responseElements},` +
    JSON.stringify(tail).slice(1);

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
    record,
  };
}
