/**
 * Calls one service makes into another inside the server (alarm actions publish to SNS, EventBridge targets send to
 * SQS, CloudTrail writes to S3, every service emits CloudWatch metrics). Each service installs its own entries when
 * it starts (runtimes.ts); a caller finds them with `internal(stores)`. An entry that is not installed yet is
 * undefined: optional work (metrics) is skipped, required work fails with a clear error.
 *
 * Durable deliveries go through the delivery engine (src/delivery/) with the shared kinds below, whose senders call
 * these entries; the payload is the JSON of the kind's message type.
 */
import type { Logger } from "pino";
import type { VigilConfig } from "../config.js";
import type { AuditRecorder } from "../audit/recorder.js";
import type { DeliveryEngine } from "../delivery/engine.js";
import type { Clock } from "../runtime/clock.js";
import type { Scheduler } from "../runtime/scheduler.js";
import type { Stores } from "../storage/types.js";
import type { OutgoingMessage } from "./sqs/send.js";

/** What a service's runtime gets at start-up. */
export interface ServiceDeps {
  config: VigilConfig;
  stores: Stores;
  clock: Clock;
  scheduler: Scheduler;
  log: Logger;
  delivery: DeliveryEngine;
  recorder: AuditRecorder;
}

export interface ServiceRuntime {
  /** Ends long-lived work (waits, sockets) when the server closes; the scheduler and delivery stop on their own. */
  close?(): void | Promise<void>;
}

/** Who is publishing or writing on a resource's behalf: an AWS service principal, or an account's principal. */
export interface Publisher {
  /** The calling account (the resource owner for service deliveries). */
  account: string;
  /** Service principal, e.g. "cloudwatch.amazonaws.com", "s3.amazonaws.com", "events.amazonaws.com". */
  service?: string;
  /** aws:SourceArn: the alarm, bucket, rule or trail the delivery comes from. */
  sourceArn?: string;
  /** aws:SourceAccount. */
  sourceAccount?: string;
  /** Principal id / ARN of an account principal (used where the resource records who sent). */
  principalId?: string;
  principalArn?: string;
}

export interface SnsMessageAttribute {
  DataType: string;
  StringValue?: string;
  /** Base64. */
  BinaryValue?: string;
}

/** One Publish as a service makes it. */
export interface SnsMessage {
  message: string;
  subject?: string;
  messageStructure?: "json";
  messageAttributes?: Record<string, SnsMessageAttribute>;
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

/** A PutMetricData datum as services emit them (Timestamp in epoch ms). */
export interface MetricDatumInput {
  MetricName: string;
  Dimensions?: { Name: string; Value: string }[];
  Value?: number;
  Values?: number[];
  Counts?: number[];
  StatisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
  Unit?: string;
  /** ms since the epoch (services), or a Date (PutMetricData as decoded from the wire). */
  Timestamp?: number | Date;
  StorageResolution?: number;
}

/** An event a service puts on a bus (the envelope's id, time, account and region are filled in by EventBridge). */
export interface ServiceEvent {
  source: string;
  detailType: string;
  /**
   * The detail object (serialized by EventBridge), or a function that makes it: called only when the bus has a rule
   * or an archive to give the event to (a service emitting thousands of events need not build what nobody reads).
   */
  detail: unknown;
  resources?: string[];
  /** Epoch ms; default now. */
  time?: number;
}

/** A service event's detail object, made now if it was given as a function. */
export const detailOf = (e: ServiceEvent): unknown =>
  typeof e.detail === "function" ? (e.detail as () => unknown)() : e.detail;

export interface ServiceObjectWrite {
  bucket: string;
  key: string;
  body: Buffer;
  contentType?: string;
  contentEncoding?: string;
  /** User metadata without the x-amz-meta- prefix (kept lower-case as S3 does). */
  metadata?: Record<string, string>;
}

export interface InternalServices {
  /** SQS: sends as SendMessage would (same checks); undefined when the queue does not exist. Throws the SendMessage AwsError. */
  sqsSend?(queueArn: string, message: OutgoingMessage, sender: Publisher): Promise<string | undefined>;
  /**
   * SNS: publishes to a topic as `publisher`; the topic policy decides for service principals and other accounts.
   * Resolves with the message id; throws AwsError NotFound (no such topic) or AuthorizationError (policy refuses).
   */
  snsPublish?(topicArn: string, message: SnsMessage, publisher: Publisher): Promise<{ messageId: string }>;
  /** CloudWatch: stores service metrics (AWS/Logs, AWS/SQS, AWS/SNS, AWS/Events). Never throws for a valid datum. */
  putMetrics?(account: string, region: string, namespace: string, datums: MetricDatumInput[]): Promise<void>;
  /** EventBridge: puts service events on a bus of account/region (default "default"); rules and targets apply. */
  putEvents?(account: string, region: string, events: ServiceEvent[], busName?: string): Promise<void>;
  /** CloudWatch Logs: appends events to a stream (created when missing) as a service delivery. */
  putLogEvents?(
    account: string,
    region: string,
    logGroupName: string,
    logStreamName: string,
    events: { timestamp: number; message: string }[],
  ): Promise<void>;
  /**
   * S3: whether `publisher` may PutObject at bucket/key (bucket owner, or the bucket policy allows it).
   * "NoSuchBucket" | "AccessDenied" | "ok".
   */
  s3CanWrite?(bucket: string, key: string, publisher: Publisher): Promise<"ok" | "NoSuchBucket" | "AccessDenied">;
  /** S3: writes an object as `publisher` (checked as s3CanWrite); resolves with the ETag after commit. */
  s3PutObject?(write: ServiceObjectWrite, publisher: Publisher): Promise<{ etag: string }>;
}

const registry = new WeakMap<Stores, InternalServices>();

/** The entries installed on the server owning `stores`. */
export function internal(stores: Stores): InternalServices {
  let entries = registry.get(stores);
  if (!entries) registry.set(stores, (entries = {}));
  return entries;
}

/** Shared delivery kinds: enqueue with these and the owning service's sender delivers. */
export const SNS_PUBLISH_KIND = "sns.publish";
/** Target of an SNS_PUBLISH_KIND delivery; the payload is the JSON of an SnsMessage. */
export interface SnsPublishTarget {
  topicArn: string;
  publisher: Publisher;
}
export const SQS_SEND_KIND = "sqs.send";
/** Target of an SQS_SEND_KIND delivery; the payload is the JSON of an OutgoingMessage. */
export interface SqsSendTarget {
  queueArn: string;
  publisher: Publisher;
}
