/** Helpers of the alarm tests: a Vigil on the manual clock (memory, or PostgreSQL with DATABASE_URL), error checks. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { ServerOptions } from "../../src/server.js";
import type { Vigil } from "../helpers/vigil.js";
import { startLogsVigil } from "../logs/metadata-helpers.js";

export { rejects } from "../logs/metadata-helpers.js";

export const START = Date.parse("2026-11-23T10:00:00Z");
export const ACCOUNT = "000000000000";
export const REGION = "us-east-1";

export function startAlarmsVigil(options: ServerOptions = {}): Promise<Vigil> {
  return startLogsVigil({ clock: "manual", clockStart: new Date(START).toISOString(), ...options });
}

export const cw = (vigil: Vigil): CloudWatchClient => vigil.client(CloudWatchClient);

export const alarmArn = (name: string) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`;
export const topicArn = (name: string) => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;

/**
 * The error name the JS SDK shows for a CloudWatch error code: the model's shape name (the JSON body's __type), while
 * boto3 and the CLI show the Query code from x-amzn-query-error.
 */
export function sdkName(code: string): string {
  const shapes: Record<string, string> = {
    ValidationError: "ValidationException",
    InvalidParameterCombination: "InvalidParameterCombinationException",
    InvalidParameterValue: "InvalidParameterValueException",
    MissingParameter: "MissingRequiredParameterException",
    InvalidFormat: "InvalidFormatFault",
    LimitExceeded: "LimitExceededFault",
  };
  return shapes[code] ?? code;
}

/** A botocore data directory whose CloudWatch model lists only `protocol`, so boto3 and the CLI speak it. */
export function modelVariant(protocol: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `vigil-alarms-model-${protocol}-`));
  const model = JSON.parse(readFileSync(new URL("../../models/cloudwatch.json", import.meta.url), "utf8"));
  model.metadata.protocol = protocol;
  model.metadata.protocols = [protocol];
  mkdirSync(path.join(dir, "cloudwatch", "2010-08-01"), { recursive: true });
  writeFileSync(path.join(dir, "cloudwatch", "2010-08-01", "service-2.json"), JSON.stringify(model));
  return dir;
}

export const BOTO_PROTOCOLS = ["json", "query", "smithy-rpc-v2-cbor"] as const;
