/** Trail delivery on the manual clock against a fake S3: log files, selectors, SNS, digests chained and signed. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { gunzipSync } from "node:zlib";
import {
  CloudTrailClient,
  CreateTrailCommand,
  GetTrailStatusCommand,
  ListPublicKeysCommand,
  ListTrailsCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from "@aws-sdk/client-cloudtrail";
import { internal } from "../../src/services/internal.js";
import { sha256Hex, stringToSign, verifyHex } from "../../src/services/cloudtrail/signing.js";
import { startVigil, unique, type Vigil } from "../helpers/vigil.js";
import { installFakeS3, type FakeS3 } from "./fake-s3.js";

let vigil: Vigil;
let s3: FakeS3;

before(async () => {
  vigil = await startVigil({
    clock: "manual",
    clockStart: "2024-05-01T00:00:00Z",
    trailDeliveryInterval: 60,
    trailDigestInterval: 600,
  });
  s3 = installFakeS3(vigil.server.stores);
});
after(() => vigil.close());

const objects = (prefix: string) => [...s3.objects.entries()].filter(([k]) => k.startsWith(prefix)).map(([, v]) => v);

test("a logging trail delivers its selected records as gzipped {Records} files and digests them", async () => {
  const region = "eu-north-1";
  const ct = vigil.client(CloudTrailClient, { region });
  const bucket = unique("bkt");
  s3.buckets.set(bucket, "ok");
  const name = unique("trail");
  const notes: string[] = [];
  internal(vigil.server.stores).snsPublish = async (topic, m) => {
    notes.push(m.message);
    return { messageId: topic };
  };
  const trail = await ct.send(
    new CreateTrailCommand({ Name: name, S3BucketName: bucket, S3KeyPrefix: "pre", EnableLogFileValidation: true }),
  );
  await ct.send(new ListTrailsCommand({})); // before logging: not delivered
  await ct.send(new StartLoggingCommand({ Name: name }));
  await ct.send(new ListTrailsCommand({}));
  await vigil.server.advance(60);
  const account = vigil.server.config.defaultAccount;
  const logs = objects(`${bucket}/pre/AWSLogs/${account}/CloudTrail/${region}/2024/05/01/`);
  assert.equal(logs.length, 1);
  assert.match(logs[0].key, new RegExp(`/${account}_CloudTrail_${region}_20240501T0001Z_[A-Za-z0-9]{16}\\.json\\.gz$`));
  const records = (JSON.parse(gunzipSync(logs[0].body).toString()) as { Records: { eventName: string }[] }).Records;
  assert.deepEqual(
    records.map((r) => r.eventName),
    ["StartLogging", "ListTrails"],
  );
  const status = await ct.send(new GetTrailStatusCommand({ Name: name }));
  assert.equal(status.LatestDeliveryTime?.toISOString(), "2024-05-01T00:01:00.000Z");

  // Read-only events are left out once the selectors say WriteOnly.
  await ct.send(new PutEventSelectorsCommand({ TrailName: name, EventSelectors: [{ ReadWriteType: "WriteOnly" }] }));
  await ct.send(new ListTrailsCommand({}));
  await vigil.server.advance(540);
  const all = objects(`${bucket}/pre/AWSLogs/${account}/CloudTrail/`);
  assert.equal(all.length, 2);
  const second = all.find((o) => o.key !== logs[0].key)!;
  const recs2 = (JSON.parse(gunzipSync(second.body).toString()) as { Records: { eventName: string }[] }).Records;
  assert.deepEqual(
    recs2.map((r) => r.eventName),
    ["PutEventSelectors"],
  );

  // The digest at 00:10:00 lists both files, signed with the region's key.
  const digests = objects(`${bucket}/pre/AWSLogs/${account}/CloudTrail-Digest/${region}/2024/05/01/`);
  assert.equal(digests.length, 1);
  assert.ok(
    digests[0].key.endsWith(`${account}_CloudTrail-Digest_${region}_${name}_${region}_20240501T001000Z.json.gz`),
  );
  const body = gunzipSync(digests[0].body);
  const d = JSON.parse(body.toString()) as Record<string, unknown> & {
    logFiles: { s3Object: string; hashValue: string }[];
  };
  assert.equal(d.digestStartTime, "2024-05-01T00:00:00Z");
  assert.equal(d.digestEndTime, "2024-05-01T00:10:00Z");
  assert.equal(d.previousDigestSignature, null);
  assert.deepEqual(d.logFiles.map((f) => f.s3Object).sort(), [logs[0].key, second.key].sort());
  assert.equal(d.logFiles.find((f) => f.s3Object === second.key)!.hashValue, sha256Hex(gunzipSync(second.body)));
  const keys = await ct.send(new ListPublicKeysCommand({ StartTime: new Date(0) }));
  const key = keys.PublicKeyList!.find((k) => k.Fingerprint === d.digestPublicKeyFingerprint)!;
  const sig = digests[0].metadata!.signature;
  assert.equal(digests[0].metadata!["signature-algorithm"], "SHA256withRSA");
  const s = stringToSign(d.digestEndTime as string, bucket, d.digestS3Object as string, sha256Hex(body), null);
  assert.ok(verifyHex(Buffer.from(key.Value!), s, sig));

  // The next digest is empty and chained to the first.
  await vigil.server.advance(600);
  const next = objects(`${bucket}/pre/AWSLogs/${account}/CloudTrail-Digest/`).find((o) => o.key.includes("T002000Z"))!;
  const d2 = JSON.parse(gunzipSync(next.body).toString()) as Record<string, unknown>;
  assert.deepEqual(d2.logFiles, []);
  assert.equal(d2.newestEventTime, null);
  assert.equal(d2.previousDigestSignature, sig);
  assert.equal(d2.previousDigestHashValue, sha256Hex(body));
  assert.equal(d2.previousDigestS3Object, d.digestS3Object);
  assert.equal(notes.length, 0); // no topic on this trail
  assert.equal(trail.TrailARN, `arn:aws:cloudtrail:${region}:${account}:trail/${name}`);

  // StopLogging: its own record is still delivered, then a final digest; nothing after.
  await ct.send(new StopLoggingCommand({ Name: name }));
  await vigil.server.advance(600);
  const after = objects(`${bucket}/pre/AWSLogs/${account}/CloudTrail/`);
  assert.equal(after.length, 3);
  const final = objects(`${bucket}/pre/AWSLogs/${account}/CloudTrail-Digest/`);
  assert.equal(final.length, 3);
  await ct.send(new ListTrailsCommand({}));
  await vigil.server.advance(1200);
  assert.equal(objects(`${bucket}/pre/AWSLogs/${account}/CloudTrail/`).length, 3);
  assert.equal(objects(`${bucket}/pre/AWSLogs/${account}/CloudTrail-Digest/`).length, 3);
});

test("a failing bucket keeps the batch and reports LatestDeliveryError; the redo writes the same key", async () => {
  const region = "eu-south-1";
  const ct = vigil.client(CloudTrailClient, { region });
  const bucket = unique("bkt");
  s3.buckets.set(bucket, "ok");
  const name = unique("trail");
  await ct.send(new CreateTrailCommand({ Name: name, S3BucketName: bucket }));
  await ct.send(new StartLoggingCommand({ Name: name }));
  s3.buckets.set(bucket, "AccessDenied");
  await vigil.server.advance(60);
  const status = await ct.send(new GetTrailStatusCommand({ Name: name }));
  assert.equal(status.LatestDeliveryError, "AccessDenied");
  assert.equal(status.LatestDeliveryTime, undefined);
  s3.buckets.set(bucket, "ok");
  s3.failWrites = 1;
  await vigil.server.advance(60); // fails once more (injected)
  await vigil.server.advance(60); // the pending batch: StartLogging only, under the key chosen at the first attempt
  const first = objects(`${bucket}/`);
  assert.equal(first.length, 1);
  assert.match(first[0].key, /_20240501T\d\d\d\dZ_/);
  const recs = (b: Buffer) =>
    (JSON.parse(gunzipSync(b).toString()) as { Records: { eventName: string }[] }).Records.map((r) => r.eventName);
  assert.deepEqual(recs(first[0].body), ["StartLogging"]);
  await vigil.server.advance(60);
  const files = objects(`${bucket}/`);
  assert.equal(files.length, 2);
  assert.deepEqual(recs(files[1].body), ["GetTrailStatus"]);
  assert.equal((await ct.send(new GetTrailStatusCommand({ Name: name }))).LatestDeliveryError, undefined);
});
