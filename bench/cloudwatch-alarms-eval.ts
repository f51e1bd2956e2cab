/**
 * Micro-benchmark of one alarm evaluation tick (the goal: evaluating 10,000 alarms once costs under 1 s of
 * CPU): 10,000 metric alarms in memory (SQLite :memory:), with the real metrics engine over datapoints in the last
 * five minutes, alarms spread over 1,000 or 10,000 distinct metrics. Reports the process CPU time of the first tick
 * (every alarm leaves INSUFFICIENT_DATA: 10,000 state writes and history items) and of the next one (steady state).
 * Then the same 10,000 alarms over 10,000 metrics in a whole server (EventBridge running: every transition puts a
 * "CloudWatch Alarm State Change" event on the default bus) with an SNS topic in every alarm's AlarmActions and
 * OKActions (every transition also enqueues a publish and writes an Action history item), as alarms usually are.
 * With DATABASE_URL set, the in-memory scenarios run on PostgreSQL too (a schema of their own, dropped after; the
 * CPU is this process's, not the database server's).
 * Run: npx tsx bench/cloudwatch-alarms-eval.ts [alarms]
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { ManualClock } from "../src/runtime/clock.js";
import { createServer } from "../src/server.js";
import { AlarmsEngine, alarmsEngine } from "../src/services/cloudwatch/alarms/engine.js";
import { evaluateTick } from "../src/services/cloudwatch/alarms/evaluator.js";
import { INITIAL_REASON, type MetricAlarmConfig } from "../src/services/cloudwatch/alarms/model.js";
import { metricsEngine, type MetricsEngine } from "../src/services/cloudwatch/engine-api.js";
import { createMetricsEngine } from "../src/services/cloudwatch/metrics/engine.js";
import { ingestMetricData } from "../src/services/cloudwatch/metrics/ingest.js";
import { openStores, type Stores } from "../src/storage/index.js";
import type { AlarmWrite } from "../src/storage/alarms-store.js";

const ALARMS = Number(process.argv[2] ?? 10_000);
const START = Date.parse("2026-11-23T10:00:00Z");
const TOPIC = "arn:aws:sns:us-east-1:000000000000:bench-alarms";

interface Setup {
  clock: ManualClock;
  stores: Stores;
  engine: AlarmsEngine;
  metricsEngine: MetricsEngine;
  close(): Promise<void>;
}

async function storesOnly(options: Parameters<typeof openStores>[0]): Promise<Setup> {
  const stores = await openStores(options);
  const clock = new ManualClock(START);
  return {
    clock,
    stores,
    engine: new AlarmsEngine({ stores, clock }),
    metricsEngine: createMetricsEngine(stores, clock),
    close: () => stores.close(),
  };
}

async function wholeServer(): Promise<Setup> {
  const server = await createServer({
    ephemeral: true,
    clock: "manual",
    clockStart: new Date(START).toISOString(),
    port: 0,
    logLevel: "silent",
  });
  return {
    clock: server.clock as ManualClock,
    stores: server.stores,
    engine: alarmsEngine(server.stores),
    metricsEngine: metricsEngine(server.stores)!,
    close: () => server.close(),
  };
}

async function scenario(setup: Setup, metrics: number, title: string, actions = false): Promise<void> {
  const { stores, engine } = setup;
  // Five minutes of data for every metric.
  for (let m = 0; m < metrics; m += 500) {
    const datums = [];
    for (let i = m; i < Math.min(metrics, m + 500); i++)
      for (let k = 1; k <= 5; k++)
        datums.push({
          MetricName: `m${i}`,
          Dimensions: [{ Name: "Host", Value: `h${i}` }],
          Value: (i * k) % 100,
          Timestamp: START - k * 60_000,
        });
    for (let j = 0; j < datums.length; j += 1000)
      await ingestMetricData(stores, START, "000000000000", "us-east-1", "Bench", datums.slice(j, j + 1000));
  }
  const writes: AlarmWrite[] = [];
  for (let a = 0; a < ALARMS; a++) {
    const i = a % metrics;
    const config: MetricAlarmConfig = {
      AlarmName: `alarm-${a}`,
      OKActions: actions ? [TOPIC] : [],
      AlarmActions: actions ? [TOPIC] : [],
      InsufficientDataActions: [],
      MetricName: `m${i}`,
      Namespace: "Bench",
      Statistic: ["Average", "Sum", "Maximum"][a % 3],
      Dimensions: [{ Name: "Host", Value: `h${i}` }],
      Period: 60,
      EvaluationPeriods: 1 + (a % 3),
      Threshold: a % 100,
      ComparisonOperator: "GreaterThanThreshold",
    };
    writes.push({
      op: "upsert",
      row: {
        account: "000000000000",
        region: "us-east-1",
        name: config.AlarmName,
        type: "MetricAlarm",
        config: JSON.stringify(config),
        actionsEnabled: true,
        stateValue: "INSUFFICIENT_DATA",
        stateReason: INITIAL_REASON,
        stateReasonData: null,
        stateUpdatedAt: START,
        stateTransitionedAt: START,
        configUpdatedAt: START,
        evalState: null,
        tags: "[]",
      },
    });
  }
  await stores.alarms.write(writes);
  const tick = async (label: string, now: number) => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const s = await evaluateTick(engine, setup.metricsEngine, now);
    const cpu = process.cpuUsage(cpu0);
    const ms = performance.now() - t0;
    console.log(
      `${ALARMS} alarms on ${metrics} metrics${title}, ${label}: CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, ` +
        `wall ${ms.toFixed(0)} ms, ${s.queries} engine queries, ${s.changed} changed`,
    );
  };
  await tick("first tick (all transition)", START);
  await tick("second tick (steady state)", START);
  // A minute later with the minute's datapoint of every metric, as a live system runs: the datapoints each alarm
  // lists in its reason move on, so its reason (and for some, its state) changes.
  const next = [];
  for (let i = 0; i < metrics; i++)
    next.push({
      MetricName: `m${i}`,
      Dimensions: [{ Name: "Host", Value: `h${i}` }],
      Value: (i * 7) % 100,
      Timestamp: START,
    });
  for (let j = 0; j < next.length; j += 1000)
    await ingestMetricData(stores, START + 60_000, "000000000000", "us-east-1", "Bench", next.slice(j, j + 1000));
  setup.clock.set(START + 60_000);
  await tick("a minute later (new datapoints)", START + 60_000);
  await setup.close();
}

await scenario(await storesOnly({ ephemeral: true }), 1_000, "");
await scenario(await storesOnly({ ephemeral: true }), 10_000, "");
await scenario(await wholeServer(), 10_000, " in a server, with SNS actions and events", true);
// A server evaluates every minute: the same again with the code already compiled (the first run also pays for JIT
// compilation and its collector work on other threads, which process CPU counts).
await scenario(await wholeServer(), 10_000, " in a server, with SNS actions and events (warm)", true);

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  for (const metrics of [1_000, 10_000]) {
    const schema = `vigil_bench_${randomBytes(4).toString("hex")}`;
    try {
      await scenario(await storesOnly({ databaseUrl, schema }), metrics, " on PostgreSQL");
    } finally {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  }
}
