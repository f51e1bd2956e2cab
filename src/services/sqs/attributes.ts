/**
 * Queue attributes: their defaults, the rules CreateQueue and SetQueueAttributes check them by, and the answer of
 * GetQueueAttributes. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 * Values travel and are stored as strings, as SQS answers them.
 */
import type { QueueRecord } from "../../storage/sqs-store.js";
import { invalidAttributeName, invalidAttributeValue, invalidParameter, unknownAttribute } from "./errors.js";
import { parseQueueArn, queueArn } from "./urls.js";

/** SQS raised MaximumMessageSize's maximum and default from 256 KiB to 1 MiB in August 2025. */
export const MAX_MESSAGE_BYTES = 1_048_576;
export const MAX_VISIBILITY_SECONDS = 43_200;
export const MAX_WAIT_SECONDS = 20;
export const MAX_DELAY_SECONDS = 900;

const STANDARD_DEFAULTS: Record<string, string> = {
  DelaySeconds: "0",
  MaximumMessageSize: String(MAX_MESSAGE_BYTES),
  MessageRetentionPeriod: "345600",
  ReceiveMessageWaitTimeSeconds: "0",
  VisibilityTimeout: "30",
  // SSE-SQS is the default encryption of new queues.
  SqsManagedSseEnabled: "true",
  KmsDataKeyReusePeriodSeconds: "300",
};

const FIFO_DEFAULTS: Record<string, string> = {
  ...STANDARD_DEFAULTS,
  FifoQueue: "true",
  ContentBasedDeduplication: "false",
  DeduplicationScope: "queue",
  FifoThroughputLimit: "perQueue",
};

export const defaultAttributes = (fifo: boolean): Record<string, string> => ({
  ...(fifo ? FIFO_DEFAULTS : STANDARD_DEFAULTS),
});

/** Answered by GetQueueAttributes, never set. */
const COMPUTED = [
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
  "CreatedTimestamp",
  "LastModifiedTimestamp",
  "QueueArn",
] as const;
const COUNTS = new Set<string>(COMPUTED.slice(0, 3));

const INTEGERS: Record<string, [number, number]> = {
  DelaySeconds: [0, MAX_DELAY_SECONDS],
  MaximumMessageSize: [1024, MAX_MESSAGE_BYTES],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, MAX_WAIT_SECONDS],
  VisibilityTimeout: [0, MAX_VISIBILITY_SECONDS],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};
const BOOLEANS = new Set(["SqsManagedSseEnabled", "ContentBasedDeduplication", "FifoQueue"]);
const ENUMS: Record<string, string[]> = {
  DeduplicationScope: ["messageGroup", "queue"],
  FifoThroughputLimit: ["perQueue", "perMessageGroupId"],
};
/** Set to "" to remove. */
const REMOVABLE = new Set(["Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId"]);
const SETTABLE = new Set([...Object.keys(INTEGERS), ...BOOLEANS, ...Object.keys(ENUMS), ...REMOVABLE]);
const FIFO_ONLY = new Set(["FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"]);

/** Every attribute GetQueueAttributes knows, in the order it lists them for `All`. */
const READABLE = [
  ...COMPUTED,
  "DelaySeconds",
  "MaximumMessageSize",
  "MessageRetentionPeriod",
  "ReceiveMessageWaitTimeSeconds",
  "VisibilityTimeout",
  "Policy",
  "RedrivePolicy",
  "RedriveAllowPolicy",
  "KmsMasterKeyId",
  "KmsDataKeyReusePeriodSeconds",
  "SqsManagedSseEnabled",
  "FifoQueue",
  "ContentBasedDeduplication",
  "DeduplicationScope",
  "FifoThroughputLimit",
];
const READABLE_SET = new Set(READABLE);

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export interface RedriveAllowPolicy {
  redrivePermission: "allowAll" | "denyAll" | "byQueue";
  sourceQueueArns?: string[];
}

/** The settings the message paths need, read from a queue's attributes. */
export interface QueueSettings {
  fifo: boolean;
  visibilityTimeout: number;
  delaySeconds: number;
  maxMessageSize: number;
  retentionSeconds: number;
  waitTimeSeconds: number;
  contentBasedDeduplication: boolean;
  dedupScope: "queue" | "messageGroup";
  redrive?: RedrivePolicy;
}

const settingsCache = new WeakMap<Record<string, string>, QueueSettings>();

export function settingsOf(q: Pick<QueueRecord, "fifo" | "attributes">): QueueSettings {
  let s = settingsCache.get(q.attributes);
  if (s) return s;
  const a = q.attributes;
  const int = (name: string) => Number(a[name] ?? STANDARD_DEFAULTS[name]);
  s = {
    fifo: q.fifo,
    visibilityTimeout: int("VisibilityTimeout"),
    delaySeconds: int("DelaySeconds"),
    maxMessageSize: int("MaximumMessageSize"),
    retentionSeconds: int("MessageRetentionPeriod"),
    waitTimeSeconds: int("ReceiveMessageWaitTimeSeconds"),
    contentBasedDeduplication: a.ContentBasedDeduplication === "true",
    dedupScope: a.DeduplicationScope === "messageGroup" ? "messageGroup" : "queue",
    redrive: a.RedrivePolicy ? (JSON.parse(a.RedrivePolicy) as RedrivePolicy) : undefined,
  };
  settingsCache.set(q.attributes, s);
  return s;
}

export interface ValidatedAttributes {
  /** Normalized values; "" removes a removable attribute. */
  values: Record<string, string>;
  /** The RedrivePolicy the request sets (null: removes it), for the caller to check its target. */
  redrive?: RedrivePolicy | null;
}

/**
 * Checks the attributes of a CreateQueue or SetQueueAttributes request, in the order SQS was recorded checking them:
 * names first (FIFO-only names on a standard queue, unknown names), then values.
 */
export function validateAttributes(
  input: Record<string, string> | undefined,
  opts: { fifo: boolean; creating: boolean },
): ValidatedAttributes {
  const values: Record<string, string> = {};
  const out: ValidatedAttributes = { values };
  if (!input) return out;
  for (const name of Object.keys(input)) {
    if (!opts.fifo && FIFO_ONLY.has(name)) {
      if (name === "DeduplicationScope" || name === "FifoThroughputLimit")
        throw invalidAttributeName(`You can specify the ${name} only when FifoQueue is set to true.`);
      throw unknownAttribute(name);
    }
    if (!SETTABLE.has(name)) throw unknownAttribute(name);
  }
  if (input.KmsMasterKeyId && input.SqsManagedSseEnabled?.toLowerCase() === "true") {
    throw invalidAttributeName(
      "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.",
    );
  }
  for (const [name, raw] of Object.entries(input)) {
    const range = INTEGERS[name];
    if (range) {
      const n = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
      if (!Number.isSafeInteger(n) || n < range[0] || n > range[1]) throw invalidAttributeValue(name);
      values[name] = String(n);
    } else if (BOOLEANS.has(name)) {
      const v = raw.toLowerCase();
      if (v !== "true" && v !== "false") throw invalidAttributeValue(name);
      if (name === "FifoQueue" && v !== "true") {
        throw opts.creating
          ? unknownAttribute(name)
          : invalidAttributeValue(name, "Modifying queue type is not supported.");
      }
      values[name] = v;
    } else if (ENUMS[name]) {
      if (!ENUMS[name].includes(raw)) throw invalidAttributeValue(name);
      values[name] = raw;
    } else if (name === "Policy") {
      if (raw !== "" && !isJsonObject(raw)) throw invalidAttributeValue(name);
      values[name] = raw;
    } else if (name === "RedrivePolicy") {
      const p = raw === "" ? null : parseRedrivePolicy(raw);
      out.redrive = p;
      values[name] = p ? JSON.stringify(p) : "";
    } else if (name === "RedriveAllowPolicy") {
      values[name] = raw === "" ? "" : JSON.stringify(parseRedriveAllowPolicy(raw));
    } else {
      values[name] = raw;
    }
  }
  return out;
}

function isJsonObject(s: string): boolean {
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === "object" && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

function parseRedrivePolicy(raw: string): RedrivePolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    doc = undefined;
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw invalidAttributeValue("RedrivePolicy", "Redrive policy is not a valid JSON map.");
  const d = doc as Record<string, unknown>;
  for (const key of ["deadLetterTargetArn", "maxReceiveCount"]) {
    if (d[key] === undefined)
      throw invalidParameter("RedrivePolicy", raw, `Redrive policy does not contain mandatory attribute: ${key}.`);
  }
  const count = typeof d.maxReceiveCount === "string" ? Number(d.maxReceiveCount) : d.maxReceiveCount;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 1000) {
    throw invalidParameter(
      "RedrivePolicy",
      raw,
      `Invalid value for maxReceiveCount: ${String(d.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`,
    );
  }
  if (typeof d.deadLetterTargetArn !== "string" || !parseQueueArn(d.deadLetterTargetArn))
    throw invalidParameter("RedrivePolicy", raw, "Invalid value for deadLetterTargetArn.");
  return { deadLetterTargetArn: d.deadLetterTargetArn, maxReceiveCount: count };
}

function parseRedriveAllowPolicy(raw: string): RedriveAllowPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    doc = undefined;
  }
  const bad = (reason: string) => invalidAttributeValue("RedriveAllowPolicy", reason);
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw bad("Redrive allow policy is not a valid JSON map.");
  const d = doc as Record<string, unknown>;
  const permission = d.redrivePermission;
  if (permission !== "allowAll" && permission !== "denyAll" && permission !== "byQueue")
    throw bad("Invalid value for redrivePermission; valid values are allowAll, denyAll and byQueue.");
  const arns = d.sourceQueueArns;
  if (permission !== "byQueue") {
    if (arns !== undefined) throw bad("sourceQueueArns can be specified only when redrivePermission is byQueue.");
    return { redrivePermission: permission };
  }
  if (!Array.isArray(arns) || arns.length === 0 || arns.length > 10 || !arns.every((a) => typeof a === "string"))
    throw bad("sourceQueueArns must be a list of 1 to 10 queue ARNs when redrivePermission is byQueue.");
  return { redrivePermission: permission, sourceQueueArns: arns as string[] };
}

/** Whether the dead-letter queue's RedriveAllowPolicy lets `sourceArn` use it. */
export function redriveAllowed(dlq: QueueRecord, sourceArn: string): boolean {
  const raw = dlq.attributes.RedriveAllowPolicy;
  if (!raw) return true;
  const p = JSON.parse(raw) as RedriveAllowPolicy;
  if (p.redrivePermission === "allowAll") return true;
  if (p.redrivePermission === "denyAll") return false;
  return p.sourceQueueArns?.includes(sourceArn) ?? false;
}

/** The queue's attributes after a change (SSE-KMS and SSE-SQS exclude each other: the one set last wins). */
export function applyAttributes(
  current: Record<string, string>,
  change: Record<string, string>,
): Record<string, string> {
  const next = { ...current };
  for (const [name, value] of Object.entries(change)) {
    if (value === "" && REMOVABLE.has(name)) delete next[name];
    else next[name] = value;
  }
  if (change.KmsMasterKeyId) next.SqsManagedSseEnabled = "false";
  else if (change.SqsManagedSseEnabled === "true") delete next.KmsMasterKeyId;
  return next;
}

/**
 * The first attribute of a CreateQueue request whose value differs from the existing queue's (CreateQueue of an
 * existing name answers the queue only when every attribute it names matches).
 */
export function firstDifference(
  existing: Record<string, string>,
  requested: Record<string, string>,
): string | undefined {
  for (const [name, value] of Object.entries(requested)) {
    if ((existing[name] ?? "") !== value) return name;
  }
  return undefined;
}

export interface Counts {
  visible: number;
  notVisible: number;
  delayed: number;
}

/** Checks the names GetQueueAttributes was asked for; `All` (or no names) means every attribute. */
export function requestedAttributes(names: string[] | undefined): { all: boolean; names: Set<string> } {
  const set = new Set<string>();
  let all = false;
  for (const n of names ?? []) {
    if (n === "All") all = true;
    else if (READABLE_SET.has(n)) set.add(n);
    else throw unknownAttribute(n);
  }
  return { all, names: set };
}

export const needsCounts = (r: { all: boolean; names: Set<string> }): boolean =>
  r.all || [...r.names].some((n) => COUNTS.has(n));

/** GetQueueAttributes' answer for the requested names. */
export function describeAttributes(
  q: QueueRecord,
  requested: { all: boolean; names: Set<string> },
  counts: Counts | undefined,
): Record<string, string> {
  const a = q.attributes;
  const value = (name: string): string | undefined => {
    switch (name) {
      case "ApproximateNumberOfMessages":
        return counts && String(counts.visible);
      case "ApproximateNumberOfMessagesNotVisible":
        return counts && String(counts.notVisible);
      case "ApproximateNumberOfMessagesDelayed":
        return counts && String(counts.delayed);
      case "CreatedTimestamp":
        return String(Math.floor(q.createdAt / 1000));
      case "LastModifiedTimestamp":
        return String(Math.floor(q.lastModified / 1000));
      case "QueueArn":
        return queueArn(q.region, q.account, q.name);
      case "KmsDataKeyReusePeriodSeconds":
        // Shown only for queues encrypted with a KMS key (recorded).
        return a.KmsMasterKeyId ? a[name] : undefined;
      default:
        if (FIFO_ONLY.has(name) && !q.fifo) return undefined;
        return a[name];
    }
  };
  const out: Record<string, string> = {};
  for (const name of READABLE) {
    if (!requested.all && !requested.names.has(name)) continue;
    const v = value(name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}
