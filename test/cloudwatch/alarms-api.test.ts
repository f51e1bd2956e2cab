/** Alarm CRUD through the JS SDK (JSON 1.0): PutMetricAlarm validation, DescribeAlarms filters and pages, history, tags. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand,
  EnableAlarmActionsCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type CloudWatchClient,
  type DescribeAlarmsCommandInput,
  type PutMetricAlarmCommandInput,
} from "@aws-sdk/client-cloudwatch";
import { unique, type Vigil } from "../helpers/vigil.js";
import { alarmArn, cw, rejects, sdkName, START, startAlarmsVigil, topicArn } from "./alarms-helpers.js";

let vigil: Vigil;
let c: CloudWatchClient;
before(async () => {
  vigil = await startAlarmsVigil();
  c = cw(vigil);
});
after(() => vigil.close());

const base = (name: string, extra: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput => ({
  AlarmName: name,
  MetricName: "metric1",
  Namespace: "Vigil/Test",
  Statistic: "Sum",
  Period: 60,
  EvaluationPeriods: 1,
  Threshold: 30,
  ComparisonOperator: "GreaterThanThreshold",
  ...extra,
});

const describeOne = async (name: string) => {
  const r = await c.send(
    new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ["MetricAlarm", "CompositeAlarm"] }),
  );
  return r.MetricAlarms![0] ?? r.CompositeAlarms![0];
};

test("a minimal alarm is described as AWS describes it", async () => {
  const name = unique("minimal");
  await c.send(new PutMetricAlarmCommand(base(name)));
  const r = await c.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  assert.deepEqual(r.CompositeAlarms, []);
  const t = new Date(START);
  assert.deepEqual(r.MetricAlarms, [
    {
      ActionsEnabled: true,
      AlarmActions: [],
      AlarmArn: alarmArn(name),
      AlarmConfigurationUpdatedTimestamp: t,
      AlarmName: name,
      ComparisonOperator: "GreaterThanThreshold",
      Dimensions: [],
      EvaluationPeriods: 1,
      InsufficientDataActions: [],
      MetricName: "metric1",
      Namespace: "Vigil/Test",
      OKActions: [],
      Period: 60,
      StateReason: "Unchecked: Initial alarm creation",
      StateTransitionedTimestamp: t,
      StateUpdatedTimestamp: t,
      StateValue: "INSUFFICIENT_DATA",
      Statistic: "Sum",
      Threshold: 30,
    },
  ]);
});

test("PutMetricAlarm refuses what AWS refuses", async () => {
  const name = unique("bad");
  // An alarm on the expression e1 over one metric m1.
  const mathAlarm = (expression: string) => ({
    MetricName: undefined,
    Namespace: undefined,
    Statistic: undefined,
    Period: undefined,
    Metrics: [
      {
        Id: "m1",
        MetricStat: { Metric: { Namespace: "n", MetricName: "a" }, Period: 60, Stat: "Sum" },
        ReturnData: false,
      },
      { Id: "e1", Expression: expression },
    ],
  });
  const cases: [Partial<PutMetricAlarmCommandInput>, string, string | RegExp][] = [
    [{ Period: 45 }, "ValidationError", "The parameter Period must be 10, 20, 30 or a multiple of 60."],
    [
      { Period: 3600, EvaluationPeriods: 200 },
      "ValidationError",
      "Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 604800).",
    ],
    [
      { Period: 60, EvaluationPeriods: 1441 },
      "ValidationError",
      "Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400).",
    ],
    [
      { EvaluationPeriods: 2, DatapointsToAlarm: 3 },
      "ValidationError",
      "DatapointsToAlarm must be less than or equal to EvaluationPeriods.",
    ],
    [
      { ExtendedStatistic: "p99" },
      "InvalidParameterCombination",
      "Exactly one of Statistic or ExtendedStatistic must be specified.",
    ],
    [
      { Statistic: undefined },
      "InvalidParameterCombination",
      "Exactly one of Statistic or ExtendedStatistic must be specified.",
    ],
    [
      { Statistic: undefined, ExtendedStatistic: "p1000" },
      "InvalidParameterValue",
      "The value p1000 for parameter ExtendedStatistic is not supported.",
    ],
    [{ AlarmActions: ["not-an-arn"] }, "ValidationError", "Invalid arn syntax: not-an-arn"],
    [{ OKActions: ["arn:aws:s3:::bucket"] }, "ValidationError", "Invalid arn syntax: arn:aws:s3:::bucket"],
    [
      { AlarmActions: ["arn:aws:sns:eu-west-1:000000000000:t"] },
      "ValidationError",
      "Invalid region eu-west-1 specified. Only us-east-1 is supported.",
    ],
    [
      { TreatMissingData: "sometimes" },
      "ValidationError",
      "The value sometimes is not supported for TreatMissingData. Supported values are [breaching, notBreaching, ignore, missing].",
    ],
    [
      { Threshold: undefined },
      "ValidationError",
      "1 validation error detected: Value null at 'threshold' failed to satisfy constraint: Member must not be null",
    ],
    [
      {
        MetricName: undefined,
        Namespace: undefined,
        Statistic: undefined,
        Period: undefined,
        Metrics: [
          { Id: "m1", MetricStat: { Metric: { Namespace: "n", MetricName: "a" }, Period: 60, Stat: "Sum" } },
          { Id: "m2", MetricStat: { Metric: { Namespace: "n", MetricName: "b" }, Period: 60, Stat: "Sum" } },
        ],
      },
      "ValidationError",
      "Exactly one element of the metrics list should return data.",
    ],
    [
      { Metrics: [{ Id: "e1", Expression: "1" }] },
      "InvalidParameterCombination",
      "The parameters MetricName, Namespace, Statistic, ExtendedStatistic, Dimensions, Period and Unit must not be specified when Metrics is specified.",
    ],
    [mathAlarm("m1 +"), "ValidationError", /^Error in expression 'e1': /],
    [mathAlarm("m1 + m2"), "ValidationError", "Error in expression 'e1': Unrecognized metric or expression id 'm2'"],
    [
      mathAlarm("SEARCH('{n} a', 'Sum', 60)"),
      "ValidationError",
      "Error in expression 'e1': SEARCH is not supported on Metric Alarms.",
    ],
    [
      { ComparisonOperator: "LessThanLowerOrGreaterThanUpperThreshold" },
      "ValidationError",
      /require ThresholdMetricId/,
    ],
  ];
  for (const [extra, code, message] of cases) {
    await rejects(c.send(new PutMetricAlarmCommand(base(name, extra))), sdkName(code), message);
  }
  await rejects(
    c.send(new PutMetricAlarmCommand(base(name, { ComparisonOperator: "Bigger" as "GreaterThanThreshold" }))),
    "ValidationException",
    /1 validation error detected: Value 'Bigger' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set/,
  );
  const r = await c.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  assert.deepEqual(r.MetricAlarms, []);
});

test("a metric-math alarm and an extended-statistic alarm are stored as given", async () => {
  const math = unique("math");
  const metrics = [
    {
      Id: "m1",
      MetricStat: { Metric: { Namespace: "n", MetricName: "errors", Dimensions: [] }, Period: 60, Stat: "Sum" },
      ReturnData: false,
    },
    { Id: "e1", Expression: "m1 * 2", Label: "doubled", ReturnData: true },
  ];
  await c.send(
    new PutMetricAlarmCommand({
      AlarmName: math,
      Metrics: metrics,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 1,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    }),
  );
  const m = await describeOne(math);
  assert.deepEqual((m as { Metrics?: unknown }).Metrics, metrics);
  assert.equal((m as { DatapointsToAlarm?: number }).DatapointsToAlarm, 1);
  const pct = unique("pct");
  await c.send(
    new PutMetricAlarmCommand(
      base(pct, {
        Statistic: undefined,
        ExtendedStatistic: "p99.5",
        EvaluateLowSampleCountPercentile: "evaluate",
        Unit: "Milliseconds",
      }),
    ),
  );
  const p = (await describeOne(pct)) as {
    ExtendedStatistic?: string;
    Statistic?: string;
    Unit?: string;
    EvaluateLowSampleCountPercentile?: string;
  };
  assert.deepEqual(
    [p.ExtendedStatistic, p.Statistic, p.Unit, p.EvaluateLowSampleCountPercentile],
    ["p99.5", undefined, "Milliseconds", "evaluate"],
  );
});

test("DescribeAlarms filters by prefix, state, action prefix and pages by MaxRecords", async () => {
  const prefix = unique("filt");
  const topic = topicArn(unique("topic"));
  for (let i = 0; i < 5; i++)
    await c.send(new PutMetricAlarmCommand(base(`${prefix}-${i}`, i % 2 ? { AlarmActions: [topic] } : {})));
  await c.send(new SetAlarmStateCommand({ AlarmName: `${prefix}-3`, StateValue: "OK", StateReason: "testing" }));
  const names = async (input: DescribeAlarmsCommandInput) =>
    (await c.send(new DescribeAlarmsCommand(input))).MetricAlarms!.map((a) => a.AlarmName);
  assert.deepEqual(
    await names({ AlarmNamePrefix: prefix }),
    [0, 1, 2, 3, 4].map((i) => `${prefix}-${i}`),
  );
  assert.deepEqual(await names({ AlarmNamePrefix: prefix, StateValue: "OK" }), [`${prefix}-3`]);
  assert.deepEqual(await names({ ActionPrefix: topic }), [`${prefix}-1`, `${prefix}-3`]);
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const r = await c.send(new DescribeAlarmsCommand({ AlarmNamePrefix: prefix, MaxRecords: 2, NextToken: token }));
    assert.ok(r.MetricAlarms!.length <= 2);
    seen.push(...r.MetricAlarms!.map((a) => a.AlarmName!));
    token = r.NextToken;
  } while (token);
  assert.equal(seen.length, 5);
  await rejects(
    c.send(new DescribeAlarmsCommand({ NextToken: "!!" })),
    "InvalidNextToken",
    "The service cannot decode the NextToken.",
  );
});

test("DescribeAlarmsForMetric finds alarms by metric, dimensions and statistic", async () => {
  const ns = unique("Vigil/ForMetric");
  const a = unique("fm-a");
  const b = unique("fm-b");
  const dims = [{ Name: "InstanceId", Value: "abc" }];
  await c.send(new PutMetricAlarmCommand(base(a, { Namespace: ns, Dimensions: dims })));
  await c.send(new PutMetricAlarmCommand(base(b, { Namespace: ns, Statistic: "Average" })));
  const names = async (extra: object) =>
    (await c.send(new DescribeAlarmsForMetricCommand({ Namespace: ns, MetricName: "metric1", ...extra })))
      .MetricAlarms!.map((x) => x.AlarmName)
      .sort();
  assert.deepEqual(await names({}), [a, b].sort());
  assert.deepEqual(await names({ Dimensions: dims }), [a]);
  assert.deepEqual(await names({ Statistic: "Average" }), [b]);
  assert.deepEqual(await names({ Period: 300 }), []);
});

test("SetAlarmState changes state, writes history and answers ResourceNotFound for a missing alarm", async () => {
  const name = unique("set");
  await c.send(new PutMetricAlarmCommand(base(name)));
  await c.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: "ALARM", StateReason: "testing alarm" }));
  const a = await describeOne(name);
  assert.deepEqual([a.StateValue, a.StateReason], ["ALARM", "testing alarm"]);
  const h = await c.send(new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: "StateUpdate" }));
  assert.equal(h.AlarmHistoryItems!.length, 1);
  const item = h.AlarmHistoryItems![0];
  assert.equal(item.HistorySummary, "Alarm updated from INSUFFICIENT_DATA to ALARM");
  assert.equal(item.AlarmType, "MetricAlarm");
  assert.deepEqual(JSON.parse(item.HistoryData!), {
    version: "1.0",
    oldState: { stateValue: "INSUFFICIENT_DATA", stateReason: "Unchecked: Initial alarm creation" },
    newState: { stateValue: "ALARM", stateReason: "testing alarm" },
  });
  const err = await rejects(
    c.send(new SetAlarmStateCommand({ AlarmName: unique("nope"), StateValue: "OK", StateReason: "r" })),
    "ResourceNotFound",
    "UnknownError", // AWS answers an empty message, which the JS SDK shows so
  );
  assert.equal(err.$metadata?.httpStatusCode, 404);
  await rejects(
    c.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: "INVALID" as "OK", StateReason: "r" })),
    "ValidationException",
    "1 validation error detected: Value 'INVALID' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]",
  );
  await rejects(
    c.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: "OK", StateReason: "r", StateReasonData: "{nope" })),
    "InvalidFormatFault",
    "Invalid JSON in StateReasonData.",
  );
});

test("DescribeAlarmHistory: types, order, date range and pages", async () => {
  const name = unique("hist");
  await c.send(new PutMetricAlarmCommand(base(name)));
  for (const s of ["ALARM", "OK", "ALARM"] as const) {
    await vigil.server.advance(1);
    await c.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: s, StateReason: `to ${s}` }));
  }
  const all = (await c.send(new DescribeAlarmHistoryCommand({ AlarmName: name }))).AlarmHistoryItems!;
  assert.deepEqual(
    all.map((h) => h.HistoryItemType),
    ["StateUpdate", "StateUpdate", "StateUpdate", "ConfigurationUpdate"],
  );
  assert.equal(all.at(-1)!.HistorySummary, `Alarm "${name}" created`);
  const asc = (await c.send(new DescribeAlarmHistoryCommand({ AlarmName: name, ScanBy: "TimestampAscending" })))
    .AlarmHistoryItems!;
  assert.deepEqual(
    asc.map((h) => h.HistorySummary),
    all.map((h) => h.HistorySummary).reverse(),
  );
  const ranged = (
    await c.send(
      new DescribeAlarmHistoryCommand({ AlarmName: name, StartDate: all[2].Timestamp, EndDate: all[1].Timestamp }),
    )
  ).AlarmHistoryItems!;
  assert.deepEqual(
    ranged.map((h) => h.HistorySummary),
    [all[1].HistorySummary, all[2].HistorySummary],
  );
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const r = await c.send(new DescribeAlarmHistoryCommand({ AlarmName: name, MaxRecords: 3, NextToken: token }));
    seen.push(...r.AlarmHistoryItems!.map((h) => h.HistorySummary!));
    token = r.NextToken;
  } while (token);
  assert.deepEqual(
    seen,
    all.map((h) => h.HistorySummary),
  );
});

test("Enable/DisableAlarmActions and DeleteAlarms", async () => {
  const name = unique("act");
  await c.send(new PutMetricAlarmCommand(base(name)));
  await c.send(new DisableAlarmActionsCommand({ AlarmNames: [name, unique("missing")] }));
  assert.equal((await describeOne(name)).ActionsEnabled, false);
  await c.send(new EnableAlarmActionsCommand({ AlarmNames: [name] }));
  assert.equal((await describeOne(name)).ActionsEnabled, true);
  await c.send(new DeleteAlarmsCommand({ AlarmNames: [name] }));
  assert.equal(await describeOne(name), undefined);
  const h = (await c.send(new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: "ConfigurationUpdate" })))
    .AlarmHistoryItems!;
  assert.deepEqual(
    h.map((x) => x.HistorySummary),
    [`Alarm "${name}" deleted`, `Alarm "${name}" created`],
  );
});

test("tags of an alarm: on creation, added, removed, gone with the alarm", async () => {
  const name = unique("tags");
  const arn = alarmArn(name);
  await c.send(new PutMetricAlarmCommand(base(name, { Tags: [{ Key: "Environment", Value: "Production" }] })));
  const tags = async () => (await c.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags;
  assert.deepEqual(await tags(), [{ Key: "Environment", Value: "Production" }]);
  await c.send(
    new TagResourceCommand({
      ResourceARN: arn,
      Tags: [
        { Key: "tag1", Value: "foo" },
        { Key: "tag2", Value: "bar" },
      ],
    }),
  );
  assert.deepEqual(await tags(), [
    { Key: "Environment", Value: "Production" },
    { Key: "tag1", Value: "foo" },
    { Key: "tag2", Value: "bar" },
  ]);
  await c.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ["tag1"] }));
  assert.deepEqual(await tags(), [
    { Key: "Environment", Value: "Production" },
    { Key: "tag2", Value: "bar" },
  ]);
  // An update ignores Tags (AWS).
  await c.send(new PutMetricAlarmCommand(base(name, { Tags: [{ Key: "x", Value: "y" }] })));
  assert.equal((await tags())!.length, 2);
  await c.send(new DeleteAlarmsCommand({ AlarmNames: [name] }));
  assert.deepEqual(await tags(), []);
  await rejects(
    c.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: "a", Value: "b" }] })),
    "ResourceNotFoundException",
    `Alarm ${name} does not exist.`,
  );
});
