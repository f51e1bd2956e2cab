/**
 * Alarm evaluation: the missing-data table and M-of-N as unit cases over evaluate(), then end to end on the manual
 * clock through PutMetricData: the state reasons AWS writes, the SNS delivery with AWS's message, actions disabled,
 * high-resolution alarms every 10 seconds, percentiles with low sample counts.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
  type CloudWatchClient,
  type PutMetricAlarmCommandInput,
} from "@aws-sdk/client-cloudwatch";
import { evaluate, type Datapoint, type EvalInput } from "../../src/services/cloudwatch/alarms/evaluate.js";
import { metricsEngine } from "../../src/services/cloudwatch/engine-api.js";
import { detailOf, internal, type ServiceEvent } from "../../src/services/internal.js";
import { unique, type Vigil } from "../helpers/vigil.js";
import { alarmArn, cw, START, startAlarmsVigil, topicArn } from "./alarms-helpers.js";

const MIN = 60_000;

/** "0 - X - X", oldest first, ending with the last complete period before `now`: 0 not breaching, X breaching. */
function points(pattern: string, now: number): Datapoint[] {
  const cells = pattern.split(" ");
  return cells.flatMap((c, i) => {
    const t = now - (cells.length - i) * MIN;
    return c === "-" ? [] : [{ t, value: c === "X" ? 10 : 0, sampleCount: 1 }];
  });
}

const input = (treat: string, extra: Partial<EvalInput> = {}): EvalInput => ({
  now: START,
  period: 60,
  evaluationPeriods: 3,
  datapointsToAlarm: 3,
  comparison: "GreaterThanThreshold",
  threshold: 5,
  treatMissingData: treat,
  current: "OK",
  statistic: "Sum",
  ...extra,
});

test("missing data: 3 of 3 over an evaluation range of 5 periods", () => {
  // [datapoints, missing, ignore, breaching, notBreaching]; "keep" = the current state stays.
  const table: [string, string, string, string, string][] = [
    ["0 - X - X", "OK", "OK", "OK", "OK"], // 3 real datapoints: the newest three real ones decide
    ["0 X X - X", "ALARM", "ALARM", "ALARM", "ALARM"],
    ["- - - - 0", "OK", "OK", "OK", "OK"],
    ["- - - - -", "INSUFFICIENT_DATA", "keep", "ALARM", "OK"],
    ["- - X - -", "ALARM", "keep", "ALARM", "OK"],
    ["- - - X X", "ALARM", "ALARM", "ALARM", "OK"],
  ];
  for (const [pattern, ...want] of table) {
    const got = ["missing", "ignore", "breaching", "notBreaching"].map(
      (treat) => evaluate(input(treat), points(pattern, START))?.state ?? "keep",
    );
    assert.deepEqual(got, want, pattern);
  }
});

test("M out of N and the reasons AWS writes", () => {
  const now = START;
  const r = evaluate(input("missing", { evaluationPeriods: 3, datapointsToAlarm: 2 }), points("0 0 X 0 X", now))!;
  assert.equal(r.state, "ALARM");
  assert.equal(
    r.reason,
    "Threshold Crossed: 2 out of the last 3 datapoints [10.0 (23/11/26 09:59:00), 10.0 (23/11/26 09:57:00)] were greater than the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition).",
  );
  const ok = evaluate(input("missing", { evaluationPeriods: 1, datapointsToAlarm: 1 }), points("X 0", now))!;
  assert.equal(
    ok.reason,
    "Threshold Crossed: 1 datapoint [0.0 (23/11/26 09:59:00)] was not greater than the threshold (5.0).",
  );
  const all = evaluate(input("missing", { evaluationPeriods: 2, datapointsToAlarm: 2 }), points("X X", now))!;
  assert.equal(
    all.reason,
    "Threshold Crossed: 2 datapoints [10.0 (23/11/26 09:59:00), 10.0 (23/11/26 09:58:00)] were greater than the threshold (5.0).",
  );
  const none = evaluate(input("breaching", { evaluationPeriods: 2, datapointsToAlarm: 2 }), [])!;
  assert.equal(
    none.reason,
    "Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching].",
  );
  assert.deepEqual(JSON.parse(none.reasonData), {
    version: "1.0",
    queryDate: "2026-11-23T10:00:00.000+0000",
    statistic: "Sum",
    period: 60,
    recentDatapoints: [],
    threshold: 5,
    evaluatedDatapoints: [{ timestamp: "2026-11-23T09:59:00.000+0000" }, { timestamp: "2026-11-23T09:58:00.000+0000" }],
  });
  assert.match(none.reasonData, /"threshold":5\.0,/);
  const unknown = evaluate(input("missing"), [])!;
  assert.deepEqual(
    [unknown.state, unknown.reason],
    ["INSUFFICIENT_DATA", "Insufficient Data: 3 datapoints were unknown."],
  );
});

test("the period still running is never evaluated (no alarm on partial data)", () => {
  const now = START + 30_000; // half-way through the 10:00 period
  const partial = [{ t: START, value: 100, sampleCount: 1 }];
  const r = evaluate(input("missing", { now, evaluationPeriods: 1, datapointsToAlarm: 1 }), partial)!;
  assert.equal(r.state, "INSUFFICIENT_DATA");
});

test("percentiles with a low sample count keep the state unless EvaluateLowSampleCountPercentile is evaluate", () => {
  const few = [{ t: START - MIN, value: 100, sampleCount: 5 }];
  const p99 = input("missing", { evaluationPeriods: 1, datapointsToAlarm: 1, percentile: 99 });
  assert.equal(evaluate(p99, few), undefined); // the current state stays
  assert.equal(evaluate({ ...p99, evaluateLowSampleCount: true }, few)?.state, "ALARM");
  const many = [{ t: START - MIN, value: 100, sampleCount: 1000 }];
  assert.equal(evaluate(p99, many)?.state, "ALARM");
});

describe_end_to_end();

function describe_end_to_end() {
  let vigil: Vigil;
  let c: CloudWatchClient;
  before(async () => {
    vigil = await startAlarmsVigil();
    c = cw(vigil);
  });
  after(() => vigil.close());

  const put = (ns: string, value: number, at: number, name = "m", dims: { Name: string; Value: string }[] = []) =>
    c.send(
      new PutMetricDataCommand({
        Namespace: ns,
        MetricData: [{ MetricName: name, Value: value, Timestamp: new Date(at), Dimensions: dims, Unit: "Seconds" }],
      }),
    );
  const state = async (name: string) =>
    (await c.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0];
  const alarm = (name: string, ns: string, extra: Partial<PutMetricAlarmCommandInput> = {}) =>
    c.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        MetricName: "m",
        Namespace: ns,
        Statistic: "Average",
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 21,
        ComparisonOperator: "GreaterThanThreshold",
        ...extra,
      }),
    );
  const outbox = async (topic: string) =>
    (await vigil.server.stores.delivery.list({ kind: "sns.publish" })).filter(
      (d) => (JSON.parse(d.target) as { topicArn: string }).topicArn === topic,
    );

  test("the metrics engine is installed", () => {
    assert.ok(metricsEngine(vigil.server.stores));
  });

  test("an alarm goes to ALARM on a breaching datapoint, notifies its topic with AWS's message, and back to OK", async () => {
    const ns = unique("Vigil/Eval");
    const name = unique("cpu");
    const topic = topicArn(unique("alarms"));
    const dims = [{ Name: "InstanceId", Value: "abc" }];
    const now = vigil.server.clock.now();
    await alarm(name, ns, {
      Dimensions: dims,
      Unit: "Seconds",
      AlarmActions: [topic],
      OKActions: [topic],
      AlarmDescription: "testing cloudwatch alarms",
      TreatMissingData: "ignore",
    });
    const t0 = Math.floor(now / MIN) * MIN + MIN; // the next minute
    await vigil.server.advance((t0 - now) / 1000 + 5);
    await put(ns, 21, t0 + 10_000, "m", dims);
    await put(ns, 22, t0 + 20_000, "m", dims);
    await vigil.server.advance(60);
    const a = await state(name);
    assert.equal(a.StateValue, "ALARM");
    const d = new Date(t0);
    const stamp = `${String(d.getUTCDate()).padStart(2, "0")}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/26 ${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}:00`;
    assert.equal(
      a.StateReason,
      `Threshold Crossed: 1 datapoint [21.5 (${stamp})] was greater than the threshold (21.0).`,
    );
    const iso = (t: number) => new Date(t).toISOString().replace("Z", "+0000");
    const evalAt = t0 + MIN;
    assert.equal(
      a.StateReasonData,
      `{"version":"1.0","queryDate":"${iso(evalAt)}","startDate":"${iso(t0)}","unit":"Seconds","statistic":"Average","period":60,"recentDatapoints":[21.5],"threshold":21.0,"evaluatedDatapoints":[{"timestamp":"${iso(t0)}","sampleCount":2.0,"value":21.5}]}`,
    );
    const sent = await outbox(topic);
    assert.equal(sent.length, 1);
    const target = JSON.parse(sent[0].target);
    assert.deepEqual(target, {
      topicArn: topic,
      publisher: {
        account: "000000000000",
        service: "cloudwatch.amazonaws.com",
        sourceArn: alarmArn(name),
        sourceAccount: "000000000000",
      },
    });
    const payload = JSON.parse(sent[0].payload.toString()) as { message: string; subject: string };
    assert.equal(payload.subject, `ALARM: "${name}" in US East (N. Virginia)`);
    assert.equal(
      payload.message,
      JSON.stringify({
        AlarmName: name,
        AlarmDescription: "testing cloudwatch alarms",
        AWSAccountId: "000000000000",
        AlarmConfigurationUpdatedTimestamp: iso(now),
        NewStateValue: "ALARM",
        NewStateReason: a.StateReason,
        StateChangeTime: iso(evalAt),
        Region: "US East (N. Virginia)",
        AlarmArn: alarmArn(name),
        OldStateValue: "INSUFFICIENT_DATA",
        OKActions: [topic],
        AlarmActions: [topic],
        InsufficientDataActions: [],
        Trigger: {
          MetricName: "m",
          Namespace: ns,
          StatisticType: "Statistic",
          Statistic: "AVERAGE",
          Unit: "Seconds",
          Dimensions: [{ value: "abc", name: "InstanceId" }],
          Period: 60,
          EvaluationPeriods: 1,
          ComparisonOperator: "GreaterThanThreshold",
          Threshold: 21,
          TreatMissingData: "ignore",
          EvaluateLowSampleCountPercentile: "",
        },
      }).replace('"Threshold":21,', '"Threshold":21.0,'),
    );
    // A non-breaching minute: OK, and the OK action runs.
    await put(ns, 3, evalAt + 5_000, "m", dims);
    await vigil.server.advance(60);
    assert.equal((await state(name)).StateValue, "OK");
    assert.equal((await outbox(topic)).length, 2);
    const h = (await c.send(new DescribeAlarmHistoryCommand({ AlarmName: name }))).AlarmHistoryItems!;
    assert.deepEqual(
      h.map((x) => x.HistorySummary),
      [
        `Successfully executed action ${topic}`,
        "Alarm updated from ALARM to OK",
        `Successfully executed action ${topic}`,
        "Alarm updated from INSUFFICIENT_DATA to ALARM",
        `Alarm "${name}" created`,
      ],
    );
    // ignore: no more data keeps OK
    await vigil.server.advance(300);
    assert.equal((await state(name)).StateValue, "OK");
  });

  test("missing data treated as breaching alarms with no datapoints; disabled actions send nothing", async () => {
    const ns = unique("Vigil/Missing");
    const name = unique("breach");
    const topic = topicArn(unique("t"));
    await alarm(name, ns, {
      EvaluationPeriods: 2,
      TreatMissingData: "breaching",
      AlarmActions: [topic],
      ActionsEnabled: false,
    });
    await vigil.server.advance(120);
    const a = await state(name);
    assert.equal(a.StateValue, "ALARM");
    assert.equal(
      a.StateReason,
      "Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching].",
    );
    assert.equal((await outbox(topic)).length, 0);
  });

  test("an alarm with no data goes from creation to INSUFFICIENT_DATA reasons, and Lambda actions are recorded as failed", async () => {
    const ns = unique("Vigil/Other");
    const name = unique("lambda");
    const fn = "arn:aws:lambda:us-east-1:000000000000:function:f";
    await alarm(name, ns, { AlarmActions: [fn] });
    const now = vigil.server.clock.now();
    await put(ns, 50, now);
    await vigil.server.advance(120);
    assert.equal((await state(name)).StateValue, "ALARM");
    const h = (await c.send(new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: "Action" })))
      .AlarmHistoryItems!;
    assert.equal(h.length, 1);
    assert.equal(h[0].HistorySummary, `Failed to execute action ${fn}`);
    assert.equal(JSON.parse(h[0].HistoryData!).actionState, "Failed");
  });

  test("a 10-second alarm is evaluated every 10 seconds", async () => {
    const ns = unique("Vigil/HighRes");
    const name = unique("hr");
    await alarm(name, ns, { Period: 10 });
    const now = vigil.server.clock.now();
    const next10 = Math.floor(now / 10_000) * 10_000 + 10_000;
    await vigil.server.advance((next10 - now) / 1000);
    await c.send(
      new PutMetricDataCommand({
        Namespace: ns,
        MetricData: [{ MetricName: "m", Value: 99, Timestamp: new Date(next10 + 1000), StorageResolution: 1 }],
      }),
    );
    await vigil.server.advance(10);
    assert.equal((await state(name)).StateValue, "ALARM");
  });

  test("a transition sends the CloudWatch Alarm State Change event", async () => {
    const events: unknown[] = [];
    const entries = internal(vigil.server.stores);
    const saved = entries.putEvents;
    entries.putEvents = async (account, region, evs) => void events.push({ account, region, evs });
    try {
      const name = unique("event");
      await alarm(name, "Vigil/Events", { AlarmDescription: "d", Dimensions: [{ Name: "k", Value: "v" }] });
      await c.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: "ALARM", StateReason: "testing alarm" }));
      const iso = new Date(vigil.server.clock.now()).toISOString().replace("Z", "+0000");
      assert.equal(events.length, 1);
      const { account, region, evs } = events[0] as { account: string; region: string; evs: ServiceEvent[] };
      assert.deepEqual([account, region, evs.length], ["000000000000", "us-east-1", 1]);
      const e = evs[0];
      assert.deepEqual(
        [e.source, e.detailType, e.resources],
        ["aws.cloudwatch", "CloudWatch Alarm State Change", [alarmArn(name)]],
      );
      const detail = detailOf(e) as { configuration: { metrics: { id: string }[] } };
      assert.match(detail.configuration.metrics[0].id, /^[0-9a-f-]{36}$/);
      assert.deepEqual(detail, {
        alarmName: name,
        state: { value: "ALARM", reason: "testing alarm", timestamp: iso },
        previousState: { value: "INSUFFICIENT_DATA", reason: "Unchecked: Initial alarm creation", timestamp: iso },
        configuration: {
          description: "d",
          metrics: [
            {
              id: detail.configuration.metrics[0].id,
              metricStat: {
                metric: { namespace: "Vigil/Events", name: "m", dimensions: { k: "v" } },
                period: 60,
                stat: "Average",
              },
              returnData: true,
            },
          ],
        },
      });
    } finally {
      entries.putEvents = saved;
    }
  });

  test("a metric-math alarm evaluates its expression", async () => {
    const ns = unique("Vigil/Math");
    const name = unique("math");
    await c.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        EvaluationPeriods: 1,
        Threshold: 100,
        ComparisonOperator: "GreaterThanThreshold",
        Metrics: [
          {
            Id: "m1",
            MetricStat: { Metric: { Namespace: ns, MetricName: "m" }, Period: 60, Stat: "Sum" },
            ReturnData: false,
          },
          { Id: "e1", Expression: "m1 * 10", Label: "times ten", ReturnData: true },
        ],
      }),
    );
    await put(ns, 11, vigil.server.clock.now());
    await vigil.server.advance(120);
    const a = await state(name);
    assert.equal(a.StateValue, "ALARM");
    assert.match(a.StateReason!, /^Threshold Crossed: 1 datapoint \[110\.0 \(/);
  });
}
