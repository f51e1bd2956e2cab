/**
 * Topics: names, attributes as SNS answers them (GetTopicAttributes in the recordings: the default Policy, Owner,
 * EffectiveDeliveryPolicy, the subscription counts), and the checks of CreateTopic and SetTopicAttributes.
 */
import type { SubscriptionRecord, TopicRecord } from "../../storage/sns-store.js";
import { snsHttpPolicyProblems, type SnsHealthyRetryPolicy } from "../../delivery/retry.js";
import type { RequestContext } from "../types.js";
import { invalidParameter, parseTopicArn, topicNotFound } from "./errors.js";

/** Attributes CreateTopic and SetTopicAttributes accept (FifoTopic only at creation). */
const FEEDBACK = ["Application", "Firehose", "HTTP", "Lambda", "SQS"].flatMap((p) => [
  `${p}SuccessFeedbackRoleArn`,
  `${p}SuccessFeedbackSampleRate`,
  `${p}FailureFeedbackRoleArn`,
]);
export const SETTABLE = new Set([
  "DisplayName",
  "Policy",
  "DeliveryPolicy",
  "ContentBasedDeduplication",
  "KmsMasterKeyId",
  "SignatureVersion",
  "TracingConfig",
  "ArchivePolicy",
  "FifoThroughputScope",
  ...FEEDBACK,
]);

/** 1-256 ASCII letters, digits, hyphens, underscores; FIFO topics end in ".fifo" (CreateTopic API reference). */
const NAME = /^[A-Za-z0-9_-]{1,256}$/;

export function checkTopicName(name: string, fifo: boolean): void {
  const base = fifo ? (name.endsWith(".fifo") ? name.slice(0, -5) : undefined) : name;
  if (base === undefined || !NAME.test(base) || name.length > 256) throw invalidParameter("Topic Name");
}

export const topicArn = (region: string, account: string, name: string) => `arn:aws:sns:${region}:${account}:${name}`;

/** The policy AWS gives a new topic: the owner account may do everything (recorded GetTopicAttributes). */
export function defaultPolicy(arn: string, account: string): string {
  return JSON.stringify({
    Version: "2008-10-17",
    Id: "__default_policy_ID",
    Statement: [
      {
        Sid: "__default_statement_ID",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: [
          "SNS:GetTopicAttributes",
          "SNS:SetTopicAttributes",
          "SNS:AddPermission",
          "SNS:RemovePermission",
          "SNS:DeleteTopic",
          "SNS:Subscribe",
          "SNS:ListSubscriptionsByTopic",
          "SNS:Publish",
        ],
        Resource: arn,
        Condition: { StringEquals: { "AWS:SourceOwner": account } },
      },
    ],
  });
}

const DEFAULT_HTTP = {
  defaultHealthyRetryPolicy: {
    minDelayTarget: 20,
    maxDelayTarget: 20,
    numRetries: 3,
    numMaxDelayRetries: 0,
    numNoDelayRetries: 0,
    numMinDelayRetries: 0,
    backoffFunction: "linear",
  },
  disableSubscriptionOverrides: false,
  defaultRequestPolicy: { headerContentType: "text/plain; charset=UTF-8" },
};

interface HttpDeliveryPolicy {
  defaultHealthyRetryPolicy?: SnsHealthyRetryPolicy;
  disableSubscriptionOverrides?: boolean;
  defaultRequestPolicy?: { headerContentType?: string };
  defaultThrottlePolicy?: { maxReceivesPerSecond?: number };
}

/** The topic's DeliveryPolicy merged over SNS's defaults (EffectiveDeliveryPolicy). */
export function effectiveDeliveryPolicy(deliveryPolicy: string | undefined): {
  http: HttpDeliveryPolicy & typeof DEFAULT_HTTP;
} {
  let given: { http?: HttpDeliveryPolicy } = {};
  try {
    if (deliveryPolicy) given = JSON.parse(deliveryPolicy) as { http?: HttpDeliveryPolicy };
  } catch {
    given = {};
  }
  const http = given.http ?? {};
  return {
    http: {
      ...DEFAULT_HTTP,
      ...http,
      defaultHealthyRetryPolicy: { ...DEFAULT_HTTP.defaultHealthyRetryPolicy, ...http.defaultHealthyRetryPolicy },
      defaultRequestPolicy: { ...DEFAULT_HTTP.defaultRequestPolicy, ...http.defaultRequestPolicy },
    } as HttpDeliveryPolicy & typeof DEFAULT_HTTP,
  };
}

/** Checks one settable attribute's value; throws InvalidParameter as SNS does. */
export function checkTopicAttribute(name: string, value: string, fifo: boolean): void {
  if (!SETTABLE.has(name)) throw invalidParameter("AttributeName");
  switch (name) {
    case "Policy":
      try {
        const p = JSON.parse(value) as unknown;
        if (!p || typeof p !== "object") throw new Error();
      } catch {
        throw invalidParameter("Policy: failed to parse JSON.");
      }
      return;
    case "DeliveryPolicy": {
      let p: { http?: HttpDeliveryPolicy };
      try {
        p = JSON.parse(value) as { http?: HttpDeliveryPolicy };
      } catch {
        throw invalidParameter("DeliveryPolicy: failed to parse JSON.");
      }
      const retry = p?.http?.defaultHealthyRetryPolicy;
      if (retry) {
        const problems = snsHttpPolicyProblems(retry);
        if (problems.length) throw invalidParameter(`DeliveryPolicy: ${problems[0]}`);
      }
      return;
    }
    case "ContentBasedDeduplication":
      if (value !== "true" && value !== "false") throw invalidParameter("ContentBasedDeduplication");
      // "ContentBasedDeduplication ... Applies only to FIFO topics."
      if (!fifo && value === "true")
        throw invalidParameter(
          "ContentBasedDeduplication: Invalid attribute ContentBasedDeduplication for non FIFO topics",
        );
      return;
    case "SignatureVersion":
      if (value !== "1" && value !== "2") throw invalidParameter("SignatureVersion");
      return;
    case "TracingConfig":
      if (value !== "PassThrough" && value !== "Active") throw invalidParameter("TracingConfig");
      return;
    case "DisplayName":
      // "can include up to 100 characters, including hyphens (-), underscores (_), spaces, and tabs".
      if (value.length > 100) throw invalidParameter("DisplayName");
      return;
  }
}

/** The topic from its ARN in the caller's scope; NotFound as SNS answers. */
export async function topicOf(ctx: RequestContext, arn: string, param = "TopicArn"): Promise<TopicRecord> {
  const { account, region } = parseTopicArn(param, arn);
  const topic = account === ctx.account && region === ctx.region ? await ctx.stores.sns.getTopic(arn) : undefined;
  if (!topic) throw topicNotFound();
  return topic;
}

/** GetTopicAttributes' answer. */
export function topicAttributes(topic: TopicRecord, subs: SubscriptionRecord[]): Record<string, string> {
  const a = topic.attributes;
  const out: Record<string, string> = {
    Policy: a.Policy ?? defaultPolicy(topic.arn, topic.account),
    Owner: topic.account,
    SubscriptionsPending: String(subs.filter((s) => !s.confirmed).length),
    TopicArn: topic.arn,
    EffectiveDeliveryPolicy: JSON.stringify(effectiveDeliveryPolicy(a.DeliveryPolicy)),
    SubscriptionsConfirmed: String(subs.filter((s) => s.confirmed).length),
    DisplayName: a.DisplayName ?? "",
    SubscriptionsDeleted: "0",
  };
  for (const [k, v] of Object.entries(a)) if (k !== "Policy") out[k] = v;
  if (topic.fifo) {
    out.FifoTopic = "true";
    out.ContentBasedDeduplication = a.ContentBasedDeduplication ?? "false";
  }
  return out;
}
