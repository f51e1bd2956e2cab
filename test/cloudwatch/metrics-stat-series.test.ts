/**
 * The metrics engine's bulk read for alarms (statSeriesMany) against GetMetricStatistics, which reads one metric at a
 * time through another path: the same periods, values and sample counts for every statistic, unit filter and
 * period (sub-minute periods read two tiers), whatever the batch (more requests than one read of the store takes).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { GetMetricStatisticsCommand, PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { metricsEngine, type StatSeries, type StatSeriesRequest } from "../../src/services/cloudwatch/engine-api.js";
import { unique, type Vigil } from "../helpers/vigil.js";
import { cwOn, startMetricsVigil } from "./metrics-helpers.js";

let vigil: Vigil;
before(async () => (vigil = await startMetricsVigil()));
after(() => vigil.close());

const ACCOUNT = "000000000000";
const REGION = "us-east-1";
const MIN = 60_000;

test("statSeriesMany answers what GetMetricStatistics answers, request by request", async () => {
  const cw = cwOn(vigil, "json");
  const ns = unique("Vigil/StatSeries");
  const now = vigil.server.clock.now();
  const hour = Math.floor(now / 3600_000) * 3600_000;
  const t0 = hour - 3600_000;
  const hosts = Array.from({ length: 150 }, (_, i) => `h${i}`);
  const data: MetricDatum[] = [];
  hosts.forEach((host, i) => {
    const Dimensions = [{ Name: "Host", Value: host }];
    for (let m = 0; m < 30; m++) {
      const Timestamp = new Date(t0 + m * MIN + (m % 7) * 1000);
      if ((i + m) % 9 === 0) continue; // a missing period now and then
      data.push({
        MetricName: "lat",
        Dimensions,
        Timestamp,
        Unit: "Milliseconds",
        Values: [i, m, (i * m) % 17],
        Counts: [1, 2, 1],
      });
      data.push({ MetricName: "req", Dimensions, Timestamp, Unit: "Count", Value: (i * 7 + m) % 11 });
      if (m % 5 === 0) data.push({ MetricName: "req", Dimensions, Timestamp, Unit: "Bytes", Value: 1000 + m });
      data.push({
        MetricName: "set",
        Dimensions,
        Timestamp,
        StatisticValues: { SampleCount: 3, Sum: i + m, Minimum: 0, Maximum: i + m },
      });
      if (m >= 25)
        data.push({
          MetricName: "hi",
          Dimensions,
          Timestamp: new Date(t0 + m * MIN + 12_345),
          Value: i + m,
          StorageResolution: 1,
        });
    }
  });
  for (let i = 0; i < data.length; i += 1000)
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: data.slice(i, i + 1000) }));

  const shapes: { metricName: string; stat: string; period: number; unit?: string; from: number; to: number }[] = [
    { metricName: "lat", stat: "Average", period: 60, from: t0, to: t0 + 30 * MIN },
    { metricName: "lat", stat: "p90", period: 300, from: t0, to: t0 + 30 * MIN },
    { metricName: "lat", stat: "tm80", period: 60, unit: "Milliseconds", from: t0 + 5 * MIN, to: t0 + 20 * MIN },
    { metricName: "req", stat: "Sum", period: 60, unit: "Count", from: t0, to: t0 + 30 * MIN },
    { metricName: "req", stat: "Maximum", period: 300, unit: "Bytes", from: t0, to: t0 + 30 * MIN },
    { metricName: "set", stat: "SampleCount", period: 120, from: t0, to: t0 + 30 * MIN },
    { metricName: "set", stat: "p50", period: 60, from: t0, to: t0 + 30 * MIN },
    { metricName: "hi", stat: "Minimum", period: 10, from: t0 + 25 * MIN, to: t0 + 30 * MIN },
  ];
  const requests: StatSeriesRequest[] = [];
  hosts.forEach((host, i) => {
    const s = shapes[i % shapes.length];
    requests.push({
      account: ACCOUNT,
      region: REGION,
      query: {
        namespace: ns,
        metricName: s.metricName,
        dimensions: [{ Name: "Host", Value: host }],
        period: s.period,
        stat: s.stat,
        ...(s.unit ? { unit: s.unit } : {}),
      },
      startMs: s.from,
      endMs: s.to,
    });
  });
  // No such metric, and no such statistic: empty series, the others unaffected.
  const none = { account: ACCOUNT, region: REGION, startMs: t0, endMs: t0 + 30 * MIN };
  requests.push({ ...none, query: { namespace: ns, metricName: "nope", dimensions: [], period: 60, stat: "Sum" } });
  requests.push({
    ...none,
    query: { namespace: ns, metricName: "req", dimensions: [{ Name: "Host", Value: "h0" }], period: 60, stat: "p101" },
  });

  const engine = metricsEngine(vigil.server.stores)!;
  const got = await engine.statSeriesMany(requests);
  assert.equal(got.length, requests.length);
  const empty: StatSeries = { timestamps: [], values: [], sampleCounts: [] };
  assert.deepEqual(got.slice(-2), [empty, empty]);
  let points = 0;
  for (const [i, r] of requests.slice(0, -2).entries()) {
    const q = r.query;
    const extended = !["SampleCount", "Average", "Sum", "Minimum", "Maximum"].includes(q.stat);
    const res = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: q.namespace,
        MetricName: q.metricName,
        Dimensions: q.dimensions,
        StartTime: new Date(r.startMs),
        EndTime: new Date(r.endMs),
        Period: q.period,
        Unit: q.unit as never,
        ...(extended ? { ExtendedStatistics: [q.stat] } : { Statistics: [q.stat as never, "SampleCount"] }),
      }),
    );
    // A request without a unit merges the metric's units; GetMetricStatistics answers a datapoint per unit.
    const byTime = new Map<number, { value: number; count: number }>();
    for (const d of res.Datapoints ?? []) {
      const v = extended ? d.ExtendedStatistics?.[q.stat] : (d as Record<string, unknown>)[q.stat];
      assert.equal(byTime.has(d.Timestamp!.getTime()), false, `one unit per period in ${q.metricName}`);
      if (typeof v === "number") byTime.set(d.Timestamp!.getTime(), { value: v, count: d.SampleCount ?? NaN });
    }
    const times = [...byTime.keys()].sort((a, b) => a - b);
    const want: StatSeries = {
      timestamps: times,
      values: times.map((t) => byTime.get(t)!.value),
      sampleCounts: times.map((t) => byTime.get(t)!.count),
    };
    const g = got[i];
    if (extended) want.sampleCounts = g.sampleCounts; // GetMetricStatistics asked for the extended statistic alone
    assert.deepEqual(g, want, `${q.metricName} ${q.stat} ${q.period} ${q.unit ?? ""} (${q.dimensions[0].Value})`);
    points += g.timestamps.length;
  }
  assert.ok(points > 1000, `${points} periods compared`);
});
