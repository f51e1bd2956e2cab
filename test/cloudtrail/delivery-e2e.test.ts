/**
 * Trail delivery through the real services: S3 data events per selectors, a multi-region trail writing one folder per
 * region, the SNS notification per delivery, and the CloudWatch Logs copy (stream <account>_CloudTrail_<region>).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { gunzipSync } from "node:zlib";
import {
  CloudTrailClient,
  CreateTrailCommand,
  GetTrailStatusCommand,
  ListTrailsCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from "@aws-sdk/client-cloudtrail";
import { CloudWatchLogsClient, CreateLogGroupCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient } from "@aws-sdk/client-sns";
import { startVigil, unique, type Vigil } from "../helpers/vigil.js";

let vigil: Vigil;
let s3: S3Client;
let account: string;

before(async () => {
  vigil = await startVigil({ clock: "manual", clockStart: "2024-06-01T00:00:00Z", trailDeliveryInterval: 60 });
  s3 = vigil.client(S3Client, { forcePathStyle: true });
  account = vigil.server.config.defaultAccount;
});
after(() => vigil.close());

async function trailBucket(): Promise<string> {
  const bucket = unique("ct-e2e");
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `arn:aws:s3:::${bucket}/*`,
          },
        ],
      }),
    }),
  );
  return bucket;
}

async function delivered(
  bucket: string,
  prefix: string,
): Promise<{ key: string; records: Record<string, unknown>[] }[]> {
  const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  const out = [];
  for (const o of list.Contents ?? []) {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }));
    const body = gunzipSync(Buffer.from(await got.Body!.transformToByteArray()));
    out.push({ key: o.Key!, records: (JSON.parse(body.toString()) as { Records: Record<string, unknown>[] }).Records });
  }
  return out;
}

test("S3 data events are delivered per the trail's data resource selectors", async () => {
  const region = "us-east-2";
  const ct = vigil.client(CloudTrailClient, { region });
  const dest = await trailBucket();
  const watched = unique("watched");
  await s3.send(new CreateBucketCommand({ Bucket: watched }));
  const name = unique("data");
  await ct.send(new CreateTrailCommand({ Name: name, S3BucketName: dest }));
  await ct.send(
    new PutEventSelectorsCommand({
      TrailName: name,
      EventSelectors: [
        {
          ReadWriteType: "WriteOnly",
          IncludeManagementEvents: false,
          DataResources: [{ Type: "AWS::S3::Object", Values: [`arn:aws:s3:::${watched}/logs/`] }],
        },
      ],
    }),
  );
  await ct.send(new StartLoggingCommand({ Name: name }));
  const s3r = vigil.client(S3Client, { forcePathStyle: true, region });
  await s3r.send(new PutObjectCommand({ Bucket: watched, Key: "logs/a.txt", Body: "a" }));
  await s3r.send(new PutObjectCommand({ Bucket: watched, Key: "other/b.txt", Body: "b" }));
  await s3r.send(new GetObjectCommand({ Bucket: watched, Key: "logs/a.txt" })); // read: not selected
  await vigil.server.advance(60);
  const files = await delivered(dest, `AWSLogs/${account}/CloudTrail/`);
  const records = files.flatMap((f) => f.records);
  assert.deepEqual(
    records.map((r) => [r.eventName, JSON.stringify(r.requestParameters).includes("logs/a.txt"), r.eventCategory]),
    [["PutObject", true, "Data"]],
  );
});

test("a multi-region trail writes each region's events under its own folder", async () => {
  const ct = vigil.client(CloudTrailClient, { region: "us-east-1" });
  const eu = vigil.client(CloudTrailClient, { region: "eu-west-3" });
  const dest = await trailBucket();
  const name = unique("multi");
  await ct.send(new CreateTrailCommand({ Name: name, S3BucketName: dest, IsMultiRegionTrail: true }));
  await ct.send(new StartLoggingCommand({ Name: name }));
  await eu.send(new ListTrailsCommand({}));
  await vigil.server.advance(60);
  const euFiles = await delivered(dest, `AWSLogs/${account}/CloudTrail/eu-west-3/`);
  assert.equal(euFiles.length, 1);
  assert.match(
    euFiles[0].key,
    new RegExp(`/${account}_CloudTrail_eu-west-3_\\d{8}T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$`),
  );
  assert.ok(euFiles[0].records.some((r) => r.eventName === "ListTrails" && r.awsRegion === "eu-west-3"));
  const home = await delivered(dest, `AWSLogs/${account}/CloudTrail/us-east-1/`);
  assert.ok(home.flatMap((f) => f.records).some((r) => r.eventName === "StartLogging"));
  // A single-region trail elsewhere does not see eu-west-3 events.
  assert.ok(!home.flatMap((f) => f.records).some((r) => r.awsRegion === "eu-west-3"));
});

test("deliveries notify the trail's SNS topic and copy records to its CloudWatch Logs group", async () => {
  const region = "ca-central-1";
  const ct = vigil.client(CloudTrailClient, { region });
  const sns = vigil.client(SNSClient, { region });
  const logs = vigil.client(CloudWatchLogsClient, { region });
  const dest = await trailBucket();
  const topic = (await sns.send(new CreateTopicCommand({ Name: unique("ct-topic") }))).TopicArn!;
  await sns.send(
    new SetTopicAttributesCommand({
      TopicArn: topic,
      AttributeName: "Policy",
      AttributeValue: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "SNS:Publish",
            Resource: topic,
          },
        ],
      }),
    }),
  );
  const group = unique("ct-group");
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  const name = unique("notify");
  await ct.send(
    new CreateTrailCommand({
      Name: name,
      S3BucketName: dest,
      SnsTopicName: topic,
      CloudWatchLogsLogGroupArn: `arn:aws:logs:${region}:${account}:log-group:${group}:*`,
      CloudWatchLogsRoleArn: `arn:aws:iam::${account}:role/CloudTrail_CloudWatchLogs_Role`,
    }),
  );
  await ct.send(new StartLoggingCommand({ Name: name }));
  await vigil.server.advance(60);
  const status = await ct.send(new GetTrailStatusCommand({ Name: name }));
  assert.equal(status.LatestNotificationError, undefined);
  assert.ok(status.LatestDeliveryTime);
  assert.equal(status.LatestNotificationTime?.getTime(), status.LatestDeliveryTime.getTime());
  assert.equal(status.LatestCloudWatchLogsDeliveryError, undefined);
  assert.ok(status.LatestCloudWatchLogsDeliveryTime);
  const events = await logs.send(
    new GetLogEventsCommand({
      logGroupName: group,
      logStreamName: `${account}_CloudTrail_${region}`,
      startFromHead: true,
    }),
  );
  const names = events.events!.map((e) => (JSON.parse(e.message!) as { eventName: string }).eventName);
  assert.ok(names.includes("StartLogging"), names.join(","));
  await assert.rejects(
    ct.send(new CreateTrailCommand({ Name: unique("t"), S3BucketName: dest, SnsTopicName: "no-such-topic" })),
    (e: Error) =>
      e.name === "InsufficientSnsTopicPolicyException" &&
      e.message === "SNS Topic does not exist or the topic policy is incorrect!",
  );
});

test("a bucket policy removed later shows as LatestDeliveryError; nothing is lost once it is back", async () => {
  const region = "ap-northeast-1";
  const ct = vigil.client(CloudTrailClient, { region });
  const dest = await trailBucket();
  const name = unique("policy");
  await ct.send(new CreateTrailCommand({ Name: name, S3BucketName: dest }));
  await ct.send(new StartLoggingCommand({ Name: name }));
  const policy = await s3.send(new (await import("@aws-sdk/client-s3")).GetBucketPolicyCommand({ Bucket: dest }));
  await s3.send(new DeleteBucketPolicyCommand({ Bucket: dest }));
  await vigil.server.advance(60);
  const status = await ct.send(new GetTrailStatusCommand({ Name: name }));
  assert.equal(status.LatestDeliveryError, "AccessDenied");
  assert.equal(status.LatestDeliveryTime, undefined);
  await s3.send(new PutBucketPolicyCommand({ Bucket: dest, Policy: policy.Policy }));
  await vigil.server.advance(60);
  await vigil.server.advance(60);
  const names = (await delivered(dest, `AWSLogs/${account}/CloudTrail/`)).flatMap((f) =>
    f.records.map((r) => r.eventName),
  );
  assert.deepEqual(names, ["StartLogging", "GetTrailStatus"]);
  assert.equal((await ct.send(new GetTrailStatusCommand({ Name: name }))).LatestDeliveryError, undefined);
});
