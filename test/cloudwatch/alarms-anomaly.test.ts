/**
 * Anomaly detection: the band model (metrics/anomaly.ts, metrics/ANOMALY.md), the detector operations as AWS records
 * them, and a band alarm evaluated against a fake metrics engine that computes ANOMALY_DETECTION_BAND with
 * anomalyBand().
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  DeleteAnomalyDetectorCommand,
  DescribeAlarmsCommand,
  DescribeAnomalyDetectorsCommand,
  PutAnomalyDetectorCommand,
  PutMetricAlarmCommand,
  type CloudWatchClient,
} from "@aws-sdk/client-cloudwatch";
import { anomalyBand } from "../../src/services/cloudwatch/metrics/anomaly.js";
import {
  setMetricsEngine,
  type MetricDataResult,
  type MetricsEngine,
} from "../../src/services/cloudwatch/engine-api.js";
import { unique, type Vigil } from "../helpers/vigil.js";
import { cw, rejects, sdkName, START, startAlarmsVigil } from "./alarms-helpers.js";

const HOUR = 3_600_000;

test("the band follows ANOMALY.md's table", () => {
  const at = (i: number) => START + i * 60_000;
  const flat = anomalyBand({ timestamps: [at(0), at(1), at(2), at(3)], values: [10, 10, 10, 10] }, 2);
  assert.deepEqual([flat.lower[0], flat.upper[0]], [9.9, 10.1]); // no history: the point itself ± 1%
  assert.ok(Math.abs(flat.lower[3] - 9.9) < 1e-9 && Math.abs(flat.upper[3] - 10.1) < 1e-9);
  const spread = anomalyBand({ timestamps: [at(0), at(1), at(2), at(3)], values: [8, 10, 12, 40] }, 2);
  assert.deepEqual([spread.lower[3], spread.upper[3]], [6, 14]);
  // Same hour of the week, one and two weeks back and more: the seasonal sample wins.
  const week = 7 * 24 * HOUR;
  const ts = [START - 2 * week, START - week - HOUR, START - week, START - week + 60_000, START - HOUR, START];
  const vs = [100, 5, 110, 90, 5, 0];
  const b = anomalyBand({ timestamps: ts, values: vs }, 1);
  assert.deepEqual([b.lower[5], b.upper[5]], [90, 110]);
});

let vigil: Vigil;
let c: CloudWatchClient;
before(async () => {
  vigil = await startAlarmsVigil();
  c = cw(vigil);
});
after(() => vigil.close());

test("anomaly detector lifecycle as recorded on AWS", async () => {
  const ns = unique("MyNamespace");
  const dims = [{ Name: "DimensionName", Value: "DimensionValue" }];
  await c.send(new PutAnomalyDetectorCommand({ Namespace: ns, MetricName: "MyMetric", Dimensions: dims, Stat: "Sum" }));
  const d = await c.send(new DescribeAnomalyDetectorsCommand({ Namespace: ns }));
  assert.deepEqual(d.AnomalyDetectors, [
    {
      Configuration: { ExcludedTimeRanges: [] },
      Dimensions: dims,
      MetricName: "MyMetric",
      Namespace: ns,
      SingleMetricAnomalyDetector: {
        AccountId: "000000000000",
        Dimensions: dims,
        MetricName: "MyMetric",
        Namespace: ns,
        Stat: "Sum",
      },
      Stat: "Sum",
      StateValue: "PENDING_TRAINING",
    },
  ]);
  // The same detector through SingleMetricAnomalyDetector is the same detector.
  await c.send(
    new PutAnomalyDetectorCommand({
      SingleMetricAnomalyDetector: { Namespace: ns, MetricName: "MyMetric", Dimensions: dims, Stat: "Sum" },
    }),
  );
  assert.equal((await c.send(new DescribeAnomalyDetectorsCommand({ Namespace: ns }))).AnomalyDetectors!.length, 1);
  await c.send(
    new DeleteAnomalyDetectorCommand({ Namespace: ns, MetricName: "MyMetric", Dimensions: dims, Stat: "Sum" }),
  );
  assert.deepEqual((await c.send(new DescribeAnomalyDetectorsCommand({ Namespace: ns }))).AnomalyDetectors, []);
  await rejects(
    c.send(new DeleteAnomalyDetectorCommand({ Namespace: ns, MetricName: "MyMetric", Dimensions: dims, Stat: "Sum" })),
    "ResourceNotFoundException",
    "This anomaly detection model does not exist",
  );
  await rejects(
    c.send(new PutAnomalyDetectorCommand({ Namespace: ns, MetricName: "MyMetric" })),
    sdkName("MissingParameter"),
    "The parameter Stat is required.",
  );
});

test("a band alarm goes to ALARM when the metric leaves the band", async () => {
  // A fake engine: m1 is flat at 10 for an hour, then jumps to 50; ad1 = anomalyBand(m1, 2).
  const series = (start: number, end: number) => {
    const timestamps: number[] = [];
    const values: number[] = [];
    for (let t = START - HOUR; t < end; t += 60_000) {
      if (t < start - HOUR) continue;
      timestamps.push(t);
      values.push(t >= START + 2 * 60_000 ? 50 : 10 + ((t / 60_000) % 2));
    }
    return { timestamps, values };
  };
  const fake: MetricsEngine = {
    statSeries: async () => ({ timestamps: [], values: [], sampleCounts: [] }),
    statSeriesMany: async (requests) => requests.map(() => ({ timestamps: [], values: [], sampleCounts: [] })),
    metricData: async (_a, _r, queries, start, end): Promise<MetricDataResult[]> => {
      const s = series(start, end);
      const band = anomalyBand(s, 2);
      const inRange = (ts: number[]) => ts.map((t, i) => [t, i] as const).filter(([t]) => t >= start && t < end);
      const out: MetricDataResult[] = [];
      for (const q of queries) {
        if (q.ReturnData === false) continue;
        if (typeof q.Expression === "string" && q.Expression.startsWith("ANOMALY_DETECTION_BAND")) {
          const idx = inRange(band.timestamps);
          out.push({
            Id: q.Id as string,
            Timestamps: idx.map(([t]) => t),
            Values: idx.map(([, i]) => band.upper[i]),
            StatusCode: "Complete",
          });
          out.push({
            Id: q.Id as string,
            Timestamps: idx.map(([t]) => t),
            Values: idx.map(([, i]) => band.lower[i]),
            StatusCode: "Complete",
          });
        } else {
          const idx = inRange(s.timestamps);
          out.push({
            Id: q.Id as string,
            Timestamps: idx.map(([t]) => t),
            Values: idx.map(([, i]) => s.values[i]),
            StatusCode: "Complete",
          });
        }
      }
      return out;
    },
  };
  setMetricsEngine(vigil.server.stores, fake);
  const name = unique("band");
  await c.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      EvaluationPeriods: 1,
      ComparisonOperator: "LessThanLowerOrGreaterThanUpperThreshold",
      ThresholdMetricId: "ad1",
      Metrics: [
        {
          Id: "m1",
          MetricStat: { Metric: { Namespace: "n", MetricName: "m" }, Period: 60, Stat: "Average" },
          ReturnData: true,
        },
        { Id: "ad1", Expression: "ANOMALY_DETECTION_BAND(m1, 2)", Label: "band", ReturnData: true },
      ],
    }),
  );
  const state = async () => (await c.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0];
  await vigil.server.advance(60);
  assert.equal((await state()).StateValue, "OK");
  await vigil.server.advance(120);
  const a = await state();
  assert.equal(a.StateValue, "ALARM");
  assert.match(
    a.StateReason!,
    /^Threshold Crossed: 1 datapoint \[50\.0 \(23\/11\/26 10:02:00\)\] was outside the band\.$/,
  );
  assert.equal(a.ThresholdMetricId, "ad1");
  assert.equal(a.Threshold, undefined);
});
