/**
 * CloudWatch Logs metric filters end to end: Put/Describe/Delete/TestMetricFilter (recorded shapes), and every
 * ingested event that matches becoming a datapoint (the course lab: `private!` counted), with field values,
 * dimensions, units and defaultValue. Logs speaks JSON 1.1 only; the metrics are read on every CloudWatch protocol.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteMetricFilterCommand,
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  PutLogEventsCommand,
  PutMetricFilterCommand,
  TestMetricFilterCommand,
  type MetricTransformation,
} from "@aws-sdk/client-cloudwatch-logs";
import { unique, type Vigil } from "../helpers/vigil.js";
import { cwOn, PROTOCOLS, rejects, startMetricsVigil, type ProtocolName } from "./metrics-helpers.js";

let vigil: Vigil;
let logs: CloudWatchLogsClient;
before(async () => {
  vigil = await startMetricsVigil();
  logs = vigil.client(CloudWatchLogsClient);
});
after(() => vigil.close());

async function newGroup(): Promise<string> {
  const group = unique("/vigil/mf");
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: "s" }));
  return group;
}

const put = (group: string, messages: string[], at = vigil.server.clock.now()) =>
  logs.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: "s",
      logEvents: messages.map((message) => ({ timestamp: at, message })),
    }),
  );

async function sum(
  protocol: ProtocolName,
  ns: string,
  name: string,
  dims: { Name: string; Value: string }[] = [],
  stat = "Sum",
) {
  const now = vigil.server.clock.now();
  const r = await cwOn(vigil, protocol).send(
    new GetMetricStatisticsCommand({
      Namespace: ns,
      MetricName: name,
      Dimensions: dims,
      StartTime: new Date(now - 3600_000),
      EndTime: new Date(now + 60_000),
      Period: 3600,
      Statistics: [stat as "Sum"],
    }),
  );
  return r.Datapoints!.map((d) => [(d as Record<string, unknown>)[stat], d.Unit]);
}

const filter = (group: string, name: string, pattern: string, t: Partial<MetricTransformation>) =>
  logs.send(
    new PutMetricFilterCommand({
      logGroupName: group,
      filterName: name,
      filterPattern: pattern,
      metricTransformations: [{ metricName: "m", metricNamespace: "ns", metricValue: "1", ...t }],
    }),
  );

for (const protocol of Object.keys(PROTOCOLS) as ProtocolName[]) {
  test(`the course lab on ${protocol}: every "private!" line counts one`, async () => {
    const group = await newGroup();
    const ns = unique("Lab");
    await filter(group, "private-objects", '"private!"', {
      metricName: "PrivateObjects",
      metricNamespace: ns,
      metricValue: "1",
    });
    await put(group, ["made object a private!", "made object b public", "made object c private!"]);
    await put(group, ["made object d private!"]);
    assert.deepEqual(await sum(protocol, ns, "PrivateObjects"), [[3, "None"]]);
  });
}

test("JSON field values, dimensions from fields and units", async () => {
  const group = await newGroup();
  const ns = unique("Json");
  await filter(group, "latency", "{ $.latency = * }", {
    metricNamespace: ns,
    metricName: "Latency",
    metricValue: "$.latency",
    unit: "Milliseconds",
    dimensions: { Service: "$.service" },
  });
  await put(group, [
    '{"latency": 10, "service": "a"}',
    '{"latency": 30, "service": "a"}',
    '{"latency": 5, "service": "b"}',
    '{"latency": "slow", "service": "a"}',
    '{"service": "a"}',
  ]);
  assert.deepEqual(await sum("json", ns, "Latency", [{ Name: "Service", Value: "a" }]), [[40, "Milliseconds"]]);
  assert.deepEqual(await sum("json", ns, "Latency", [{ Name: "Service", Value: "b" }]), [[5, "Milliseconds"]]);
});

test("space-delimited $field values and defaultValue for batches without a match", async () => {
  const group = await newGroup();
  const ns = unique("Delim");
  await filter(group, "bytes", "[ip, user, status=5*, bytes]", {
    metricNamespace: ns,
    metricName: "Bytes5xx",
    metricValue: "$bytes",
    defaultValue: 0,
  });
  await put(group, ["1.2.3.4 bob 500 1200", "1.2.3.4 bob 200 99", "1.2.3.4 amy 503 300"]);
  await put(group, ["1.2.3.4 bob 200 1"]);
  assert.deepEqual(await sum("json", ns, "Bytes5xx"), [[1500, "None"]]);
  assert.deepEqual(await sum("json", ns, "Bytes5xx", [], "SampleCount"), [[3, "None"]]);
});

test("Put, Describe (recorded shape), Delete, and the metricFilterCount of DescribeLogGroups", async () => {
  const group = await newGroup();
  await filter(group, "f-b", " ", { defaultValue: 0 });
  await filter(group, "f-a", '{$.message = "test"}', { metricName: "other", metricNamespace: "ns2" });
  const r = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group }));
  assert.deepEqual(
    r.metricFilters!.map((f) => ({ ...f, creationTime: typeof f.creationTime })),
    [
      {
        filterName: "f-a",
        filterPattern: '{$.message = "test"}',
        metricTransformations: [{ metricName: "other", metricNamespace: "ns2", metricValue: "1" }],
        creationTime: "number",
        logGroupName: group,
        applyOnTransformedLogs: false,
      },
      {
        filterName: "f-b",
        filterPattern: " ",
        metricTransformations: [{ metricName: "m", metricNamespace: "ns", metricValue: "1", defaultValue: 0 }],
        creationTime: "number",
        logGroupName: group,
        applyOnTransformedLogs: false,
      },
    ],
  );
  const byMetric = await logs.send(new DescribeMetricFiltersCommand({ metricName: "other", metricNamespace: "ns2" }));
  assert.ok(byMetric.metricFilters!.some((f) => f.filterName === "f-a" && f.logGroupName === group));
  const byPrefix = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group, filterNamePrefix: "f-b" }));
  assert.deepEqual(
    byPrefix.metricFilters!.map((f) => f.filterName),
    ["f-b"],
  );
  const paged = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group, limit: 1 }));
  const next = await logs.send(
    new DescribeMetricFiltersCommand({ logGroupName: group, limit: 1, nextToken: paged.nextToken }),
  );
  assert.deepEqual([paged.metricFilters![0].filterName, next.metricFilters![0].filterName], ["f-a", "f-b"]);
  const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
  assert.equal(groups.logGroups![0].metricFilterCount, 2);
  await logs.send(new DeleteMetricFilterCommand({ logGroupName: group, filterName: "f-a" }));
  await rejects(
    logs.send(new DeleteMetricFilterCommand({ logGroupName: group, filterName: "f-a" })),
    "ResourceNotFoundException",
    "The specified metric filter does not exist.",
  );
  // A group's filters go with it.
  await logs.send(new DeleteLogGroupCommand({ logGroupName: group }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  assert.deepEqual((await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group }))).metricFilters, []);
});

test("PutMetricFilter errors", async () => {
  const group = await newGroup();
  await rejects(
    filter("/vigil/none-" + Date.now(), "f", "x", {}),
    "ResourceNotFoundException",
    "The specified log group does not exist.",
  );
  await rejects(filter(group, "f", '{ $.a = "x"', {}), "InvalidParameterException", /must end with '}'/);
  await rejects(filter(group, "f", "{ $.a === 1 }", {}), "InvalidParameterException", /./);
  await rejects(
    filter(group, "f", "error", { metricValue: "$.x" }),
    "InvalidParameterException",
    /^Invalid metric value: \$\.x/,
  );
  await rejects(
    filter(group, "f", "{ $.a = 1 }", { metricValue: "abc" }),
    "InvalidParameterException",
    /^Invalid metric value: abc/,
  );
  await rejects(
    logs.send(
      new PutMetricFilterCommand({
        logGroupName: group,
        filterName: "f",
        filterPattern: "x",
        metricTransformations: [
          { metricName: "metric1", metricNamespace: "namespace1", metricValue: "1" },
          { metricName: "metric2", metricNamespace: "namespace2", metricValue: "1" },
        ],
      }),
    ),
    "InvalidParameterException",
    "1 validation error detected: Value '[MetricTransformation(metricName=metric1, metricNamespace=namespace1, metricValue=1, defaultValue=null, unit=null, dimensions=null), MetricTransformation(metricName=metric2, metricNamespace=namespace2, metricValue=1, defaultValue=null, unit=null, dimensions=null)]' at 'metricTransformations' failed to satisfy constraint: Member must have length less than or equal to 1",
  );
  for (let i = 0; i < 100; i++) await filter(group, `f${i}`, "x", {});
  await rejects(filter(group, "f100", "x", {}), "LimitExceededException", "Resource limit exceeded.");
  await filter(group, "f5", "y", {}); // replacing one is not a new one
});

test("TestMetricFilter answers matches with their extracted values", async () => {
  const r = await logs.send(
    new TestMetricFilterCommand({
      filterPattern: "[ip, user, status=5*, bytes]",
      logEventMessages: ["1.2.3.4 bob 500 1200", "1.2.3.4 bob 200 99", "5.6.7.8 amy 503 3"],
    }),
  );
  assert.deepEqual(
    r.matches!.map((m) => [m.eventNumber, m.eventMessage, m.extractedValues]),
    [
      [1, "1.2.3.4 bob 500 1200", { $ip: "1.2.3.4", $user: "bob", $status: "500", $bytes: "1200" }],
      [3, "5.6.7.8 amy 503 3", { $ip: "5.6.7.8", $user: "amy", $status: "503", $bytes: "3" }],
    ],
  );
  const json = await logs.send(
    new TestMetricFilterCommand({
      filterPattern: "{ $.latency > 5 }",
      logEventMessages: ['{"latency": 7}', '{"latency": 1}'],
    }),
  );
  assert.deepEqual(
    json.matches!.map((m) => m.extractedValues),
    [{ "$.latency": "7" }],
  );
  await rejects(
    logs.send(new TestMetricFilterCommand({ filterPattern: "{ $.a = ", logEventMessages: ["x"] })),
    "InvalidParameterException",
    /./,
  );
});
