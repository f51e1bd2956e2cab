import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeQueriesCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { awsCli, startVigil, TEST_KEY, unique, type Vigil } from "../helpers/vigil.js";

let vigil: Vigil;
let trail: CloudTrailClient;
before(async () => {
  vigil = await startVigil();
  trail = vigil.client(CloudTrailClient);
});
after(() => vigil.close());

interface Record {
  [k: string]: unknown;
  userIdentity: { [k: string]: unknown };
}

async function lookup(input: LookupEventsCommandInput) {
  return trail.send(new LookupEventsCommand(input));
}

const keyOf = (accessKeyId: string) => ({ credentials: { accessKeyId, secretAccessKey: "s" } });

test("every call, successful or not, is a CloudTrail record with AWS's fields", async () => {
  const key = unique("KEY").toUpperCase().replace(/-/g, "");
  const sts = vigil.client(STSClient, keyOf(key));
  const id = await sts.send(new GetCallerIdentityCommand({}));
  const res = await lookup({ LookupAttributes: [{ AttributeKey: "AccessKeyId", AttributeValue: key }] });
  assert.equal(res.Events!.length, 1);
  const e = res.Events![0]!;
  assert.equal(e.EventName, "GetCallerIdentity");
  assert.equal(e.EventSource, "sts.amazonaws.com");
  assert.equal(e.ReadOnly, "true");
  assert.equal(e.Username, key);
  assert.equal(e.AccessKeyId, key);
  const r = JSON.parse(e.CloudTrailEvent!) as Record;
  assert.deepEqual(Object.keys(r), [
    "eventVersion",
    "userIdentity",
    "eventTime",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "requestParameters",
    "responseElements",
    "requestID",
    "eventID",
    "readOnly",
    "eventType",
    "apiVersion",
    "managementEvent",
    "recipientAccountId",
    "eventCategory",
  ]);
  assert.equal(r.eventVersion, "1.11");
  assert.deepEqual(r.userIdentity, {
    type: "IAMUser",
    principalId: id.UserId,
    arn: id.Arn,
    accountId: "000000000000",
    accessKeyId: key,
    userName: key,
  });
  assert.match(r.eventTime as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(r.awsRegion, "us-east-1");
  assert.equal(r.sourceIPAddress, "127.0.0.1");
  assert.match(r.userAgent as string, /aws-sdk-js/);
  assert.equal(r.requestParameters, null);
  assert.equal(r.responseElements, null);
  assert.equal(r.eventID, e.EventId);
  assert.equal(r.readOnly, true);
  assert.equal(r.eventType, "AwsApiCall");
  assert.equal(r.managementEvent, true);
  assert.equal(r.recipientAccountId, "000000000000");
  assert.equal(r.eventCategory, "Management");
});

test("a failed call records errorCode and errorMessage, and requestID matches the response header", async () => {
  const key = unique("FAIL").toUpperCase().replace(/-/g, "");
  const logs = vigil.client(CloudWatchLogsClient, keyOf(key));
  const name = unique("/vigil/audit");
  // Logs Insights (DescribeQueries) is not implemented: the call fails with NotImplemented.
  const err = await logs.send(new DescribeQueriesCommand({ logGroupName: name })).catch((e: unknown) => e);
  const failure = err as { name: string; $metadata: { requestId?: string } };
  assert.equal(failure.name, "NotImplemented");
  const res = await lookup({ LookupAttributes: [{ AttributeKey: "AccessKeyId", AttributeValue: key }] });
  const r = JSON.parse(res.Events![0]!.CloudTrailEvent!) as Record;
  assert.equal(r.eventName, "DescribeQueries");
  assert.equal(r.eventSource, "logs.amazonaws.com");
  assert.equal(r.errorCode, "NotImplemented");
  assert.equal(r.errorMessage, "Vigil does not implement logs:DescribeQueries yet (see docs/compatibility.md).");
  assert.deepEqual(r.requestParameters, { logGroupName: name });
  assert.equal(r.responseElements, null);
  assert.equal(r.readOnly, true);
  assert.equal(r.requestID, failure.$metadata.requestId);
  assert.deepEqual(res.Events![0]!.Resources, [{ ResourceType: "AWS::Logs::LogGroup", ResourceName: name }]);
});

test("a validation failure is recorded with the service's error code", async () => {
  const key = unique("VAL").toUpperCase().replace(/-/g, "");
  const logs = vigil.client(CloudWatchLogsClient, keyOf(key));
  const err = (await logs.send(new CreateLogGroupCommand({ logGroupName: "bad:name" })).catch((e) => e)) as Error;
  assert.equal(err.name, "InvalidParameterException");
  assert.equal(
    err.message,
    "1 validation error detected: Value 'bad:name' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
  );
  const res = await lookup({ LookupAttributes: [{ AttributeKey: "AccessKeyId", AttributeValue: key }] });
  const r = JSON.parse(res.Events![0]!.CloudTrailEvent!) as Record;
  assert.equal(r.errorCode, "InvalidParameterException");
  assert.equal(r.errorMessage, err.message);
});

test("every lookup attribute selects its events", async () => {
  const key = unique("ATTR").toUpperCase().replace(/-/g, "");
  const logs = vigil.client(CloudWatchLogsClient, keyOf(key));
  const group = unique("/vigil/attr");
  await logs.send(new CreateLogGroupCommand({ logGroupName: group })).catch(() => {});
  await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group })).catch(() => {});
  const mine = await lookup({ LookupAttributes: [{ AttributeKey: "AccessKeyId", AttributeValue: key }] });
  assert.deepEqual(
    mine.Events!.map((e) => e.EventName),
    ["DescribeLogGroups", "CreateLogGroup"],
    "newest first",
  );
  const [describe, create] = mine.Events!;
  const only = async (AttributeKey: string, AttributeValue: string) =>
    (await lookup({ LookupAttributes: [{ AttributeKey: AttributeKey as "EventId", AttributeValue }], MaxResults: 50 }))
      .Events!.filter((e) => e.AccessKeyId === key)
      .map((e) => e.EventId);
  assert.deepEqual(await only("EventId", create!.EventId!), [create!.EventId]);
  assert.deepEqual(await only("EventName", "DescribeLogGroups"), [describe!.EventId]);
  assert.deepEqual(await only("ReadOnly", "false"), [create!.EventId]);
  assert.deepEqual(await only("ReadOnly", "true"), [describe!.EventId]);
  assert.deepEqual(await only("Username", key), [describe!.EventId, create!.EventId]);
  assert.deepEqual(await only("EventSource", "logs.amazonaws.com"), [describe!.EventId, create!.EventId]);
  assert.deepEqual(await only("ResourceType", "AWS::Logs::LogGroup"), [create!.EventId]);
  assert.deepEqual(await only("ResourceName", group), [create!.EventId]);
});

test("pagination walks every event once, newest first, and a token only works with its own parameters", async () => {
  const key = unique("PAGE").toUpperCase().replace(/-/g, "");
  const sts = vigil.client(STSClient, keyOf(key));
  for (let i = 0; i < 7; i++) await sts.send(new GetCallerIdentityCommand({}));
  const filter = [{ AttributeKey: "AccessKeyId" as const, AttributeValue: key }];
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await lookup({ LookupAttributes: filter, MaxResults: 3, NextToken: token });
    seen.push(...page.Events!.map((e) => e.EventId!));
    token = page.NextToken;
    pages++;
  } while (token);
  assert.equal(pages, 3);
  assert.equal(new Set(seen).size, 7);
  const first = await lookup({ LookupAttributes: filter, MaxResults: 3 });
  const err = (await lookup({ MaxResults: 3, NextToken: first.NextToken }).catch((e) => e)) as Error;
  assert.equal(err.name, "InvalidNextTokenException");
  assert.equal(err.message, "Invalid NextToken.");
  const garbage = (await lookup({ NextToken: "nonsense" }).catch((e) => e)) as Error;
  assert.equal(garbage.name, "InvalidNextTokenException");
});

test("the documented validation errors", async () => {
  const twoAttrs = (await lookup({
    LookupAttributes: [
      { AttributeKey: "EventName", AttributeValue: "a" },
      { AttributeKey: "EventName", AttributeValue: "b" },
    ],
  }).catch((e) => e)) as Error;
  assert.equal(twoAttrs.name, "InvalidLookupAttributesException");
  assert.equal(twoAttrs.message, "You cannot specify more than one lookup attribute.");

  const range = (await lookup({ StartTime: new Date(2_000_000_000_000), EndTime: new Date(1_000_000_000_000) }).catch(
    (e) => e,
  )) as Error;
  assert.equal(range.name, "InvalidTimeRangeException");
  assert.equal(range.message, "Start time must be before end time.");

  const max = (await lookup({ MaxResults: 51 }).catch((e) => e)) as Error;
  assert.equal(max.name, "InvalidMaxResultsException");
  assert.equal(
    max.message,
    "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
  );

  const cat = (await lookup({ EventCategory: "other" as "insight" }).catch((e) => e)) as Error;
  assert.equal(cat.name, "InvalidEventCategoryException");
});

test("time bounds are inclusive and the window is the last 90 days", async () => {
  const manual = await startVigil({ clock: "manual", clockStart: "2026-01-01T00:00:00Z" });
  try {
    const sts = manual.client(STSClient);
    const ct = manual.client(CloudTrailClient);
    await sts.send(new GetCallerIdentityCommand({}));
    const at = new Date("2026-01-01T00:00:00Z");
    const exact = await ct.send(new LookupEventsCommand({ StartTime: at, EndTime: at }));
    assert.deepEqual(
      exact.Events!.map((e) => e.EventName),
      ["GetCallerIdentity"],
    );
    assert.equal(exact.Events![0]!.EventTime!.toISOString(), "2026-01-01T00:00:00.000Z");
    await manual.server.advance(2 * 24 * 3600);
    await sts.send(new GetCallerIdentityCommand({}));
    await manual.server.advance(89 * 24 * 3600);
    const later = await ct.send(new LookupEventsCommand({ StartTime: new Date(0) }));
    assert.deepEqual(
      later.Events!.map((e) => [e.EventName, e.EventTime!.toISOString()]),
      [["GetCallerIdentity", "2026-01-03T00:00:00.000Z"]],
      "events older than 90 days are gone",
    );
  } finally {
    await manual.close();
  }
});

test("aws cloudtrail lookup-events (CLI v1) lists the calls made so far with full records", async () => {
  const key = unique("CLI").toUpperCase().replace(/-/g, "");
  await awsCli(vigil.url, ["sts", "get-caller-identity"], key);
  const out = JSON.parse(
    await awsCli(
      vigil.url,
      ["cloudtrail", "lookup-events", "--lookup-attributes", `AttributeKey=Username,AttributeValue=${key}`],
      key,
    ),
  ) as { Events: { EventName: string; CloudTrailEvent: string }[] };
  assert.deepEqual(
    out.Events.map((e) => e.EventName),
    ["GetCallerIdentity"],
  );
  const r = JSON.parse(out.Events[0]!.CloudTrailEvent) as Record;
  assert.match(r.userAgent as string, /aws-cli\/1\./);
  assert.equal(r.userIdentity.accessKeyId, key);
  assert.notEqual(TEST_KEY, key);
});
