/**
 * Helpers of the metrics tests: a Vigil on the manual clock (memory, or PostgreSQL with DATABASE_URL), a CloudWatch
 * client per wire protocol, and boto3 forced onto one protocol through a model variant (AWS_DATA_PATH).
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { AwsJson1_0Protocol, AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from "@aws-sdk/core/protocols";
import type { ServerOptions } from "../../src/server.js";
import { awsEnv, python, type Vigil } from "../helpers/vigil.js";
import { startLogsVigil } from "../logs/metadata-helpers.js";

/**
 * Asserts that `p` rejects with this error code and message. The JS SDK names CloudWatch errors by their shape
 * (InvalidParameterValueException) and keeps AWS's Query code (InvalidParameterValue) in `Code`: that is compared.
 */
export async function rejects(p: Promise<unknown>, code: string, message: string | RegExp): Promise<Error> {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as (Error & { Code?: string }) | undefined;
  assert.ok(err, `expected ${code}, but the call succeeded`);
  assert.equal(err.Code ?? err.name, code, err.message);
  if (typeof message === "string") assert.equal(err.message, message);
  else assert.match(err.message, message);
  return err;
}

export const START = Date.parse("2026-11-23T10:00:00Z");

export function startMetricsVigil(options: ServerOptions = {}): Promise<Vigil> {
  return startLogsVigil({ clock: "manual", clockStart: new Date(START).toISOString(), ...options });
}

/** The JS SDK on each of CloudWatch's protocols. */
export const PROTOCOLS = {
  json: AwsJson1_0Protocol,
  query: AwsQueryProtocol,
  cbor: AwsSmithyRpcV2CborProtocol,
} as const;
export type ProtocolName = keyof typeof PROTOCOLS;

export const cwOn = (vigil: Vigil, protocol: ProtocolName): CloudWatchClient =>
  vigil.client(CloudWatchClient, { protocol: PROTOCOLS[protocol] });

const BOTO_PROTOCOL: Record<ProtocolName, string> = { json: "json", query: "query", cbor: "smithy-rpc-v2-cbor" };
const variants = new Map<string, string>();

/** A botocore data directory whose CloudWatch model lists only `protocol`, so boto3 speaks it. */
export function modelVariant(protocol: ProtocolName): string {
  const p = BOTO_PROTOCOL[protocol];
  let dir = variants.get(p);
  if (dir) return dir;
  dir = mkdtempSync(path.join(os.tmpdir(), `vigil-metrics-model-${protocol}-`));
  const model = JSON.parse(readFileSync(new URL("../../models/cloudwatch.json", import.meta.url), "utf8"));
  model.metadata.protocol = p;
  model.metadata.protocols = [p];
  mkdirSync(path.join(dir, "cloudwatch", "2010-08-01"), { recursive: true });
  writeFileSync(path.join(dir, "cloudwatch", "2010-08-01", "service-2.json"), JSON.stringify(model));
  variants.set(p, dir);
  return dir;
}

/** Runs boto3 code with `cw` a CloudWatch client on `protocol`; returns the JSON it prints. */
export async function boto(vigil: Vigil, protocol: ProtocolName, code: string): Promise<unknown> {
  const out = await python(
    `import boto3, json, datetime, math
from datetime import timezone
cw = boto3.client("cloudwatch")
assert cw.meta.service_model.resolved_protocol == ${JSON.stringify(BOTO_PROTOCOL[protocol])}
def err(f):
    try:
        f()
        return None
    except cw.exceptions.ClientError as e:
        return [e.response["Error"]["Code"], e.response["Error"]["Message"]]
${code}`,
    { ...awsEnv(vigil.url), AWS_DATA_PATH: modelVariant(protocol) },
  );
  return JSON.parse(out);
}
