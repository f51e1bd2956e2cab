/**
 * What the S3 operations share: finding a bucket and authorizing the caller on it (owner, or the bucket policy for
 * other accounts and service principals), and storing or deleting an object together with the notifications it causes.
 */
import { createHash } from "node:crypto";
import { awsError } from "../../errors/index.js";
import type { DeliveryEngine } from "../../delivery/engine.js";
import { hostIdFor } from "../../protocol/rest-xml.js";
import type { Clock } from "../../runtime/clock.js";
import { requestId as newRequestId } from "../../runtime/ids.js";
import type { S3BucketRecord, S3ObjectMeta, S3ObjectRecord } from "../../storage/s3-store.js";
import type { Stores } from "../../storage/types.js";
import type { Publisher, ServiceObjectWrite } from "../internal.js";
import type { RequestContext } from "../types.js";
import { md5Hex } from "./checksums.js";
import { accessDenied, noSuchBucket } from "./errors.js";
import { checkKey } from "./names.js";
import { bucketArn, deliveriesFor, type ObjectEvent } from "./notifications.js";
import { evaluatePolicy, type Principal } from "./policy.js";
import { s3Runtime } from "./runtime.js";

export const objectArn = (bucket: string, key: string) => `${bucketArn(bucket)}/${key}`;

/** Unsigned requests are anonymous: only a policy granting everyone ("*") lets them in, as on AWS. */
export const isAnonymous = (ctx: RequestContext) => !ctx.identity.arn;

const callerPrincipal = (ctx: RequestContext): Principal =>
  isAnonymous(ctx) ? { type: "Anonymous" } : { type: "AWS", account: ctx.account, arn: ctx.identity.arn };

/**
 * The bucket, if the caller may do `action` on it (or on `key` in it). The owner may, unless the bucket policy denies
 * it explicitly; another account needs an Allow in the bucket policy. Bucket configuration (policy, notifications,
 * deletion) is the owner's alone.
 */
export async function authorize(
  ctx: RequestContext,
  name: string,
  action: string,
  key?: string,
  ownerOnly = false,
  expectedOwner?: unknown,
): Promise<S3BucketRecord> {
  const b = await ctx.stores.s3.bucket(name);
  if (!b) throw noSuchBucket(name);
  // x-amz-expected-bucket-owner: a bucket of another account is refused (403), whoever may otherwise access it.
  if (expectedOwner !== undefined && expectedOwner !== b.account) throw accessDenied();
  const owner = !isAnonymous(ctx) && b.account === ctx.account;
  if (ownerOnly) {
    if (!owner) throw accessDenied();
    return b;
  }
  const decision = evaluatePolicy(b.policy, {
    principal: callerPrincipal(ctx),
    action,
    resource: key === undefined ? bucketArn(name) : objectArn(name, key),
    context: {
      "aws:SourceIp": ctx.sourceIp,
      "aws:PrincipalAccount": ctx.account,
      "aws:PrincipalArn": ctx.identity.arn,
    },
  });
  if (decision === "Deny" || (!owner && decision !== "Allow")) throw accessDenied();
  return b;
}

/** Whether `publisher` may PutObject at bucket/key: the owner account itself, or the bucket policy allows it. */
export async function canWrite(
  stores: Stores,
  name: string,
  key: string,
  publisher: Publisher,
): Promise<{ result: "ok" | "NoSuchBucket" | "AccessDenied"; bucket?: S3BucketRecord }> {
  const b = await stores.s3.bucket(name);
  if (!b) return { result: "NoSuchBucket" };
  const principal: Principal = publisher.service
    ? { type: "Service", service: publisher.service }
    : {
        type: "AWS",
        account: publisher.account,
        arn: publisher.principalArn ?? `arn:aws:iam::${publisher.account}:root`,
      };
  const decision = evaluatePolicy(b.policy, {
    principal,
    action: "s3:PutObject",
    resource: objectArn(name, key),
    context: {
      "aws:SourceArn": publisher.sourceArn,
      "aws:SourceAccount": publisher.sourceAccount,
      "aws:PrincipalAccount": publisher.service ? undefined : publisher.account,
      // CloudTrail and Logs exports write with the bucket-owner-full-control canned ACL (AWS's documented policies test it).
      "s3:x-amz-acl": "bucket-owner-full-control",
    },
  });
  if (decision === "Deny") return { result: "AccessDenied", bucket: b };
  if (decision === "Allow" || (!publisher.service && publisher.account === b.account))
    return { result: "ok", bucket: b };
  return { result: "AccessDenied", bucket: b };
}

export interface EventSource {
  requestId: string;
  principalId: string;
  sourceIp: string;
  requester: string;
  reason: string;
}

export const eventSourceOf = (ctx: RequestContext, reason: string): EventSource => ({
  requestId: ctx.requestId,
  principalId: `AWS:${ctx.identity.principalId}`,
  sourceIp: ctx.sourceIp,
  requester: ctx.account,
  reason,
});

function event(name: string, b: S3BucketRecord, o: S3ObjectRecord, time: number, src: EventSource): ObjectEvent {
  return { name, bucket: b, object: o, time, hostId: hostIdFor(src.requestId), ...src };
}

/** Stores an object and enqueues, in the same transaction, the notifications `eventName` causes. */
export async function storeObject(
  stores: Stores,
  b: S3BucketRecord,
  o: S3ObjectRecord & { body: Buffer },
  eventName: string,
  src: EventSource,
): Promise<void> {
  const engine = s3Runtime(stores).delivery;
  const deliveries =
    engine && b.notification
      ? { engine, build: (x: S3ObjectRecord) => deliveriesFor(event(eventName, b, x, o.lastModified, src)) }
      : undefined;
  await stores.s3.putObject(o, deliveries);
}

/** Deletes an object; ObjectRemoved:Delete notifications go out only when an object was there. */
export async function removeObject(
  stores: Stores,
  b: S3BucketRecord,
  key: string,
  now: number,
  src: EventSource,
): Promise<S3ObjectRecord | undefined> {
  const engine = s3Runtime(stores).delivery;
  const deliveries =
    engine && b.notification
      ? { engine, build: (x: S3ObjectRecord) => deliveriesFor(event("ObjectRemoved:Delete", b, x, now, src)) }
      : undefined;
  return stores.s3.deleteObject(b.name, key, deliveries);
}

/** S3 stores whole seconds of Last-Modified (HTTP dates carry no more). */
export const lastModifiedOf = (now: number) => Math.floor(now / 1000) * 1000;

/** The internal entry s3PutObject: a service (CloudTrail, Logs exports) writes as `publisher`. */
export async function writeObject(
  deps: { stores: Stores; clock: Clock; delivery: DeliveryEngine },
  write: ServiceObjectWrite,
  publisher: Publisher,
): Promise<{ etag: string }> {
  checkKey(write.key);
  const { result, bucket } = await canWrite(deps.stores, write.bucket, write.key, publisher);
  if (result === "NoSuchBucket") throw noSuchBucket(write.bucket);
  if (result === "AccessDenied" || !bucket) throw accessDenied();
  const meta: S3ObjectMeta = { metadata: {} };
  for (const [k, v] of Object.entries(write.metadata ?? {})) meta.metadata[k.toLowerCase()] = v;
  if (write.contentType) meta.contentType = write.contentType;
  if (write.contentEncoding) meta.contentEncoding = write.contentEncoding;
  const etag = `"${md5Hex(write.body)}"`;
  const requestId = newRequestId();
  await storeObject(
    deps.stores,
    bucket,
    {
      bucket: write.bucket,
      key: write.key,
      size: write.body.length,
      etag,
      lastModified: lastModifiedOf(deps.clock.now()),
      meta,
      body: write.body,
    },
    "ObjectCreated:Put",
    {
      requestId,
      principalId: publisher.service ?? `AWS:${publisher.principalId ?? publisher.account}`,
      sourceIp: publisher.service ?? "127.0.0.1",
      requester: publisher.service ?? publisher.account,
      reason: "PutObject",
    },
  );
  return { etag };
}

/** The owner of a bucket as ListBuckets and FetchOwner show it: a canonical id derived from the account. */
export function ownerOf(account: string): { ID: string; DisplayName: string } {
  return { ID: canonicalId(account), DisplayName: account };
}

export const canonicalId = (account: string) => createHash("sha256").update(`vigil-canonical:${account}`).digest("hex");

export const invalidRange = (size: number, range: string) =>
  awsError("InvalidRange", "The requested range is not satisfiable", 416, {
    RangeRequested: range,
    ActualObjectSize: size,
  });
