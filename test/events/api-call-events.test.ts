/**
 * "AWS API Call via CloudTrail" events on the caller's default bus: mutating calls of any service reach matching
 * rules; read-only calls only rules in ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS; data events never. And the
 * internal putEvents entry other services use.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { SQSClient } from "@aws-sdk/client-sqs";
import { internal } from "../../src/services/internal.js";
import { unique, type Vigil } from "../helpers/vigil.js";
import { ACCOUNT, drainQueue, newQueue, receiveNow, startEventsVigil } from "./helpers.js";

let vigil: Vigil;
let eb: EventBridgeClient;
let sqs: SQSClient;
let logs: CloudWatchLogsClient;
before(async () => {
  vigil = await startEventsVigil();
  eb = vigil.client(EventBridgeClient);
  sqs = vigil.client(SQSClient);
  logs = vigil.client(CloudWatchLogsClient);
});
after(() => vigil.close());

async function ruleToQueue(pattern: unknown, state?: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS") {
  const q = await newQueue(sqs);
  const name = unique("api");
  await eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(pattern), State: state }));
  await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: "q", Arn: q.arn }] }));
  return q;
}

/** Drains, then a few more turns so that nothing else can still be on its way. */
async function settle() {
  for (let i = 0; i < 10; i++) {
    await vigil.server.advance(0);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test("CreateLogGroup reaches a rule on aws.logs CreateLogGroup with the CloudTrail record as detail", async () => {
  const q = await ruleToQueue({
    source: ["aws.logs"],
    "detail-type": ["AWS API Call via CloudTrail"],
    detail: { eventName: ["CreateLogGroup"] },
  });
  const group = `/vigil/${unique("g")}`;
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  const [m] = await drainQueue(vigil, sqs, q.url);
  assert.ok(m, "delivered");
  const ev = JSON.parse(m.Body!);
  assert.equal(ev.source, "aws.logs");
  assert.equal(ev["detail-type"], "AWS API Call via CloudTrail");
  assert.equal(ev.account, ACCOUNT);
  assert.equal(ev.region, "us-east-1");
  assert.equal(ev.detail.eventName, "CreateLogGroup");
  assert.equal(ev.detail.eventSource, "logs.amazonaws.com");
  assert.equal(ev.detail.requestParameters.logGroupName, group);
  assert.equal(ev.detail.readOnly, false);
});

test("read-only calls reach only ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS rules; data events reach none", async () => {
  const pattern = { source: ["aws.logs"], detail: { eventName: ["DescribeLogGroups", "PutLogEvents"] } };
  const plain = await ruleToQueue(pattern);
  const all = await ruleToQueue(pattern, "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
  await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/nothing" }));
  const group = `/vigil/${unique("g")}`;
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: "s" }));
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: "s",
      logEvents: [{ timestamp: vigil.server.clock.now(), message: "x" }],
    }),
  );
  const got = await drainQueue(vigil, sqs, all.url);
  assert.deepEqual(
    got.map((x) => JSON.parse(x.Body!).detail.eventName),
    ["DescribeLogGroups"],
  );
  await settle();
  assert.deepEqual(await receiveNow(sqs, plain.url), []);
  assert.deepEqual(await receiveNow(sqs, all.url), []);
});

test("the internal putEvents entry delivers service events (alarm state changes, S3) to the default bus", async () => {
  const q = await ruleToQueue({ source: ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"] });
  const put = internal(vigil.server.stores).putEvents!;
  await put(ACCOUNT, "us-east-1", [
    {
      source: "aws.cloudwatch",
      detailType: "CloudWatch Alarm State Change",
      detail: { alarmName: "a" },
      resources: ["arn:alarm"],
    },
  ]);
  const [m] = await drainQueue(vigil, sqs, q.url);
  const ev = JSON.parse(m!.Body!);
  assert.deepEqual([ev.source, ev.detail, ev.resources], ["aws.cloudwatch", { alarmName: "a" }, ["arn:alarm"]]);
});
