/** CloudTrail Insights on the manual clock (windows of 60 s, a 600 s baseline): Start and End events for a burst. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { gunzipSync } from "node:zlib";
import {
  AddTagsCommand,
  CloudTrailClient,
  CreateTrailCommand,
  LookupEventsCommand,
  PutInsightSelectorsCommand,
  StartLoggingCommand,
} from "@aws-sdk/client-cloudtrail";
import { startVigil, unique, type Vigil } from "../helpers/vigil.js";
import { installFakeS3, type FakeS3 } from "./fake-s3.js";

let vigil: Vigil;
let s3: FakeS3;

before(async () => {
  vigil = await startVigil({
    clock: "manual",
    clockStart: "2024-07-01T00:00:00Z",
    trailInsightsWindow: 60,
    trailInsightsBaseline: 600,
  });
  s3 = installFakeS3(vigil.server.stores);
});
after(() => vigil.close());

interface InsightRecord {
  sharedEventID: string;
  eventType: string;
  eventCategory: string;
  insightDetails: {
    state: string;
    eventSource: string;
    eventName: string;
    insightType: string;
    insightContext: {
      statistics: { baseline: { average: number }; insight: { average: number }; baselineDuration: number };
      attributions: { attribute: string; insight: { value: string; average: number }[] }[];
    };
  };
}

test("a burst of write calls over the baseline raises an ApiCallRateInsight Start, then End", async () => {
  const region = "eu-west-2";
  const ct = vigil.client(CloudTrailClient, { region });
  const bucket = unique("ins");
  s3.buckets.set(bucket, "ok");
  const name = unique("insights");
  const arn = (await ct.send(new CreateTrailCommand({ Name: name, S3BucketName: bucket }))).TrailARN!;
  await ct.send(
    new PutInsightSelectorsCommand({ TrailName: name, InsightSelectors: [{ InsightType: "ApiCallRateInsight" }] }),
  );
  await ct.send(new StartLoggingCommand({ Name: name }));
  const tag = (v: string) => ct.send(new AddTagsCommand({ ResourceId: arn, TagsList: [{ Key: "k", Value: v }] }));
  for (let m = 0; m < 10; m++) {
    await tag(String(m));
    await vigil.server.advance(60);
  }
  const none = await ct.send(new LookupEventsCommand({ EventCategory: "insight" }));
  assert.deepEqual(none.Events, []);
  for (let i = 0; i < 30; i++) await tag(`burst${i}`);
  await vigil.server.advance(60);
  await vigil.server.advance(60); // quiet: back to normal
  const found = await ct.send(new LookupEventsCommand({ EventCategory: "insight" }));
  const recs = found.Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as InsightRecord);
  assert.deepEqual(recs.map((r) => r.insightDetails.state).sort(), ["End", "Start"]);
  assert.equal(recs[0].sharedEventID, recs[1].sharedEventID);
  const start = recs.find((r) => r.insightDetails.state === "Start")!;
  assert.equal(start.eventType, "AwsCloudTrailInsight");
  assert.equal(start.eventCategory, "Insight");
  assert.equal(start.insightDetails.eventSource, "cloudtrail.amazonaws.com");
  assert.equal(start.insightDetails.eventName, "AddTags");
  assert.equal(start.insightDetails.insightType, "ApiCallRateInsight");
  assert.equal(start.insightDetails.insightContext.statistics.insight.average, 30);
  assert.equal(start.insightDetails.insightContext.statistics.baseline.average, 1);
  assert.equal(start.insightDetails.insightContext.statistics.baselineDuration, 10);
  const agents = start.insightDetails.insightContext.attributions.find((a) => a.attribute === "userIdentityArn")!;
  assert.equal(agents.insight[0].average, 30);
  assert.equal(found.Events![0].EventName, "AddTags");
  // Insights files under CloudTrail-Insight/, with the same records.
  const files = [...s3.objects.values()].filter((o) => o.key.includes("/CloudTrail-Insight/"));
  assert.equal(files.length, 2);
  assert.match(files[0].key, new RegExp(`_CloudTrail-Insight_${region}_\\d{8}T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$`));
  const inFiles = files.flatMap(
    (f) => (JSON.parse(gunzipSync(f.body).toString()) as { Records: InsightRecord[] }).Records,
  );
  assert.deepEqual(inFiles.map((r) => r.insightDetails.state).sort(), ["End", "Start"]);
  // Ordinary history does not list them, and the trail's log files do not carry them.
  const plain = await ct.send(new LookupEventsCommand({ MaxResults: 50 }));
  assert.ok(!plain.Events!.some((e) => JSON.parse(e.CloudTrailEvent!).eventType === "AwsCloudTrailInsight"));
});
