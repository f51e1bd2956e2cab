/** Trail API through @aws-sdk/client-cloudtrail: create/update/delete, describe and shadows, status, selectors, tags, keys. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  AddTagsCommand,
  CloudTrailClient,
  CreateTrailCommand,
  DeleteTrailCommand,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListPublicKeysCommand,
  ListTagsCommand,
  ListTrailsCommand,
  PutEventSelectorsCommand,
  PutInsightSelectorsCommand,
  RemoveTagsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  UpdateTrailCommand,
} from "@aws-sdk/client-cloudtrail";
import { createHash } from "node:crypto";
import { startVigil, unique, type Vigil } from "../helpers/vigil.js";
import { installFakeS3, type FakeS3 } from "./fake-s3.js";

let vigil: Vigil;
let ct: CloudTrailClient;
let west: CloudTrailClient;
let s3: FakeS3;
let account: string;

before(async () => {
  vigil = await startVigil({ clock: "manual", clockStart: "2024-05-01T00:00:00Z" });
  ct = vigil.client(CloudTrailClient);
  west = vigil.client(CloudTrailClient, { region: "us-west-2" });
  s3 = installFakeS3(vigil.server.stores);
  s3.buckets.set("ct-ok", "ok");
  s3.buckets.set("ct-denied", "AccessDenied");
  account = vigil.server.config.defaultAccount;
});
after(() => vigil.close());

async function rejects(p: Promise<unknown>, name: string, message: string | RegExp) {
  await assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name);
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

test("CreateTrail returns the flat trail and checks the bucket as cloudtrail.amazonaws.com", async () => {
  const name = unique("trail");
  const out = await ct.send(new CreateTrailCommand({ Name: name, S3BucketName: "ct-ok", S3KeyPrefix: "p/q/" }));
  const arn = `arn:aws:cloudtrail:us-east-1:${account}:trail/${name}`;
  assert.equal(out.TrailARN, arn);
  assert.equal(out.Name, name);
  assert.equal(out.S3KeyPrefix, "p/q");
  assert.equal(out.IncludeGlobalServiceEvents, true);
  assert.equal(out.IsMultiRegionTrail, false);
  assert.equal(out.LogFileValidationEnabled, false);
  const call = s3.calls.find((c) => c.publisher.sourceArn === arn)!;
  assert.equal(call.publisher.service, "cloudtrail.amazonaws.com");
  assert.equal(call.key, `p/q/AWSLogs/${account}/`);
  const got = await ct.send(new GetTrailCommand({ Name: arn }));
  assert.equal(got.Trail?.HomeRegion, "us-east-1");
  assert.equal(got.Trail?.HasCustomEventSelectors, false);
  const status = await ct.send(new GetTrailStatusCommand({ Name: name }));
  assert.equal(status.IsLogging, false);
});

test("CreateTrail errors: exists, bucket missing, policy, names", async () => {
  const name = unique("trail");
  await ct.send(new CreateTrailCommand({ Name: name, S3BucketName: "ct-ok" }));
  await rejects(
    ct.send(new CreateTrailCommand({ Name: name, S3BucketName: "ct-ok" })),
    "TrailAlreadyExistsException",
    `Trail ${name} already exists for customer: ${account}`,
  );
  await rejects(
    ct.send(new CreateTrailCommand({ Name: unique("t"), S3BucketName: "ct-missing" })),
    "S3BucketDoesNotExistException",
    "S3 bucket ct-missing does not exist.",
  );
  await rejects(
    ct.send(new CreateTrailCommand({ Name: unique("t"), S3BucketName: "ct-denied" })),
    "InsufficientS3BucketPolicyException",
    "Incorrect S3 bucket policy is detected for bucket: ct-denied",
  );
  await rejects(
    ct.send(new CreateTrailCommand({ Name: "ab", S3BucketName: "ct-ok" })),
    "InvalidTrailNameException",
    "Trail name too short. Minimum allowed length: 3 characters. Specified name length: 2 characters.",
  );
  await rejects(
    ct.send(new CreateTrailCommand({ Name: "a--b", S3BucketName: "ct-ok" })),
    "InvalidTrailNameException",
    "Trail name cannot contain consecutive special characters.",
  );
  await rejects(
    ct.send(new CreateTrailCommand({ Name: "-abc", S3BucketName: "ct-ok" })),
    "InvalidTrailNameException",
    "Trail name must starts with a letter or number.",
  );
  await rejects(
    ct.send(new CreateTrailCommand({ Name: "10.0.0.1", S3BucketName: "ct-ok" })),
    "InvalidTrailNameException",
    "Trail name cannot be formatted as an IP address.",
  );
  await rejects(
    ct.send(new CreateTrailCommand({ Name: "a b c", S3BucketName: "ct-ok" })),
    "InvalidTrailNameException",
    "Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).",
  );
  await rejects(
    ct.send(new GetTrailCommand({ Name: "nope-trail" })),
    "TrailNotFoundException",
    `Unknown trail: nope-trail for the user: ${account}`,
  );
});

test("multi-region trails appear as shadows in other regions; mutations need the home region", async () => {
  const name = unique("multi");
  const single = unique("single");
  await ct.send(new CreateTrailCommand({ Name: name, S3BucketName: "ct-ok", IsMultiRegionTrail: true }));
  await ct.send(new CreateTrailCommand({ Name: single, S3BucketName: "ct-ok" }));
  const arn = `arn:aws:cloudtrail:us-east-1:${account}:trail/${name}`;
  const shadows = (await west.send(new DescribeTrailsCommand({}))).trailList!.map((t) => t.TrailARN);
  assert.ok(shadows.includes(arn));
  assert.ok(!shadows.some((a) => a?.endsWith(`/${single}`)));
  const noShadows = await west.send(new DescribeTrailsCommand({ includeShadowTrails: false }));
  assert.ok(!noShadows.trailList!.some((t) => t.TrailARN === arn));
  const byArn = await west.send(new DescribeTrailsCommand({ trailNameList: [arn] }));
  assert.equal(byArn.trailList![0].HomeRegion, "us-east-1");
  const listed = (await west.send(new ListTrailsCommand({}))).Trails!;
  assert.ok(listed.some((t) => t.TrailARN === arn && t.HomeRegion === "us-east-1"));
  await rejects(
    west.send(new StartLoggingCommand({ Name: arn })),
    "InvalidHomeRegionException",
    "This operation must be called from the trail's home region, us-east-1.",
  );
  await rejects(
    ct.send(new UpdateTrailCommand({ Name: name, IncludeGlobalServiceEvents: false })),
    "InvalidParameterCombinationException",
    "Multi-Region trail must include global service events.",
  );
});

test("UpdateTrail, Start/StopLogging and GetTrailStatus times", async () => {
  const name = unique("upd");
  await ct.send(new CreateTrailCommand({ Name: name, S3BucketName: "ct-ok" }));
  const up = await ct.send(new UpdateTrailCommand({ Name: name, S3KeyPrefix: "x", EnableLogFileValidation: true }));
  assert.equal(up.S3KeyPrefix, "x");
  assert.equal(up.LogFileValidationEnabled, true);
  await ct.send(new StartLoggingCommand({ Name: name }));
  const started = await ct.send(new GetTrailStatusCommand({ Name: name }));
  assert.equal(started.IsLogging, true);
  assert.ok(started.StartLoggingTime instanceof Date);
  await vigil.server.advance(1);
  await ct.send(new StopLoggingCommand({ Name: name }));
  const stopped = await ct.send(new GetTrailStatusCommand({ Name: name }));
  assert.equal(stopped.IsLogging, false);
  assert.ok(stopped.StopLoggingTime!.getTime() > stopped.StartLoggingTime!.getTime());
  await ct.send(new DeleteTrailCommand({ Name: name }));
  await rejects(
    ct.send(new GetTrailStatusCommand({ Name: name })),
    "TrailNotFoundException",
    `Unknown trail: ${name} for the user: ${account}`,
  );
});

test("event selectors: default, basic, advanced, validation", async () => {
  const name = unique("sel");
  await ct.send(new CreateTrailCommand({ Name: name, S3BucketName: "ct-ok" }));
  const def = await ct.send(new GetEventSelectorsCommand({ TrailName: name }));
  assert.deepEqual(def.EventSelectors, [{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [] }]);
  await ct.send(
    new PutEventSelectorsCommand({
      TrailName: name,
      EventSelectors: [
        { ReadWriteType: "WriteOnly", DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3:::b/"] }] },
      ],
    }),
  );
  const basic = await ct.send(new GetEventSelectorsCommand({ TrailName: name }));
  assert.equal(basic.EventSelectors![0].ReadWriteType, "WriteOnly");
  assert.equal((await ct.send(new GetTrailCommand({ Name: name }))).Trail?.HasCustomEventSelectors, true);
  const adv = [{ Name: "m", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] }];
  await ct.send(new PutEventSelectorsCommand({ TrailName: name, AdvancedEventSelectors: adv }));
  const got = await ct.send(new GetEventSelectorsCommand({ TrailName: name }));
  assert.deepEqual(got.AdvancedEventSelectors, adv);
  assert.equal(got.EventSelectors, undefined);
  await rejects(
    ct.send(
      new PutEventSelectorsCommand({
        TrailName: name,
        EventSelectors: [{ DataResources: [{ Type: "AWS::SNS::Topic", Values: ["arn:aws:sns"] }] }],
      }),
    ),
    "InvalidEventSelectorsException",
    "Invalid DataResource type: AWS::SNS::Topic.",
  );
});

test("insight selectors", async () => {
  const eu = vigil.client(CloudTrailClient, { region: "eu-west-1" });
  const name = unique("ins");
  await eu.send(new CreateTrailCommand({ Name: name, S3BucketName: "ct-ok" }));
  const arn = `arn:aws:cloudtrail:eu-west-1:${account}:trail/${name}`;
  await rejects(
    eu.send(new GetInsightSelectorsCommand({ TrailName: name })),
    "InsightNotEnabledException",
    `Trail ${arn} does not have Insights enabled. Enable Insights on the trail and try again.`,
  );
  await eu.send(
    new PutInsightSelectorsCommand({ TrailName: name, InsightSelectors: [{ InsightType: "ApiCallRateInsight" }] }),
  );
  const got = await eu.send(new GetInsightSelectorsCommand({ TrailName: name }));
  assert.equal(got.InsightSelectors![0].InsightType, "ApiCallRateInsight");
  assert.equal((await eu.send(new GetTrailCommand({ Name: name }))).Trail?.HasInsightSelectors, true);
  await eu.send(new PutEventSelectorsCommand({ TrailName: name, EventSelectors: [{ ReadWriteType: "ReadOnly" }] }));
  await rejects(
    eu.send(
      new PutInsightSelectorsCommand({ TrailName: name, InsightSelectors: [{ InsightType: "ApiCallRateInsight" }] }),
    ),
    "InvalidInsightSelectorsException",
    "ApiCallRateInsight requires the trail to log write management events.",
  );
});

test("tags", async () => {
  const ap = vigil.client(CloudTrailClient, { region: "ap-south-1" });
  const name = unique("tag");
  const out = await ap.send(
    new CreateTrailCommand({ Name: name, S3BucketName: "ct-ok", TagsList: [{ Key: "a", Value: "1" }] }),
  );
  await ap.send(
    new AddTagsCommand({
      ResourceId: out.TrailARN,
      TagsList: [
        { Key: "b", Value: "2" },
        { Key: "a", Value: "3" },
      ],
    }),
  );
  await ap.send(new RemoveTagsCommand({ ResourceId: out.TrailARN, TagsList: [{ Key: "b" }] }));
  const tags = await ap.send(new ListTagsCommand({ ResourceIdList: [out.TrailARN!] }));
  assert.deepEqual(tags.ResourceTagList, [{ ResourceId: out.TrailARN, TagsList: [{ Key: "a", Value: "3" }] }]);
});

test("ListPublicKeys returns PKCS#1 DER with its MD5 fingerprint, per region, for overlapping ranges", async () => {
  const now = Date.parse("2024-05-01T00:00:00Z");
  const keys = await ct.send(
    new ListPublicKeysCommand({ StartTime: new Date(now - 3600_000), EndTime: new Date(now + 7200_000) }),
  );
  assert.equal(keys.PublicKeyList!.length, 1);
  const k = keys.PublicKeyList![0];
  assert.equal(Buffer.from(k.Value!).length, 270);
  assert.equal(createHash("md5").update(k.Value!).digest("hex"), k.Fingerprint);
  assert.equal(k.ValidityEndTime!.getTime() - k.ValidityStartTime!.getTime(), 30 * 24 * 3600 * 1000);
  const westKeys = await west.send(new ListPublicKeysCommand({}));
  assert.notEqual(westKeys.PublicKeyList![0].Fingerprint, k.Fingerprint);
  const past = await ct.send(
    new ListPublicKeysCommand({ StartTime: new Date(now - 9e9), EndTime: new Date(now - 8e9) }),
  );
  assert.deepEqual(past.PublicKeyList, []);
  await rejects(
    ct.send(new ListPublicKeysCommand({ StartTime: new Date(now), EndTime: new Date(now - 1000) })),
    "InvalidTimeRangeException",
    "Start time must be before end time.",
  );
});

test("a region holds at most 5 trails of an account", async () => {
  const sa = vigil.client(CloudTrailClient, { region: "sa-east-1" });
  for (let i = 0; i < 5; i++) await sa.send(new CreateTrailCommand({ Name: unique("max"), S3BucketName: "ct-ok" }));
  await rejects(
    sa.send(new CreateTrailCommand({ Name: unique("max"), S3BucketName: "ct-ok" })),
    "MaximumNumberOfTrailsExceededException",
    `User: ${account} already has 5 trails in sa-east-1.`,
  );
});
