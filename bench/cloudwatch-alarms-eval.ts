/**
 * Micro-benchmark of one alarm evaluation tick (the goal: evaluating 10,000 alarms once costs under 1 s of
 * CPU): 10,000 metric alarms in memory (SQLite :memory:), with the real metrics engine over datapoints in the last
 * five minutes, alarms spread over 1,000 or 10,000 distinct metrics. Reports the process CPU time of the first tick
 * (every alarm leaves INSUFFICIENT_DATA: 10,000 state writes and history items) and of the next one (steady state).
 * Run: npx tsx bench/cloudwatch-alarms-eval.ts [alarms]
 */
import { ManualClock } from "../src/runtime/clock.js";
import { AlarmsEngine } from "../src/services/cloudwatch/alarms/engine.js";
import { evaluateTick } from "../src/services/cloudwatch/alarms/evaluator.js";
import { INITIAL_REASON, type MetricAlarmConfig } from "../src/services/cloudwatch/alarms/model.js";
import { createMetricsEngine } from "../src/services/cloudwatch/metrics/engine.js";
import { ingestMetricData } from "../src/services/cloudwatch/metrics/ingest.js";
import { openStores } from "../src/storage/index.js";
import type { AlarmWrite } from "../src/storage/alarms-store.js";

const ALARMS = Number(process.argv[2] ?? 10_000);
const START = Date.parse("2026-11-23T10:00:00Z");

async function scenario(metrics: number): Promise<void> {
  const stores = await openStores({ ephemeral: true });
  const clock = new ManualClock(START);
  const engine = new AlarmsEngine({ stores, clock });
  const metricsEngine = createMetricsEngine(stores, clock);
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
      OKActions: [],
      AlarmActions: [],
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
  for (const label of ["first tick (all transition)", "second tick (steady state)"]) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const s = await evaluateTick(engine, metricsEngine, START);
    const cpu = process.cpuUsage(cpu0);
    const ms = performance.now() - t0;
    console.log(
      `${ALARMS} alarms on ${metrics} metrics, ${label}: CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, ` +
        `wall ${ms.toFixed(0)} ms, ${s.queries} engine queries, ${s.changed} changed`,
    );
  }
  await stores.close();
}

await scenario(1_000);
await scenario(10_000);
