/**
 * Messages: what SendMessage checks (characters, size, attributes, delay), how a message is stored, and how
 * ReceiveMessage answers it (system attributes and message attributes as asked for, their digests).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
 */
import { awsError } from "../../errors/index.js";
import type { StoredMessage } from "../../storage/sqs-store.js";
import { MAX_DELAY_SECONDS } from "./attributes.js";
import { invalidParameter, invalidParameterValue } from "./errors.js";
import { md5Hex, md5OfAttributes, type AttributeValue } from "./md5.js";
import { encodeReceipt } from "./receipts.js";

export const MAX_MESSAGE_ATTRIBUTES = 10;
/** SendMessageBatch: the sum of the entries' sizes (SendMessageBatch API reference, 1 MiB since August 2025). */
export const MAX_BATCH_BYTES = 1_048_576;

/**
 * Characters SQS accepts in a body and in String attribute values (XML 1.0's Char production):
 * #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF. A lone surrogate is not a character.
 */
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
export const ALLOWED_CHARACTERS = "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF";

/** The first character outside the allowed set, as `#x1B`; undefined when there is none. */
export function invalidCharacter(s: string): string | undefined {
  const m = INVALID_CHAR.exec(s);
  return m ? `#x${m[0].codePointAt(0)!.toString(16).toUpperCase()}` : undefined;
}

export const invalidMessageContents = (bad: string) =>
  awsError(
    "InvalidMessageContents",
    `Invalid binary character '${bad}' was found in the message body, the set of allowed characters is ${ALLOWED_CHARACTERS}`,
  );

const NAME = /^[A-Za-z0-9_.-]+$/;
const RESERVED_PREFIX = /^(aws\.|amazon\.)/i;
const TYPE_PREFIX = /^(String|Number|Binary)(\..+)?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export interface InputAttribute {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
  StringListValues?: string[];
  BinaryListValues?: Uint8Array[];
}

/** Checks one name for a message attribute (or a name filter's prefix). */
export function validAttributeName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 256 &&
    NAME.test(name) &&
    !RESERVED_PREFIX.test(name) &&
    !name.startsWith(".") &&
    !name.endsWith(".") &&
    !name.includes("..")
  );
}

/**
 * Checks message attributes (name rules, data types, values) and resolves with the bytes they count toward the
 * message size: each name, data type and value (SQS counts all three).
 */
export function checkMessageAttributes(attrs: Record<string, InputAttribute> | undefined, kind = "user"): number {
  if (!attrs) return 0;
  const names = Object.keys(attrs);
  if (names.length > MAX_MESSAGE_ATTRIBUTES)
    throw invalidParameterValue(
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`,
    );
  let size = 0;
  for (const name of names) {
    const a = attrs[name]!;
    if (name === "") throw invalidParameterValue("The request must contain non-empty message attribute name.");
    if (!validAttributeName(name))
      throw invalidParameterValue(
        RESERVED_PREFIX.test(name)
          ? `The message attribute name '${name}' is reserved for use by Amazon SQS.`
          : `The message attribute name '${name}' is invalid. Attribute name can contain A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.) characters.`,
      );
    const type = a.DataType;
    if (type === undefined || type === "")
      throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute type.`);
    if (type.length > 256 || !TYPE_PREFIX.test(type))
      throw invalidParameterValue(
        `The type of message (${kind}) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    if (a.StringListValues?.length || a.BinaryListValues?.length)
      throw invalidParameterValue(`Message (${kind}) attribute '${name}' uses list values, which are not supported.`);
    const base = TYPE_PREFIX.exec(type)![1]!;
    size += Buffer.byteLength(name, "utf8") + Buffer.byteLength(type, "utf8");
    if (base === "Binary") {
      if (!a.BinaryValue || a.BinaryValue.length === 0)
        throw invalidParameterValue(
          `Message (${kind}) attribute '${name}' must contain a non-empty value of type 'Binary'.`,
        );
      size += a.BinaryValue.length;
    } else {
      const v = a.StringValue;
      if (v === undefined || v === "")
        throw invalidParameterValue(
          `Message (${kind}) attribute '${name}' must contain a non-empty value of type '${base}'.`,
        );
      if (base === "Number" && !NUMBER.test(v))
        throw invalidParameterValue(`Can't cast the value of message (${kind}) attribute '${name}' to a number.`);
      const bad = invalidCharacter(v);
      if (bad)
        throw invalidParameterValue(
          `Invalid binary character '${bad}' was found in the value of message (${kind}) attribute '${name}', the set of allowed characters is ${ALLOWED_CHARACTERS}`,
        );
      size += Buffer.byteLength(v, "utf8");
    }
  }
  return size;
}

/** AWSTraceHeader is the one message system attribute a sender sets; it must be a String. */
export function checkSystemAttributes(attrs: Record<string, InputAttribute> | undefined): number {
  if (!attrs) return 0;
  for (const [name, a] of Object.entries(attrs)) {
    if (name === "AWSTraceHeader" && a.DataType !== "String")
      throw invalidParameterValue(`The message system attribute '${name}' must be of type 'String'.`);
  }
  return checkMessageAttributes(attrs, "system");
}

/** An attribute as stored (JSON) and as answered. */
type StoredAttribute = { DataType: string; StringValue?: string; BinaryValue?: string };

const toStored = (attrs: Record<string, InputAttribute>): Record<string, StoredAttribute> =>
  Object.fromEntries(
    Object.entries(attrs).map(([k, a]) => [
      k,
      a.BinaryValue !== undefined && /^Binary/.test(a.DataType!)
        ? { DataType: a.DataType!, BinaryValue: Buffer.from(a.BinaryValue).toString("base64") }
        : { DataType: a.DataType!, StringValue: a.StringValue },
    ]),
  );

const toAnswer = (attrs: Record<string, StoredAttribute>): Record<string, AttributeValue> =>
  Object.fromEntries(
    Object.entries(attrs).map(([k, a]) => [
      k,
      a.BinaryValue !== undefined
        ? { DataType: a.DataType, BinaryValue: Buffer.from(a.BinaryValue, "base64") }
        : { DataType: a.DataType, StringValue: a.StringValue },
    ]),
  );

export interface PreparedAttributes {
  json: string | null;
  md5: string | undefined;
}

/** The stored form of a message's attributes and their digest (undefined when there are none). */
export function prepareAttributes(attrs: Record<string, InputAttribute> | undefined): PreparedAttributes {
  if (!attrs || Object.keys(attrs).length === 0) return { json: null, md5: undefined };
  return { json: JSON.stringify(toStored(attrs)), md5: md5OfAttributes(attrs as Record<string, AttributeValue>) };
}

export const md5OfBody = (body: string): string => md5Hex(body);

/** Checks a per-message DelaySeconds (FIFO queues take only the queue's delay). */
export function checkDelay(delay: number | undefined, fifo: boolean): void {
  if (delay === undefined) return;
  if (delay < 0 || delay > MAX_DELAY_SECONDS)
    throw invalidParameter("DelaySeconds", delay, `DelaySeconds must be >= 0 and <= ${MAX_DELAY_SECONDS}.`);
  if (fifo && delay !== 0)
    throw invalidParameter(
      "DelaySeconds",
      delay,
      "The request include parameter that is not valid for this queue type.",
    );
}

export const messageTooLong = (max: number, batch = false) =>
  invalidParameterValue(
    `One or more parameters ${batch ? "cannot be validated" : "are invalid"}. Reason: Message must be shorter than ${max} bytes.`,
  );

// ---------------------------------------------------------------------------------------------------
// Receiving

/** System attribute names a receive may ask for (AttributeNames and MessageSystemAttributeNames). */
const SYSTEM_ATTRIBUTES = new Set([
  "SenderId",
  "SentTimestamp",
  "ApproximateReceiveCount",
  "ApproximateFirstReceiveTimestamp",
  "SequenceNumber",
  "MessageDeduplicationId",
  "MessageGroupId",
  "AWSTraceHeader",
  "DeadLetterQueueSourceArn",
]);

/** The system attributes a receive asked for; names that are not message system attributes are ignored. */
export function systemAttributeSelection(...lists: (string[] | undefined)[]): Set<string> | "all" | undefined {
  const set = new Set<string>();
  for (const list of lists) {
    for (const n of list ?? []) {
      if (n === "All") return "all";
      if (SYSTEM_ATTRIBUTES.has(n)) set.add(n);
    }
  }
  return set.size ? set : undefined;
}

/**
 * Message attribute names a receive asked for: `All`, `.*` and `*` mean every attribute, `prefix.*` those starting with
 * the prefix, anything else one name. Names no attribute could have are ignored (recorded: `AWS.`, `..foo`).
 */
export function messageAttributeFilter(names: string[] | undefined): ((name: string) => boolean) | undefined {
  if (!names || names.length === 0) return undefined;
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const n of names) {
    if (n === "All" || n === ".*" || n === "*") return () => true;
    if (n.endsWith(".*")) {
      const prefix = n.slice(0, -2);
      if (validAttributeName(prefix)) prefixes.push(prefix);
    } else if (validAttributeName(n)) exact.add(n);
  }
  if (exact.size === 0 && prefixes.length === 0) return undefined;
  return (name) => exact.has(name) || prefixes.some((p) => name.startsWith(p));
}

export interface ReceiveShape {
  queueId: number;
  fifo: boolean;
  system: Set<string> | "all" | undefined;
  attributes: ((name: string) => boolean) | undefined;
}

/** One message as ReceiveMessage answers it. */
export function answerMessage(m: StoredMessage, shape: ReceiveShape): Record<string, unknown> {
  const out: Record<string, unknown> = {
    MessageId: m.messageId,
    ReceiptHandle: encodeReceipt({ queueId: shape.queueId, rowId: m.rowId, receiveCount: m.receiveCount }),
    MD5OfBody: m.md5Body,
    Body: m.body,
  };
  if (shape.system) {
    const sys = systemAttributes(m, shape.fifo);
    const chosen: Record<string, string> = {};
    for (const [k, v] of Object.entries(sys)) if (shape.system === "all" || shape.system.has(k)) chosen[k] = v;
    if (Object.keys(chosen).length) out.Attributes = chosen;
  }
  if (shape.attributes && m.attributes) {
    const all = JSON.parse(m.attributes) as Record<string, StoredAttribute>;
    const picked: Record<string, StoredAttribute> = {};
    let every = true;
    for (const [k, v] of Object.entries(all)) {
      if (shape.attributes(k)) picked[k] = v;
      else every = false;
    }
    if (Object.keys(picked).length) {
      const answer = toAnswer(picked);
      out.MD5OfMessageAttributes = every && m.md5Attributes ? m.md5Attributes : md5OfAttributes(answer);
      out.MessageAttributes = answer;
    }
  }
  return out;
}

function systemAttributes(m: StoredMessage, fifo: boolean): Record<string, string> {
  const out: Record<string, string> = {
    SenderId: m.senderId,
    SentTimestamp: String(m.sentAt),
    ApproximateReceiveCount: String(m.receiveCount),
    ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? m.sentAt),
  };
  if (m.systemAttributes) {
    const sys = JSON.parse(m.systemAttributes) as Record<string, StoredAttribute>;
    if (sys.AWSTraceHeader?.StringValue) out.AWSTraceHeader = sys.AWSTraceHeader.StringValue;
  }
  if (fifo) {
    if (m.sequenceNumber) out.SequenceNumber = m.sequenceNumber;
    if (m.dedupId) out.MessageDeduplicationId = m.dedupId;
  }
  if (m.groupId !== null) out.MessageGroupId = m.groupId;
  if (m.dlqSourceArn) out.DeadLetterQueueSourceArn = m.dlqSourceArn;
  return out;
}
