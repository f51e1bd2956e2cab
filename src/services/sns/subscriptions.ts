/**
 * Subscriptions: protocols and endpoints Subscribe accepts, subscription attributes and their checks (worded as the
 * recordings show: "Invalid parameter: [Attributes Reason: ]<Name>: ..."), confirmation tokens and the
 * SubscriptionConfirmation message HTTP/S endpoints receive.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { InvalidEventPattern } from "../../event-patterns/errors.js";
import { compilePattern } from "../../event-patterns/index.js";
import {
  SNS_CUSTOMER_MANAGED_POLICY,
  snsHttpPolicyProblems,
  type SnsHealthyRetryPolicy,
} from "../../delivery/retry.js";
import type { SubscriptionRecord, TopicRecord } from "../../storage/sns-store.js";
import { invalidParameter } from "./errors.js";
import { compileFilterPolicy, FilterPolicyError, NestedPolicyError, type FilterScope } from "./filter-policy.js";
import { SNS_HTTP_KIND, httpPolicy, type SnsHttpTarget } from "./publish.js";
import { stringToSign } from "./signing.js";
import type { SnsState } from "./state.js";
import { effectiveDeliveryPolicy } from "./topics.js";
import { subscribeUrl } from "./urls.js";

/** Every protocol SNS knows; Vigil delivers to those in DELIVERED. */
const KNOWN = new Set(["http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"]);
export const DELIVERED = new Set(["http", "https", "email", "email-json", "sqs"]);

export const SUB_ATTRIBUTES = new Set([
  "DeliveryPolicy",
  "FilterPolicy",
  "FilterPolicyScope",
  "RawMessageDelivery",
  "RedrivePolicy",
  "SubscriptionRoleArn",
  "ReplayPolicy",
]);

export function checkProtocolEndpoint(topic: TopicRecord, protocol: string, endpoint: string | undefined): string {
  if (!KNOWN.has(protocol)) throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
  if (!DELIVERED.has(protocol))
    throw invalidParameter(`Protocol Reason: Vigil does not deliver to ${protocol} endpoints`);
  const e = endpoint ?? "";
  switch (protocol) {
    case "sqs": {
      const parts = e.split(":");
      if (parts.length !== 6 || parts[0] !== "arn" || parts[2] !== "sqs") throw invalidParameter("SQS endpoint ARN");
      if (parts[5]!.endsWith(".fifo") && !topic.fifo)
        throw invalidParameter(
          "Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics",
        );
      return e;
    }
    case "http":
    case "https": {
      let url: URL;
      try {
        url = new URL(e);
      } catch {
        throw invalidParameter("Endpoint must match the specified protocol");
      }
      if (url.protocol !== `${protocol}:`) throw invalidParameter("Endpoint must match the specified protocol");
      if (topic.fifo)
        throw invalidParameter("Invalid parameter: Endpoint Reason: FIFO topics support SQS endpoints only");
      return e;
    }
    default:
      if (!/^[^@\s]+@[^@\s]+$/.test(e)) throw invalidParameter("Email address");
      if (topic.fifo)
        throw invalidParameter("Invalid parameter: Endpoint Reason: FIFO topics support SQS endpoints only");
      return e;
  }
}

/** Jackson's parse error for malformed JSON, with SNS's redacted source. */
function jsonError(text: string): string {
  try {
    compilePattern(text);
  } catch (e) {
    if (e instanceof InvalidEventPattern)
      return e.message
        .replace(/^Event pattern is not valid\. Reason: /, "")
        .replace(
          /\[Source: \(String\)".*"; line/s,
          "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line",
        );
  }
  return "Unexpected end-of-input";
}

/**
 * Checks one attribute against the subscription it would apply to (`all` = the attributes after the change).
 * `reason` prefixes the message as Subscribe does ("Attributes Reason: ").
 */
export function checkSubscriptionAttribute(
  name: string,
  value: string,
  all: Record<string, string>,
  sub: { protocol: string; endpoint: string },
  topic: TopicRecord | undefined,
  reason = "",
): void {
  const fail = (msg: string) => invalidParameter(`${reason}${msg}`);
  if (!SUB_ATTRIBUTES.has(name)) throw invalidParameter("AttributeName");
  switch (name) {
    case "RawMessageDelivery":
      if (value !== "true" && value !== "false")
        throw fail(`RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      return;
    case "FilterPolicyScope":
      if (value !== "MessageAttributes" && value !== "MessageBody")
        throw fail(`FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`);
      if (all.FilterPolicy) checkFilter(all.FilterPolicy, value, fail);
      return;
    case "FilterPolicy":
      if (value === "") return;
      checkFilter(value, (all.FilterPolicyScope ?? "MessageAttributes") as FilterScope, fail);
      return;
    case "RedrivePolicy": {
      if (value === "") return;
      let p: unknown;
      try {
        p = JSON.parse(value);
      } catch {
        throw fail(`RedrivePolicy: failed to parse JSON. ${jsonError(value)}`);
      }
      const arn = (p as { deadLetterTargetArn?: unknown })?.deadLetterTargetArn;
      const parts = typeof arn === "string" ? arn.split(":") : [];
      if (parts.length !== 6 || parts[0] !== "arn" || parts[2] !== "sqs")
        throw fail("RedrivePolicy: deadLetterTargetArn is an invalid arn");
      if (topic?.fifo && sub.endpoint.endsWith(".fifo") && !parts[5]!.endsWith(".fifo"))
        throw fail("RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.");
      return;
    }
    case "DeliveryPolicy": {
      let p: { healthyRetryPolicy?: SnsHealthyRetryPolicy };
      try {
        p = JSON.parse(value) as { healthyRetryPolicy?: SnsHealthyRetryPolicy };
      } catch {
        throw fail(`DeliveryPolicy: failed to parse JSON. ${jsonError(value)}`);
      }
      if (p?.healthyRetryPolicy) {
        const problems = snsHttpPolicyProblems(p.healthyRetryPolicy);
        if (problems.length) throw fail(`DeliveryPolicy: ${problems[0]}`);
      }
      return;
    }
  }
}

function checkFilter(policy: string, scope: string, fail: (m: string) => Error): void {
  try {
    compileFilterPolicy(policy, scope as FilterScope);
  } catch (e) {
    if (e instanceof NestedPolicyError) throw invalidParameter(e.message);
    if (e instanceof FilterPolicyError) throw fail(`FilterPolicy: ${e.message}`);
    throw e;
  }
}

/** Internal flag set by ConfirmSubscription(AuthenticateOnUnsubscribe=true); never shown as an attribute. */
export const AUTH_ON_UNSUBSCRIBE = "__AuthenticateOnUnsubscribe";

export const newSubscriptionArn = (topicArn: string) => `${topicArn}:${randomUUID()}`;
export const newToken = () => randomBytes(64).toString("hex");

/** GetSubscriptionAttributes' answer (recorded field set). */
export function subscriptionAttributes(s: SubscriptionRecord, topic: TopicRecord | undefined): Record<string, string> {
  const out: Record<string, string> = {
    Owner: s.owner,
    RawMessageDelivery: "false",
    TopicArn: s.topicArn,
    Endpoint: s.endpoint,
    Protocol: s.protocol,
    PendingConfirmation: s.confirmed ? "false" : "true",
    ConfirmationWasAuthenticated: s.confirmed ? "true" : "false",
    SubscriptionArn: s.arn,
    SubscriptionPrincipal: `arn:aws:iam::${s.owner}:user/vigil`,
    ...s.attributes,
  };
  delete out[AUTH_ON_UNSUBSCRIBE];
  if (out.FilterPolicy && !out.FilterPolicyScope) out.FilterPolicyScope = "MessageAttributes";
  if ((s.protocol === "http" || s.protocol === "https") && topic) {
    const eff = effectiveDeliveryPolicy(topic.attributes.DeliveryPolicy).http;
    let own: Record<string, unknown> = {};
    try {
      if (s.attributes.DeliveryPolicy) own = JSON.parse(s.attributes.DeliveryPolicy) as Record<string, unknown>;
    } catch {
      own = {};
    }
    out.EffectiveDeliveryPolicy = JSON.stringify({
      healthyRetryPolicy: { ...eff.defaultHealthyRetryPolicy, ...(own.healthyRetryPolicy as object) },
      ...(own.throttlePolicy ? { throttlePolicy: own.throttlePolicy } : {}),
      requestPolicy: own.requestPolicy ?? eff.defaultRequestPolicy,
    });
  }
  return out;
}

/** Enqueues the SubscriptionConfirmation POST of an HTTP/S subscription (signed, with Token and SubscribeURL). */
export async function sendConfirmation(
  state: SnsState,
  topic: TopicRecord,
  sub: SubscriptionRecord,
  endpoint: string,
): Promise<void> {
  const signer = state.signer();
  const messageId = randomUUID();
  const subscribeURL = subscribeUrl(endpoint, topic.arn, sub.token!);
  const env: Record<string, unknown> = {
    Type: "SubscriptionConfirmation",
    MessageId: messageId,
    Token: sub.token,
    TopicArn: topic.arn,
    Message: `You have chosen to subscribe to the topic ${topic.arn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: subscribeURL,
    Timestamp: new Date(state.deps.clock.now()).toISOString(),
  };
  const version = topic.attributes.SignatureVersion ?? "1";
  env.SignatureVersion = version;
  env.Signature = signer.sign(stringToSign(env), version);
  env.SigningCertURL = signer.certUrl(endpoint);
  if (sub.protocol === "http" || sub.protocol === "https") {
    const target: SnsHttpTarget = {
      url: sub.endpoint,
      topicArn: topic.arn,
      subscriptionArn: sub.arn,
      messageId,
      type: "SubscriptionConfirmation",
      raw: false,
      contentType: "text/plain; charset=UTF-8",
    };
    await state.delivery.enqueue([
      {
        account: topic.account,
        region: topic.region,
        kind: SNS_HTTP_KIND,
        target,
        payload: JSON.stringify(env),
        policy: httpPolicy(topic, sub),
      },
    ]);
    return;
  }
  // email / email-json: the confirmation email.
  const json = sub.protocol === "email-json";
  const text = json
    ? JSON.stringify(env)
    : `You have chosen to subscribe to the topic: \n${topic.arn}\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary): \n${subscribeURL}\n\nPlease do not reply directly to this email. If you wish to remove yourself from receiving all future SNS subscription confirmation requests please send an email to sns-opt-out`;
  await state.delivery.enqueue([
    {
      account: topic.account,
      region: topic.region,
      kind: "sns.email",
      target: {
        to: sub.endpoint,
        topicArn: topic.arn,
        subscriptionArn: sub.arn,
        subject: "AWS Notification - Subscription Confirmation",
        json,
        type: "SubscriptionConfirmation",
      },
      payload: text,
      policy: SNS_CUSTOMER_MANAGED_POLICY,
    },
  ]);
}
