/**
 * ANOMALY_DETECTION_BAND through GetMetricData on every protocol and in a band alarm, with the real metrics engine:
 * the band trains on the two weeks before the query's StartTime, as ANOMALY.md describes; the expected bounds are
 * computed by hand below from that model.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  type CloudWatchClient,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import { unique, type Vigil } from "../helpers/vigil.js";
import { boto, cwOn, PROTOCOLS, rejects, START, startMetricsVigil, type ProtocolName } from "./metrics-helpers.js";

let vigil: Vigil;
before(async () => (vigil = await startMetricsVigil()));
after(() => vigil.close());

const MIN = 60_000;
const HOUR = 60 * MIN;
const WEEK = 7 * 24 * HOUR;

/**
 * START is a Monday, 10:00 UTC. One week back, in the hour Monday 09:00-10:00: 100, 110, 90 (mean 100, sd 10); at
 * Monday 13:00: 170, 30. In the queried range [START - 2h, START): 7 at 08:30 and 500 at 09:30.
 *   08:30: no history in the hour Monday 08:00, so the whole two weeks: 100, 110, 90, 170, 30: mean 100, sd 50.
 *   09:30: three points in the hour Monday 09:00: 100, 110, 90: mean 100, sd 10 (the 08:30 point is another hour).
 */
async function seed(cw: CloudWatchClient): Promise<string> {
  const ns = unique("Vigil/Band");
  const put = (t: number, v: number) => ({ MetricName: "Latency", Value: v, Timestamp: new Date(t) });
  const weekAgo = START - WEEK;
  await cw.send(
    new PutMetricDataCommand({
      Namespace: ns,
      MetricData: [
        put(weekAgo - HOUR, 100),
        put(weekAgo - HOUR + MIN, 110),
        put(weekAgo - HOUR + 2 * MIN, 90),
        put(weekAgo + 3 * HOUR, 170),
        put(weekAgo + 3 * HOUR + MIN, 30),
        put(START - 90 * MIN, 7),
        put(START - 30 * MIN, 500),
      ],
    }),
  );
  return ns;
}

const m1 = (ns: string, extra: Partial<MetricDataQuery> = {}): MetricDataQuery => ({
  Id: "m1",
  MetricStat: { Metric: { Namespace: ns, MetricName: "Latency" }, Period: 60, Stat: "Average" },
  ...extra,
});

const get = (cw: CloudWatchClient, queries: MetricDataQuery[]) =>
  cw.send(
    new GetMetricDataCommand({
      MetricDataQueries: queries,
      StartTime: new Date(START - 2 * HOUR),
      EndTime: new Date(START),
      ScanBy: "TimestampAscending",
    }),
  );

const rows = (r: Awaited<ReturnType<typeof get>>) =>
  r.MetricDataResults!.map((x) => [x.Id, x.Label, x.Timestamps!.map((t) => (t.getTime() - START) / MIN), x.Values]);

for (const protocol of Object.keys(PROTOCOLS) as ProtocolName[]) {
  test(`${protocol}: ANOMALY_DETECTION_BAND answers the upper and the lower bound, trained on two weeks of history`, async () => {
    const cw = cwOn(vigil, protocol);
    const ns = await seed(cw);
    const r = await get(cw, [
      m1(ns),
      { Id: "ad", Expression: "ANOMALY_DETECTION_BAND(m1)" },
      { Id: "wide", Expression: "ANOMALY_DETECTION_BAND(m1, 3)", Label: "Latency band" },
      { Id: "lo", Expression: "LAST(ANOMALY_DETECTION_BAND(m1))" },
      { Id: "e", Expression: "m1 * 2", ReturnData: false },
      { Id: "ade", Expression: "ANOMALY_DETECTION_BAND(e, 2)" },
    ]);
    assert.deepEqual(r.Messages, []);
    assert.deepEqual(rows(r), [
      // The metric itself keeps to the queried range.
      ["m1", "Latency", [-90, -30], [7, 500]],
      // k = 2: 100 ± 2·50 at 08:30, 100 ± 2·10 at 09:30.
      ["ad", "ad Upper", [-90, -30], [200, 120]],
      ["ad", "ad Lower", [-90, -30], [0, 80]],
      // k = 3: 100 ± 150, 100 ± 30.
      ["wide", "Latency band Upper", [-90, -30], [250, 130]],
      ["wide", "Latency band Lower", [-90, -30], [-50, 70]],
      ["lo", "lo", [-90, -30], [0, 80]],
      // An expression trains on its own history too: m1 * 2 has mean 200, sd 100 then sd 20.
      ["ade", "ade Upper", [-90, -30], [400, 240]],
      ["ade", "ade Lower", [-90, -30], [0, 160]],
    ]);
  });

  test(`${protocol}: ANOMALY_DETECTION_BAND errors`, async () => {
    const cw = cwOn(vigil, protocol);
    const ns = await seed(cw);
    await rejects(
      get(cw, [m1(ns), { Id: "ad", Expression: "ANOMALY_DETECTION_BAND(METRICS(), 2)" }]),
      "ValidationError",
      "Error in expression 'ad': Unsupported operand type(s) for ANOMALY_DETECTION_BAND: '[Array[TimeSeries], Scalar]'",
    );
    await rejects(
      get(cw, [m1(ns), { Id: "ad", Expression: "ANOMALY_DETECTION_BAND(m1, -1)" }]),
      "ValidationError",
      "Error in expression 'ad': The number of standard deviations of ANOMALY_DETECTION_BAND must be positive",
    );
    await rejects(
      get(cw, [{ Id: "ad", Expression: `ANOMALY_DETECTION_BAND(FIRST(SEARCH('{${ns}} Latency', 'Average', 60)))` }]),
      "ValidationError",
      "Error in expression 'ad': ANOMALY_DETECTION_BAND does not support SEARCH",
    );
  });
}

test("boto3 reads the band with its labels", async () => {
  const ns = await seed(cwOn(vigil, "json"));
  const out = (await boto(
    vigil,
    "query",
    `r = cw.get_metric_data(
    MetricDataQueries=[
        {"Id": "m1", "MetricStat": {"Metric": {"Namespace": ${JSON.stringify(ns)}, "MetricName": "Latency"},
                                    "Period": 60, "Stat": "Average"}, "ReturnData": False},
        {"Id": "ad", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)"},
    ],
    StartTime=datetime.datetime.fromtimestamp(${(START - 2 * HOUR) / 1000}, timezone.utc),
    EndTime=datetime.datetime.fromtimestamp(${START / 1000}, timezone.utc),
    ScanBy="TimestampAscending")
print(json.dumps([[x["Label"], x["Values"]] for x in r["MetricDataResults"]]))`,
  )) as unknown;
  assert.deepEqual(out, [
    ["ad Upper", [200, 120]],
    ["ad Lower", [0, 80]],
  ]);
});

test("a band alarm on the real engine compares the metric with the band trained on the past weeks", async () => {
  const cw = cwOn(vigil, "json");
  const ns = unique("Vigil/BandAlarm");
  // Monday 10:00-10:03 one week back: 100, 110, 90, so the band at START (Monday 10:00) is 100 ± 20.
  const history = [100, 110, 90].map((v, i) => ({
    MetricName: "Latency",
    Dimensions: [{ Name: "Host", Value: "a" }],
    Value: v,
    Timestamp: new Date(START - WEEK + i * MIN),
  }));
  await cw.send(
    new PutMetricDataCommand({
      Namespace: ns,
      MetricData: [
        ...history,
        ...history.map((d) => ({ ...d, Dimensions: [{ Name: "Host", Value: "b" }] })),
        { MetricName: "Latency", Dimensions: [{ Name: "Host", Value: "a" }], Value: 500, Timestamp: new Date(START) },
        { MetricName: "Latency", Dimensions: [{ Name: "Host", Value: "b" }], Value: 115, Timestamp: new Date(START) },
      ],
    }),
  );
  const alarm = async (host: string) => {
    const name = unique(`band-${host}`);
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        EvaluationPeriods: 1,
        ComparisonOperator: "LessThanLowerOrGreaterThanUpperThreshold",
        ThresholdMetricId: "ad1",
        Metrics: [
          {
            Id: "m1",
            MetricStat: {
              Metric: { Namespace: ns, MetricName: "Latency", Dimensions: [{ Name: "Host", Value: host }] },
              Period: 60,
              Stat: "Average",
            },
            ReturnData: true,
          },
          { Id: "ad1", Expression: "ANOMALY_DETECTION_BAND(m1, 2)", ReturnData: true },
        ],
      }),
    );
    return name;
  };
  const a = await alarm("a");
  const b = await alarm("b");
  await vigil.server.advance(60);
  const state = async (name: string) =>
    (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0];
  const sa = await state(a);
  assert.equal(sa.StateValue, "ALARM");
  assert.match(
    sa.StateReason!,
    /^Threshold Crossed: 1 datapoint \[500\.0 \(23\/11\/26 10:00:00\)\] was outside the band/,
  );
  assert.equal((await state(b)).StateValue, "OK");
});
