/**
 * Publishing: the checks of Publish and PublishBatch entries (Subject, Message, MessageStructure, FIFO ids, size), and
 * the fan-out: one durable delivery per confirmed subscription whose filter policy passes, enqueued in the transaction
 * that acknowledges the publish (with the FIFO deduplication record). Fan-out happens at publish time, not in a
 * background "expand" delivery: the subscriptions a message goes to are those of the instant it was accepted, filtered
 * messages are counted at once (NumberOfNotificationsFilteredOut), and each subscription retries on its own policy.
 * The envelope is built and signed here, once per distinct message text (the signature covers no subscription field),
 * so senders only send.
 */
import { createHash, randomUUID } from "node:crypto";
import type { NewDelivery } from "../../delivery/engine.js";
import {
  SNS_AWS_MANAGED_POLICY,
  SNS_CUSTOMER_MANAGED_POLICY,
  snsHttpRetryPolicy,
  type RetryPolicy,
  type SnsHealthyRetryPolicy,
} from "../../delivery/retry.js";
import type { SubscriptionRecord, TopicRecord } from "../../storage/sns-store.js";
import type { SnsMessageAttribute } from "../internal.js";
import type { OutgoingMessage } from "../sqs/send.js";
import { invalidParameter } from "./errors.js";
import { attributesEvent, passes, type FilterScope } from "./filter-policy.js";
import { checkMessageAttributes, type InputAttribute } from "./message-attributes.js";
import { snsMetrics } from "./metrics.js";
import { stringToSign } from "./signing.js";
import type { SnsState } from "./state.js";
import { effectiveDeliveryPolicy } from "./topics.js";
import { unsubscribeUrl } from "./urls.js";

/** "The maximum size of a message is 256 KB (262,144 bytes)", attributes included. */
export const MAX_MESSAGE_BYTES = 262_144;
/** FIFO topics remember deduplication ids for 5 minutes. */
export const DEDUP_WINDOW_MS = 5 * 60_000;

export interface PublishInput {
  Message?: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: Record<string, InputAttribute>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

/** A publish that passed its checks. */
export interface CheckedPublish {
  message: string;
  subject?: string;
  /** Per-protocol messages of MessageStructure json. */
  structure?: Record<string, string>;
  attributes?: Record<string, SnsMessageAttribute>;
  groupId?: string;
  dedupId?: string;
  size: number;
}

/** Subject: ASCII, at most 100 characters, no line breaks or control characters, not empty (Publish API reference). */
function checkSubject(subject: string): void {
  if (subject.length === 0 || subject.length > 100 || !/^[\x20-\x7e]+$/.test(subject) || subject.trim() === "")
    throw invalidParameter("Subject");
}

export function checkPublish(topic: TopicRecord, p: PublishInput): CheckedPublish {
  if (p.Subject !== undefined) checkSubject(p.Subject);
  const message = p.Message ?? "";
  if (message.length === 0) throw invalidParameter("Empty message");
  const { attributes, size: attrSize } = checkMessageAttributes(p.MessageAttributes);
  const size = Buffer.byteLength(message) + attrSize;
  if (size > MAX_MESSAGE_BYTES) throw invalidParameter("Message too long");
  let structure: Record<string, string> | undefined;
  if (p.MessageStructure !== undefined) {
    if (p.MessageStructure !== "json") throw invalidParameter("MessageStructure");
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      throw invalidParameter("Message Structure - JSON message body failed to parse");
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
      throw invalidParameter("Message Structure - JSON message body failed to parse");
    const obj = parsed as Record<string, unknown>;
    if (typeof obj.default !== "string")
      throw invalidParameter("Message Structure - No default entry in JSON message body");
    structure = {};
    for (const [k, v] of Object.entries(obj)) if (typeof v === "string") structure[k] = v;
  }
  let groupId: string | undefined;
  let dedupId: string | undefined;
  if (topic.fifo) {
    if (!p.MessageGroupId) throw invalidParameter("The MessageGroupId parameter is required for FIFO topics");
    groupId = p.MessageGroupId;
    dedupId = p.MessageDeduplicationId;
    if (!dedupId) {
      if (topic.attributes.ContentBasedDeduplication !== "true")
        throw invalidParameter(
          "The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
        );
      // Content-based deduplication: "a SHA-256 hash of the body of the message (but not the attributes)".
      dedupId = createHash("sha256").update(message).digest("hex");
    }
  } else {
    if (p.MessageDeduplicationId !== undefined)
      throw invalidParameter(
        "MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type",
      );
    // A message group id on a standard topic is accepted and passed to SQS standard queues as is.
    groupId = p.MessageGroupId;
  }
  return {
    message: structure ? structure.default! : message,
    subject: p.Subject,
    structure,
    attributes,
    groupId,
    dedupId,
    size,
  };
}

let lastSeqMs = 0;
let seqCounter = 0;
/** FIFO sequence numbers: 20 digits, increasing. */
function nextSequenceNumber(now: number): string {
  if (now > lastSeqMs) {
    lastSeqMs = now;
    seqCounter = 0;
  }
  seqCounter++;
  return (BigInt(lastSeqMs) * 1_000_000n + BigInt(seqCounter)).toString().padStart(20, "0");
}

/** Targets of the SNS delivery kinds (JSON in the outbox). */
export interface SnsSqsTarget {
  queueArn: string;
  topicArn: string;
  subscriptionArn: string;
  account: string;
}
export interface SnsHttpTarget {
  url: string;
  topicArn: string;
  subscriptionArn: string;
  messageId: string;
  type: "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation";
  raw: boolean;
  contentType: string;
}
export interface SnsEmailTarget {
  to: string;
  topicArn: string;
  subscriptionArn: string;
  subject: string;
  json: boolean;
  /** The From display name (the topic's DisplayName). */
  fromName?: string;
}
export interface SnsDlqTarget {
  queueArn: string;
  topicArn: string;
  subscriptionArn: string;
  messageId: string;
  account: string;
}

export const SNS_SQS_KIND = "sns.sqs";
export const SNS_HTTP_KIND = "sns.http";
export const SNS_EMAIL_KIND = "sns.email";
export const SNS_DLQ_KIND = "sns.dlq";

/** The SNS notification envelope, in the order AWS writes its fields. */
export function notificationEnvelope(
  state: SnsState,
  f: {
    messageId: string;
    topicArn: string;
    subject?: string;
    message: string;
    timestamp: string;
    signatureVersion: string;
    endpoint: string;
    subscriptionArn: string;
    sequenceNumber?: string;
    attributes?: Record<string, SnsMessageAttribute>;
  },
  signatures: Map<string, string>,
): string {
  const signer = state.signer();
  const env: Record<string, unknown> = { Type: "Notification", MessageId: f.messageId };
  if (f.sequenceNumber) env.SequenceNumber = f.sequenceNumber;
  env.TopicArn = f.topicArn;
  if (f.subject !== undefined) env.Subject = f.subject;
  env.Message = f.message;
  env.Timestamp = f.timestamp;
  env.SignatureVersion = f.signatureVersion;
  let sig = signatures.get(f.message);
  if (sig === undefined) {
    sig = signer.sign(stringToSign(env), f.signatureVersion);
    signatures.set(f.message, sig);
  }
  env.Signature = sig;
  env.SigningCertURL = signer.certUrl(f.endpoint);
  env.UnsubscribeURL = unsubscribeUrl(f.endpoint, f.subscriptionArn);
  if (f.attributes) {
    const attrs: Record<string, { Type: string; Value: string }> = {};
    for (const [k, a] of Object.entries(f.attributes))
      attrs[k] = { Type: a.DataType, Value: a.StringValue ?? a.BinaryValue ?? "" };
    env.MessageAttributes = attrs;
  }
  return JSON.stringify(env);
}

/** The retry policy of an HTTP/S subscription: its own DeliveryPolicy unless the topic disables overrides. */
export function httpPolicy(topic: TopicRecord, sub: SubscriptionRecord): RetryPolicy {
  const eff = effectiveDeliveryPolicy(topic.attributes.DeliveryPolicy).http;
  let retry: SnsHealthyRetryPolicy = eff.defaultHealthyRetryPolicy as SnsHealthyRetryPolicy;
  if (!eff.disableSubscriptionOverrides && sub.attributes.DeliveryPolicy) {
    try {
      const own = (JSON.parse(sub.attributes.DeliveryPolicy) as { healthyRetryPolicy?: SnsHealthyRetryPolicy })
        .healthyRetryPolicy;
      if (own) retry = { ...retry, ...own };
    } catch {
      // Checked when set.
    }
  }
  try {
    return snsHttpRetryPolicy(retry);
  } catch {
    return snsHttpRetryPolicy();
  }
}

function deadLetterOf(sub: SubscriptionRecord, topic: TopicRecord, messageId: string) {
  if (!sub.attributes.RedrivePolicy) return undefined;
  try {
    const arn = (JSON.parse(sub.attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn;
    if (!arn) return undefined;
    const target: SnsDlqTarget = {
      queueArn: arn,
      topicArn: topic.arn,
      subscriptionArn: sub.arn,
      messageId,
      account: topic.account,
    };
    return { kind: SNS_DLQ_KIND, target };
  } catch {
    return undefined;
  }
}

/** Publishes a checked message to the topic; resolves after commit with its id (the earlier id for a duplicate). */
export async function publishChecked(
  state: SnsState,
  topic: TopicRecord,
  m: CheckedPublish,
  endpoint: string,
): Promise<{ messageId: string; sequenceNumber?: string }> {
  const { stores, clock } = state.deps;
  const now = clock.now();
  const messageId = randomUUID();
  const sequenceNumber = topic.fifo ? nextSequenceNumber(now) : undefined;
  const subs = await stores.sns.subscriptionsOfTopic(topic.arn);
  const timestamp = new Date(now).toISOString();
  const signatureVersion = topic.attributes.SignatureVersion ?? "1";
  const signatures = new Map<string, string>();
  const items: NewDelivery[] = [];
  let filteredOut = 0;
  let attrsEvent: Record<string, unknown> | undefined;
  const matched: SubscriptionRecord[] = [];
  for (const sub of subs) {
    if (!sub.confirmed) continue;
    const policy = sub.attributes.FilterPolicy;
    if (policy) {
      const scope = (sub.attributes.FilterPolicyScope ?? "MessageAttributes") as FilterScope;
      attrsEvent ??= attributesEvent(m.attributes);
      if (!passes(policy, scope, attrsEvent, m.message)) {
        filteredOut++;
        continue;
      }
    }
    matched.push(sub);
  }
  // One signature per distinct message text (the string to sign holds no subscription field), computed off the
  // event loop before the envelopes are built.
  const toSign = new Set<string>();
  for (const sub of matched) {
    const raw = sub.attributes.RawMessageDelivery === "true" && sub.protocol !== "email";
    if (!raw && sub.protocol !== "email") toSign.add(m.structure?.[sub.protocol] ?? m.message);
  }
  if (toSign.size > 0) {
    const signer = state.signer();
    await Promise.all(
      [...toSign].map(async (text) => {
        const env: Record<string, unknown> = { Type: "Notification", MessageId: messageId, TopicArn: topic.arn };
        if (m.subject !== undefined) env.Subject = m.subject;
        env.Message = text;
        env.Timestamp = timestamp;
        signatures.set(text, await signer.signAsync(stringToSign(env), signatureVersion));
      }),
    );
  }
  for (const sub of matched) {
    const text = m.structure?.[sub.protocol] ?? m.message;
    const raw = sub.attributes.RawMessageDelivery === "true";
    const envelope = () =>
      notificationEnvelope(
        state,
        {
          messageId,
          topicArn: topic.arn,
          subject: m.subject,
          message: text,
          timestamp,
          signatureVersion,
          endpoint,
          subscriptionArn: sub.arn,
          sequenceNumber,
          attributes: m.attributes,
        },
        signatures,
      );
    const base = { account: topic.account, region: topic.region, deadLetter: deadLetterOf(sub, topic, messageId) };
    if (sub.protocol === "sqs") {
      const out: OutgoingMessage = { MessageBody: raw ? text : envelope() };
      if (raw && m.attributes) out.MessageAttributes = m.attributes as OutgoingMessage["MessageAttributes"];
      if (sub.endpoint.endsWith(".fifo")) {
        out.MessageGroupId = m.groupId;
        out.MessageDeduplicationId = m.dedupId ?? messageId;
      }
      const target: SnsSqsTarget = {
        queueArn: sub.endpoint,
        topicArn: topic.arn,
        subscriptionArn: sub.arn,
        account: topic.account,
      };
      items.push({ ...base, kind: SNS_SQS_KIND, target, payload: JSON.stringify(out), policy: SNS_AWS_MANAGED_POLICY });
    } else if (sub.protocol === "http" || sub.protocol === "https") {
      const target: SnsHttpTarget = {
        url: sub.endpoint,
        topicArn: topic.arn,
        subscriptionArn: sub.arn,
        messageId,
        type: "Notification",
        raw,
        contentType: effectiveDeliveryPolicy(topic.attributes.DeliveryPolicy).http.defaultRequestPolicy
          .headerContentType,
      };
      items.push({
        ...base,
        kind: SNS_HTTP_KIND,
        target,
        payload: raw ? text : envelope(),
        policy: httpPolicy(topic, sub),
      });
    } else if (sub.protocol === "email" || sub.protocol === "email-json") {
      const json = sub.protocol === "email-json";
      const target: SnsEmailTarget = {
        to: sub.endpoint,
        topicArn: topic.arn,
        subscriptionArn: sub.arn,
        // AWS: the Subject, or "AWS Notification Message"; the topic's DisplayName names the sender.
        subject: m.subject ?? "AWS Notification Message",
        fromName: topic.attributes.DisplayName || undefined,
        json,
      };
      const body = json ? envelope() : emailText(text, endpoint, sub.arn);
      items.push({ ...base, kind: SNS_EMAIL_KIND, target, payload: body, policy: SNS_CUSTOMER_MANAGED_POLICY });
    }
  }
  const dedup = m.dedupId
    ? { topicArn: topic.arn, dedupId: m.dedupId, messageId, now, windowMs: DEDUP_WINDOW_MS }
    : undefined;
  const { delivery } = state;
  const result = await stores.sns.publish(dedup, {
    sqlite: (tx) => void delivery.enqueueWith(tx, items),
    postgres: async (tx) => void (await delivery.enqueueWith(tx, items)),
  });
  if (result.duplicateOf) return { messageId: result.duplicateOf, sequenceNumber };
  if (stores.dialect === "postgres" && items.length) delivery.wake();
  snsMetrics(state).published(topic, m.size, filteredOut);
  return { messageId, sequenceNumber };
}

/** The body of an "email" notification: the message, then how to unsubscribe (as AWS appends it). */
function emailText(message: string, endpoint: string, subscriptionArn: string): string {
  return (
    `${message}\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n` +
    `${unsubscribeUrl(endpoint, subscriptionArn)}\n\n` +
    "Please do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support"
  );
}
