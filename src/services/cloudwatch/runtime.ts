/**
 * The CloudWatch runtime: the metrics engine (engine-api.ts) and the roll-up job for metrics, the internal putMetrics
 * entry other services emit service metrics through, the AWS/Logs metrics and Logs metric filters (both fed by
 * every committed log ingest), and the alarms runtime.
 */
import { internal, type ServiceDeps, type ServiceRuntime } from "../internal.js";
import { onLogsIngest } from "../logs/ingest.js";
import { applyMetricFilters } from "../logs/metric-filters.js";
import { startAlarms } from "./alarms/runtime.js";
import { setMetricsEngine } from "./engine-api.js";
import { createMetricsEngine } from "./metrics/engine.js";
import { ingestMetricData, onMetricsWritten } from "./metrics/ingest.js";
import { expire, rollupOnce } from "./metrics/rollup.js";

export const ROLLUP_JOB = "cloudwatch.metrics.rollup";
const ROLLUP_DELAY_MS = 60_000;

export function startCloudWatch(deps: ServiceDeps): ServiceRuntime {
  const { stores, clock, scheduler, log } = deps;
  let due = Infinity;
  const schedule = (at: number) => {
    due = at;
    scheduler.setDue(ROLLUP_JOB, at);
  };
  scheduler.register({
    name: ROLLUP_JOB,
    intervalMs: ROLLUP_DELAY_MS,
    run: async (now) => {
      due = Infinity;
      let more = true;
      for (let i = 0; more && i < 50; i++) more = await rollupOnce(stores.metrics, now);
      const nextExpiry = await expire(stores.metrics, now);
      const next = Math.min(
        nextExpiry,
        more || (await stores.metrics.hasUnrolled()) ? now + ROLLUP_DELAY_MS : Infinity,
      );
      // A write during this run may have asked for an earlier run.
      schedule(Math.min(next, due));
    },
  });
  schedule(Infinity);
  onMetricsWritten(stores, (now) => {
    if (due > now + ROLLUP_DELAY_MS) schedule(now + ROLLUP_DELAY_MS);
  });

  setMetricsEngine(stores, createMetricsEngine(stores, clock));

  internal(stores).putMetrics = async (account, region, namespace, datums) => {
    try {
      await ingestMetricData(stores, clock.now(), account, region, namespace, datums, true);
    } catch (err) {
      log.error({ err, namespace }, "cloudwatch: service metrics refused");
    }
  };

  onLogsIngest(stores, async (batch) => {
    const bytes = batch.sizes.reduce((a, b) => a + b, 0);
    const Dimensions = [{ Name: "LogGroupName", Value: batch.logGroupName }];
    await internal(stores).putMetrics?.(batch.account, batch.region, "AWS/Logs", [
      {
        MetricName: "IncomingLogEvents",
        Dimensions,
        Value: batch.messages.length,
        Unit: "None",
        Timestamp: batch.ingestionTime,
      },
      { MetricName: "IncomingBytes", Dimensions, Value: bytes, Unit: "Bytes", Timestamp: batch.ingestionTime },
    ]);
    await applyMetricFilters(stores, batch);
  });

  const alarms = startAlarms(deps);
  return { close: () => alarms.close?.() };
}
