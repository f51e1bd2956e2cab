/**
 * S3 event notifications (https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html): the stored
 * NotificationConfiguration, which configurations an event matches (event type, prefix/suffix filter rules), the
 * event message (notification-content-structure.html, eventVersion 2.1) and the EventBridge events ("Object Created",
 * "Object Deleted", ev-events.html), turned into deliveries enqueued with the write that caused them.
 */
import { randomBytes } from "node:crypto";
import { eventBridgeRetryPolicy, type NewDelivery } from "../../delivery/index.js";
import type { S3BucketRecord, S3ObjectRecord } from "../../storage/s3-store.js";
import {
  SNS_PUBLISH_KIND,
  SQS_SEND_KIND,
  type Publisher,
  type ServiceEvent,
  type SnsMessage,
  type SnsPublishTarget,
  type SqsSendTarget,
} from "../internal.js";

export const EVENTBRIDGE_KIND = "s3.eventbridge";
export interface EventBridgeTarget {
  account: string;
  region: string;
}

export interface FilterRule {
  Name: string;
  Value: string;
}
interface Filter {
  Key?: { FilterRules?: FilterRule[] };
}
export interface QueueConfiguration {
  Id?: string;
  QueueArn: string;
  Events: string[];
  Filter?: Filter;
}
export interface TopicConfiguration {
  Id?: string;
  TopicArn: string;
  Events: string[];
  Filter?: Filter;
}
export interface LambdaConfiguration {
  Id?: string;
  LambdaFunctionArn: string;
  Events: string[];
  Filter?: Filter;
}
export interface NotificationConfiguration {
  QueueConfigurations?: QueueConfiguration[];
  TopicConfigurations?: TopicConfiguration[];
  LambdaFunctionConfigurations?: LambdaConfiguration[];
  EventBridgeConfiguration?: Record<string, never>;
}

/** What happened, as the event names it. */
export interface ObjectEvent {
  /** "ObjectCreated:Put", "ObjectCreated:Copy", "ObjectRemoved:Delete". */
  name: string;
  bucket: S3BucketRecord;
  object: S3ObjectRecord;
  time: number;
  requestId: string;
  hostId: string;
  /** principalId of the caller ("AWS:AIDA..."), or the service for internal writes. */
  principalId: string;
  sourceIp: string;
  /** The account of the caller (EventBridge `requester`). */
  requester: string;
  /** The API operation (EventBridge `reason`). */
  reason: string;
}

export function parseNotification(json: string | null): NotificationConfiguration {
  return json ? (JSON.parse(json) as NotificationConfiguration) : {};
}

/** A configuration id as S3 generates one when the request has none (an opaque base64 text). */
export const newConfigurationId = () => randomBytes(36).toString("base64").replace(/[+/=]/g, "").slice(0, 48);

function filterMatches(filter: Filter | undefined, key: string): boolean {
  for (const rule of filter?.Key?.FilterRules ?? []) {
    const name = rule.Name.toLowerCase();
    if (name === "prefix" && !key.startsWith(rule.Value)) return false;
    if (name === "suffix" && !key.endsWith(rule.Value)) return false;
  }
  return true;
}

/** `s3:ObjectCreated:*` matches every ObjectCreated event; otherwise the names must be equal. */
function eventMatches(events: string[], name: string): boolean {
  const full = `s3:${name}`;
  return events.some((e) => e === full || (e.endsWith(":*") && full.startsWith(e.slice(0, -1))));
}

/** The key as the event carries it: URL-encoded, spaces as `+`, slashes kept (as S3 sends it). */
export const eventKey = (key: string) => encodeURIComponent(key).replace(/%20/g, "+").replace(/%2F/g, "/");

/** A sequencer: hex, increasing with time for a key (S3 only promises ordering per key). */
function sequencer(time: number): string {
  return (time.toString(16).toUpperCase().padStart(12, "0") + randomBytes(3).toString("hex").toUpperCase()).slice(
    0,
    18,
  );
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The event record of one configuration (configurationId differs per destination). */
function eventMessage(e: ObjectEvent, configurationId: string, seq: string): string {
  const created = e.name.startsWith("ObjectCreated");
  const object: Record<string, unknown> = { key: eventKey(e.object.key) };
  if (created) {
    object.size = e.object.size;
    object.eTag = e.object.etag.replace(/"/g, "");
  }
  object.sequencer = seq;
  return JSON.stringify({
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: e.bucket.region,
        eventTime: iso(e.time),
        eventName: e.name,
        userIdentity: { principalId: e.principalId },
        requestParameters: { sourceIPAddress: e.sourceIp },
        responseElements: { "x-amz-request-id": e.requestId, "x-amz-id-2": e.hostId },
        s3: {
          s3SchemaVersion: "1.0",
          configurationId,
          bucket: {
            name: e.bucket.name,
            ownerIdentity: { principalId: e.bucket.account },
            arn: bucketArn(e.bucket.name),
          },
          object,
        },
      },
    ],
  });
}

export const bucketArn = (name: string) => `arn:aws:s3:::${name}`;

/** S3 delivering on a bucket's behalf (aws:SourceArn the bucket, aws:SourceAccount its owner). */
export const s3Publisher = (bucket: S3BucketRecord): Publisher => ({
  account: bucket.account,
  service: "s3.amazonaws.com",
  sourceArn: bucketArn(bucket.name),
  sourceAccount: bucket.account,
});

/**
 * The deliveries an object event causes under the bucket's configuration. Retries: AWS does not publish S3's
 * policy; Vigil uses EventBridge's defaults (185 attempts over 24 hours).
 */
export function deliveriesFor(e: ObjectEvent): NewDelivery[] {
  const cfg = parseNotification(e.bucket.notification);
  const out: NewDelivery[] = [];
  const policy = eventBridgeRetryPolicy();
  const publisher = s3Publisher(e.bucket);
  const seq = sequencer(e.time);
  const base = { account: e.bucket.account, region: e.bucket.region, policy };
  for (const q of cfg.QueueConfigurations ?? []) {
    if (!eventMatches(q.Events, e.name) || !filterMatches(q.Filter, e.object.key)) continue;
    out.push({
      ...base,
      kind: SQS_SEND_KIND,
      target: { queueArn: q.QueueArn, publisher } satisfies SqsSendTarget,
      payload: JSON.stringify({ MessageBody: eventMessage(e, q.Id ?? "", seq) }),
    });
  }
  for (const t of cfg.TopicConfigurations ?? []) {
    if (!eventMatches(t.Events, e.name) || !filterMatches(t.Filter, e.object.key)) continue;
    const msg: SnsMessage = { message: eventMessage(e, t.Id ?? "", seq), subject: "Amazon S3 Notification" };
    out.push({
      ...base,
      kind: SNS_PUBLISH_KIND,
      target: { topicArn: t.TopicArn, publisher } satisfies SnsPublishTarget,
      payload: JSON.stringify(msg),
    });
  }
  if (cfg.EventBridgeConfiguration) {
    const created = e.name.startsWith("ObjectCreated");
    const object: Record<string, unknown> = { key: e.object.key };
    if (created) {
      object.size = e.object.size;
      object.etag = e.object.etag.replace(/"/g, "");
    }
    object.sequencer = seq;
    const detail: Record<string, unknown> = {
      version: "0",
      bucket: { name: e.bucket.name },
      object,
      "request-id": e.requestId,
      requester: e.requester,
      "source-ip-address": e.sourceIp,
      reason: e.reason,
    };
    if (!created) detail["deletion-type"] = "Permanently Deleted";
    const event: ServiceEvent = {
      source: "aws.s3",
      detailType: created ? "Object Created" : "Object Deleted",
      detail,
      resources: [bucketArn(e.bucket.name)],
      time: e.time,
    };
    out.push({
      ...base,
      kind: EVENTBRIDGE_KIND,
      target: { account: e.bucket.account, region: e.bucket.region } satisfies EventBridgeTarget,
      payload: JSON.stringify(event),
    });
  }
  return out;
}

/** The message S3 sends to a destination when a configuration is saved. */
export function testEvent(bucket: string, time: number, requestId: string, hostId: string): string {
  return JSON.stringify({
    Service: "Amazon S3",
    Event: "s3:TestEvent",
    Time: iso(time),
    Bucket: bucket,
    RequestId: requestId,
    HostId: hostId,
  });
}
