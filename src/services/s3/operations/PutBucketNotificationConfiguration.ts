/**
 * PutBucketNotificationConfiguration: checks the configurations (filter rules `prefix` / `suffix`, at most one of
 * each), gives each an Id when it has none, and validates every destination unless x-amz-skip-destination-validation:
 * the queue or topic must exist and its policy must let s3.amazonaws.com send from this bucket, else
 * InvalidArgument "Unable to validate the following destination configurations" with ArgumentNameN / ArgumentValueN.
 * As AWS does, each valid queue and topic then receives an s3:TestEvent.
 */
import { awsError, isAwsError } from "../../../errors/index.js";
import { hostIdFor } from "../../../protocol/rest-xml.js";
import { queueByArn } from "../../sqs/queues.js";
import { internal } from "../../internal.js";
import type { Handler, RequestContext } from "../../types.js";
import { invalidArgument } from "../errors.js";
import { authorize } from "../objects.js";
import {
  bucketArn,
  newConfigurationId,
  s3Publisher,
  testEvent,
  type NotificationConfiguration,
  type FilterRule,
} from "../notifications.js";
import { evaluatePolicy } from "../policy.js";
import type { S3BucketRecord } from "../../../storage/s3-store.js";

interface AnyConfig {
  Id?: string;
  Events?: string[];
  Filter?: { Key?: { FilterRules?: FilterRule[] } };
}

function checkConfig(c: AnyConfig): void {
  if (!c.Events || c.Events.length === 0)
    throw invalidArgument("A specified event is not supported for notifications.");
  const seen = new Set<string>();
  for (const rule of c.Filter?.Key?.FilterRules ?? []) {
    const name = (rule.Name ?? "").toLowerCase();
    if (name !== "prefix" && name !== "suffix") {
      throw invalidArgument("filter rule name must be either prefix or suffix", "FilterRule.Name", rule.Name);
    }
    if (seen.has(name))
      throw invalidArgument(`Cannot specify more than one ${name} rule in a filter.`, "FilterRule.Name", rule.Name);
    seen.add(name);
  }
  c.Id ??= newConfigurationId();
}

const ruleValue = (c: AnyConfig, name: string) =>
  c.Filter?.Key?.FilterRules?.find((r) => r.Name.toLowerCase() === name)?.Value ?? "";
const eventsOverlap = (a: string, b: string) =>
  a === b || (a.endsWith(":*") && b.startsWith(a.slice(0, -1))) || (b.endsWith(":*") && a.startsWith(b.slice(0, -1)));

/**
 * S3 refuses two configurations that one event could match twice: overlapping event types whose prefixes overlap
 * (one starts the other) and whose suffixes overlap (one ends the other).
 */
function checkOverlaps(all: AnyConfig[]): void {
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i]!;
      const b = all[j]!;
      if (!a.Events!.some((x) => b.Events!.some((y) => eventsOverlap(x, y)))) continue;
      const [pa, pb, sa, sb] = [
        ruleValue(a, "prefix"),
        ruleValue(b, "prefix"),
        ruleValue(a, "suffix"),
        ruleValue(b, "suffix"),
      ];
      if ((pa.startsWith(pb) || pb.startsWith(pa)) && (sa.endsWith(sb) || sb.endsWith(sa))) {
        throw invalidArgument(
          "Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.",
          "Event",
          a.Events!.find((x) => b.Events!.some((y) => eventsOverlap(x, y))),
        );
      }
    }
  }
}

const NO_PERMISSION = (what: string) =>
  `Permissions on the destination ${what} do not allow S3 to publish notifications from this bucket`;

async function validateQueue(ctx: RequestContext, b: S3BucketRecord, arn: string): Promise<string | undefined> {
  const q = await queueByArn(ctx, arn);
  if (!q) return "The destination queue does not exist";
  const decision = evaluatePolicy(q.attributes.Policy, {
    principal: { type: "Service", service: "s3.amazonaws.com" },
    action: "sqs:SendMessage",
    resource: arn,
    context: { "aws:SourceArn": bucketArn(b.name), "aws:SourceAccount": b.account },
  });
  return decision === "Allow" ? undefined : NO_PERMISSION("queue");
}

export const PutBucketNotificationConfiguration: Handler = async (input, ctx) => {
  const name = input.Bucket as string;
  const b = await authorize(ctx, name, "s3:PutBucketNotification", undefined, true, input.ExpectedBucketOwner);
  const cfg = (input.NotificationConfiguration ?? {}) as NotificationConfiguration;
  const all: AnyConfig[] = [
    ...(cfg.QueueConfigurations ?? []),
    ...(cfg.TopicConfigurations ?? []),
    ...(cfg.LambdaFunctionConfigurations ?? []),
  ];
  all.forEach(checkConfig);
  checkOverlaps(all);
  const ids = new Set<string>();
  for (const c of all) {
    if (ids.has(c.Id!)) throw invalidArgument("Configuration Id must be unique.", "Id", c.Id);
    ids.add(c.Id!);
  }
  const failures: [string, string][] = [];
  const test = testEvent(name, ctx.clock.now(), ctx.requestId, hostIdFor(ctx.requestId));
  const publisher = s3Publisher(b);
  if (!input.SkipDestinationValidation) {
    for (const q of cfg.QueueConfigurations ?? []) {
      const problem = await validateQueue(ctx, b, q.QueueArn);
      if (problem) failures.push([q.QueueArn, problem]);
    }
    const snsPublish = internal(ctx.stores).snsPublish;
    for (const t of cfg.TopicConfigurations ?? []) {
      if (!snsPublish) {
        failures.push([t.TopicArn, "The destination topic does not exist"]);
        continue;
      }
      try {
        // The test event doubles as the check: SNS refuses it when the topic is missing or its policy says no.
        await snsPublish(t.TopicArn, { message: test, subject: "Amazon S3 Notification" }, publisher);
      } catch (e) {
        if (!isAwsError(e)) throw e;
        failures.push([
          t.TopicArn,
          e.code === "NotFound" ? "The destination topic does not exist" : NO_PERMISSION("topic"),
        ]);
      }
    }
    for (const l of cfg.LambdaFunctionConfigurations ?? []) {
      failures.push([l.LambdaFunctionArn, "The destination Lambda does not exist"]);
    }
  }
  if (failures.length) {
    const extra: Record<string, string> = {};
    failures.forEach(([arn, why], i) => {
      extra[`ArgumentName${i + 1}`] = arn;
      extra[`ArgumentValue${i + 1}`] = why;
    });
    throw awsError("InvalidArgument", "Unable to validate the following destination configurations", 400, extra);
  }
  const empty = all.length === 0 && !cfg.EventBridgeConfiguration;
  await ctx.stores.s3.setNotification(name, empty ? null : JSON.stringify(cfg));
  if (!input.SkipDestinationValidation) {
    const sqsSend = internal(ctx.stores).sqsSend;
    for (const q of cfg.QueueConfigurations ?? []) {
      await sqsSend?.(q.QueueArn, { MessageBody: test }, publisher).catch((err: unknown) =>
        ctx.log.warn({ err, queue: q.QueueArn }, "s3: test event not delivered"),
      );
    }
  }
  return {};
};
