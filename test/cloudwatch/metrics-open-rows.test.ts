/**
 * Open rows (metrics/ingest.ts): on SQLite, puts to a recent period of a metric written by consecutive commits update
 * that period's row in place instead of adding one; PostgreSQL appends. Statistics and percentiles must read the same either way, through the roll-up, a
 * roll-up that takes a row from under its writer, and a reset.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { GetMetricStatisticsCommand, PutMetricDataCommand, type CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { canonicalDims } from "../../src/services/cloudwatch/metrics/datums.js";
import { rollupOnce } from "../../src/services/cloudwatch/metrics/rollup.js";
import { raw } from "../helpers/raw.js";
import { unique, type Vigil } from "../helpers/vigil.js";
import { cwOn, startMetricsVigil } from "./metrics-helpers.js";

let vigil: Vigil;
before(async () => (vigil = await startMetricsVigil()));
after(() => vigil.close());

const ACCOUNT = "000000000000";

async function put(cw: CloudWatchClient, ns: string, values: number[], at: number) {
  await cw.send(
    new PutMetricDataCommand({
      Namespace: ns,
      MetricData: [{ MetricName: "m", Values: values, Timestamp: new Date(at) }],
    }),
  );
}

async function minute(cw: CloudWatchClient, ns: string, at: number) {
  const t = Math.floor(at / 60_000) * 60_000;
  const query = {
    Namespace: ns,
    MetricName: "m",
    StartTime: new Date(t),
    EndTime: new Date(t + 60_000),
    Period: 60,
  };
  const r = await cw.send(
    new GetMetricStatisticsCommand({ ...query, Statistics: ["SampleCount", "Sum", "Minimum", "Maximum"] }),
  );
  const e = await cw.send(new GetMetricStatisticsCommand({ ...query, ExtendedStatistics: ["p50"] }));
  assert.equal(r.Datapoints!.length, 1);
  const d = r.Datapoints![0];
  const p50 = e.Datapoints![0].ExtendedStatistics!.p50;
  return { n: d.SampleCount, sum: d.Sum, min: d.Minimum, max: d.Maximum, p50 };
}

/** The stored 1-minute rows of the metric's minute. */
async function rows(ns: string, at: number) {
  const metrics = vigil.server.stores.metrics;
  const id = await metrics.seriesId(ACCOUNT, "us-east-1", ns, "m", canonicalDims([]).key);
  const t = Math.floor(at / 60_000) * 60_000;
  return metrics.points(id!, 60, t, t + 60_000);
}

const sqlite = () => vigil.server.stores.dialect === "sqlite";

test("puts to a recent minute, committed one after another, update a row in place", async () => {
  const cw = cwOn(vigil, "json");
  const ns = unique("Vigil/Open");
  const at = vigil.server.clock.now() - 10_000;
  for (let i = 0; i < 5; i++) await put(cw, ns, [i * 10 + 1, i * 10 + 2], at);
  // The first put adds a row; the second, which finds the metric written by the commit before, adds the row that
  // the next three update.
  assert.equal((await rows(ns, at)).length, sqlite() ? 2 : 5);
  const s = await minute(cw, ns, at);
  assert.deepEqual({ n: s.n, sum: s.sum, min: s.min, max: s.max }, { n: 10, sum: 215, min: 1, max: 42 });
  // Values 1, 2, 11, 12, ..., 41, 42: the median lies between 21 and 22.
  assert.ok(s.p50! >= 21 * 0.99 && s.p50! <= 22 * 1.01, `p50 ${s.p50}`);
});

test("data older than the open window get rows of their own, and read the same", async () => {
  const cw = cwOn(vigil, "json");
  const ns = unique("Vigil/Old");
  const at = vigil.server.clock.now() - 3600_000;
  for (let i = 0; i < 3; i++) await put(cw, ns, [i + 1], at);
  assert.equal((await rows(ns, at)).length, 3);
  const s = await minute(cw, ns, at);
  assert.deepEqual({ n: s.n, sum: s.sum, min: s.min, max: s.max }, { n: 3, sum: 6, min: 1, max: 3 });
});

test("a row rolled up from under its writer: the next put adds only its own datapoints", async () => {
  const cw = cwOn(vigil, "json");
  const ns = unique("Vigil/Rolled");
  const now = vigil.server.clock.now();
  const at = now - 10_000;
  await put(cw, ns, [1, 2, 3], at);
  await put(cw, ns, [4], at);
  // A roll-up as if run ten minutes later takes the open row (and every other unrolled row).
  while (await rollupOnce(vigil.server.stores.metrics, now + 600_000));
  await put(cw, ns, [5, 6], at);
  const mid = await minute(cw, ns, at);
  assert.deepEqual({ n: mid.n, sum: mid.sum, min: mid.min, max: mid.max }, { n: 6, sum: 21, min: 1, max: 6 });
  await put(cw, ns, [7], at);
  const s = await minute(cw, ns, at);
  assert.deepEqual({ n: s.n, sum: s.sum, min: s.min, max: s.max }, { n: 7, sum: 28, min: 1, max: 7 });
  assert.ok(Math.abs(s.p50! - 4) <= 0.04, `p50 ${s.p50}`);
});

test("open rows go with a reset: a metric put again after it holds only the new datapoints", async () => {
  const cw = cwOn(vigil, "json");
  const ns = unique("Vigil/Reset");
  const at = vigil.server.clock.now() - 5_000;
  await put(cw, ns, [100, 200], at);
  const r = await raw(vigil.url, { method: "POST", path: "/_vigil/reset" });
  assert.equal(r.status, 200);
  // The same name, and on SQLite very likely the same series and row ids as before the reset.
  await put(cw, ns, [1], at);
  await put(cw, ns, [2], at);
  const s = await minute(cw, ns, at);
  assert.deepEqual({ n: s.n, sum: s.sum, min: s.min, max: s.max }, { n: 2, sum: 3, min: 1, max: 2 });
});

test("after the window the roll-up takes the minute, and its statistics are unchanged", async () => {
  const cw = cwOn(vigil, "json");
  const ns = unique("Vigil/Later");
  const at = vigil.server.clock.now() - 1_000;
  for (let i = 1; i <= 4; i++) await put(cw, ns, [i, i * 100], at);
  const before = await minute(cw, ns, at);
  await vigil.server.advance(600);
  assert.deepEqual(await rows(ns, at).then((r) => r.map((p) => p.rolled)), [true]);
  assert.deepEqual(await minute(cw, ns, at), before);
  assert.deepEqual({ n: before.n, sum: before.sum }, { n: 8, sum: 1010 });
});
