/**
 * Retention and roll-up on the manual clock: 1-minute data roll into 5-minute and 1-hour periods that outlive them,
 * percentiles survive the roll-up, and AWS/Logs metrics follow every PutLogEvents. Also the engine alarms call.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { GetMetricStatisticsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { expire } from "../../src/services/cloudwatch/metrics/rollup.js";
import { metricsEngine } from "../../src/services/cloudwatch/engine-api.js";
import { unique, type Vigil } from "../helpers/vigil.js";
import { cwOn, START, startMetricsVigil } from "./metrics-helpers.js";

let vigil: Vigil;
before(async () => (vigil = await startMetricsVigil()));
after(() => vigil.close());

const DAY = 86400;

test("1-minute data roll up into 5-minute and 1-hour periods, kept 63 and 455 days", async () => {
  const cw = cwOn(vigil, "json");
  const ns = unique("Vigil/Rollup");
  const t0 = vigil.server.clock.now() - 3600_000;
  await cw.send(
    new PutMetricDataCommand({
      Namespace: ns,
      MetricData: [0, 1, 2, 3].map((i) => ({
        MetricName: "m",
        Values: Array.from({ length: 100 }, (_, j) => j + 1),
        Timestamp: new Date(t0 + i * 60_000),
      })),
    }),
  );
  const query = (period: number) =>
    cw
      .send(
        new GetMetricStatisticsCommand({
          Namespace: ns,
          MetricName: "m",
          StartTime: new Date(t0 - 3600_000),
          EndTime: new Date(t0 + 3600_000),
          Period: period,
          Statistics: ["SampleCount", "Sum", "Maximum"],
        }),
      )
      .then((r) => r.Datapoints!.map((d) => [d.SampleCount, d.Sum, d.Maximum]));
  await vigil.server.advance(20 * DAY);
  assert.deepEqual(await query(60), []); // 1-minute periods are not answered past 15 days
  assert.deepEqual(await query(300), [[400, 20200, 100]]);
  const pct = await cw.send(
    new GetMetricStatisticsCommand({
      Namespace: ns,
      MetricName: "m",
      StartTime: new Date(t0 - 3600_000),
      EndTime: new Date(t0 + 3600_000),
      Period: 3600,
      ExtendedStatistics: ["p90"],
    }),
  );
  assert.ok(Math.abs(pct.Datapoints![0].ExtendedStatistics!.p90 - 90) <= 1.5);
  await vigil.server.advance(50 * DAY);
  assert.deepEqual(await query(300), []);
  assert.deepEqual(await query(3600), [[400, 20200, 100]]);
  // 455 days of 1-hour data: the expiry itself, without running every other service's jobs for a year.
  await expire(vigil.server.stores.metrics, vigil.server.clock.now() + 400 * DAY * 1000);
  assert.deepEqual(await query(3600), []);
});

test("PutLogEvents emits AWS/Logs IncomingLogEvents and IncomingBytes per log group", async () => {
  const logs = vigil.client(CloudWatchLogsClient);
  const group = unique("/vigil/metrics");
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: "s" }));
  const now = vigil.server.clock.now();
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: "s",
      logEvents: [
        { timestamp: now, message: "hello" },
        { timestamp: now, message: "héllo" },
      ],
    }),
  );
  const cw = cwOn(vigil, "json");
  const get = (name: string) =>
    cw.send(
      new GetMetricStatisticsCommand({
        Namespace: "AWS/Logs",
        MetricName: name,
        Dimensions: [{ Name: "LogGroupName", Value: group }],
        StartTime: new Date(now - 60_000),
        EndTime: new Date(now + 60_000),
        Period: 60,
        Statistics: ["Sum"],
      }),
    );
  assert.deepEqual(
    (await get("IncomingLogEvents")).Datapoints!.map((d) => [d.Sum, d.Unit]),
    [[2, "None"]],
  );
  assert.deepEqual(
    (await get("IncomingBytes")).Datapoints!.map((d) => [d.Sum, d.Unit]),
    [[11, "Bytes"]],
  );
});

test("the engine's statSeries answers periods aligned to the epoch with sample counts", async () => {
  const cw = cwOn(vigil, "json");
  const ns = unique("Vigil/Engine");
  const now = vigil.server.clock.now();
  const minute = Math.floor(now / 60_000) * 60_000;
  await cw.send(
    new PutMetricDataCommand({
      Namespace: ns,
      MetricData: [
        { MetricName: "m", Value: 3, Timestamp: new Date(minute - 120_000), Dimensions: [{ Name: "d", Value: "1" }] },
        { MetricName: "m", Value: 5, Timestamp: new Date(minute - 60_000), Dimensions: [{ Name: "d", Value: "1" }] },
        { MetricName: "m", Value: 7, Timestamp: new Date(minute - 59_000), Dimensions: [{ Name: "d", Value: "1" }] },
      ],
    }),
  );
  const engine = metricsEngine(vigil.server.stores)!;
  const s = await engine.statSeries(
    "000000000000",
    "us-east-1",
    { namespace: ns, metricName: "m", dimensions: [{ Name: "d", Value: "1" }], period: 60, stat: "Average" },
    minute - 300_000,
    minute,
  );
  assert.deepEqual(s, { timestamps: [minute - 120_000, minute - 60_000], values: [3, 6], sampleCounts: [1, 2] });
  const data = await engine.metricData(
    "000000000000",
    "us-east-1",
    [
      {
        Id: "m",
        MetricStat: {
          Metric: { Namespace: ns, MetricName: "m", Dimensions: [{ Name: "d", Value: "1" }] },
          Period: 60,
          Stat: "Sum",
        },
        ReturnData: false,
      },
      { Id: "e", Expression: "m * 10" },
    ],
    minute - 300_000,
    minute,
  );
  assert.deepEqual(data, [
    { Id: "e", Label: "e", Timestamps: [minute - 120_000, minute - 60_000], Values: [30, 120], StatusCode: "Complete" },
  ]);
  assert.ok(START < now);
});
