/** Every service Vigil serves, and the lookups the gateway routes by. */
import { loadModel, type ServiceModel } from "../protocol/model.js";
import type { ServiceDef } from "./types.js";
import { cloudtrail } from "./cloudtrail/index.js";
import { cloudwatch } from "./cloudwatch/index.js";
import { events } from "./events/index.js";
import { firehose } from "./firehose/index.js";
import { iam } from "./iam/index.js";
import { kinesis } from "./kinesis/index.js";
import { logs } from "./logs/index.js";
import { s3 } from "./s3/index.js";
import { sns } from "./sns/index.js";
import { sqs } from "./sqs/index.js";
import { sts } from "./sts/index.js";

export const SERVICES: readonly ServiceDef[] = [
  logs,
  cloudwatch,
  events,
  cloudtrail,
  sns,
  sqs,
  s3,
  iam,
  sts,
  kinesis,
  firehose,
];

export const bySigningName = new Map(SERVICES.map((s) => [s.signingName, s]));
export const byName = new Map(SERVICES.map((s) => [s.name, s]));

/**
 * X-Amz-Target prefixes. Read from the model metadata lazily would cost a parse of every model at start-up;
 * these are the models' `targetPrefix` values, checked against the models by test/services/registry.test.ts.
 */
export const byTargetPrefix = new Map<string, ServiceDef>([
  ["Logs_20140328", logs],
  ["GraniteServiceVersion20100801", cloudwatch],
  ["AWSEvents", events],
  ["com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101", cloudtrail],
  // The JS SDK v3 sends the bare Smithy service name; CloudTrail accepts both.
  ["CloudTrail_20131101", cloudtrail],
  ["AmazonSQS", sqs],
  ["Kinesis_20131202", kinesis],
  ["Firehose_20150804", firehose],
]);

/** Query requests carry Version=<apiVersion>; each API version belongs to one service. */
export const byApiVersion = new Map<string, ServiceDef>([
  ["2010-08-01", cloudwatch],
  ["2010-03-31", sns],
  ["2012-11-05", sqs],
  ["2010-05-08", iam],
  ["2011-06-15", sts],
]);

/** RPC v2 CBOR path segment /service/<name>/: the Smithy service shape name. */
export const byCborServiceName = new Map<string, ServiceDef>([["GraniteServiceVersion20100801", cloudwatch]]);

export const modelOf = (def: ServiceDef): ServiceModel => loadModel(def.name);
