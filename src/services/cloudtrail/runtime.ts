/**
 * The CloudTrail runtime: the signing keys (in <dataDir>/cloudtrail-keys, memory when ephemeral), the log delivery
 * job (every --trail-delivery-interval seconds), the digest job (every --trail-digest-interval seconds, after a
 * delivery so the digest lists the files just written) and the Insights job (every --trail-insights-window seconds).
 * Delivery reads committed audit rows by seq from the store, so records committed before a crash are delivered after
 * the restart. The jobs sleep (due never) while no trail needs them, so advancing a manual clock by months costs
 * nothing; StartLogging, StopLogging and PutInsightSelectors wake them.
 *
 * It also runs CloudWatch Logs export tasks (src/services/logs/operations/export-tasks.ts), which write to S3 as
 * trails do: a job every second while a task is pending.
 */
import type { ServiceDeps, ServiceRuntime } from "../internal.js";
import { exportsPending, installExportWaker, runExportTasks } from "../logs/operations/export-tasks.js";
import { deliverTrail, flushTrail } from "./delivery.js";
import { digestTrail } from "./digests.js";
import { insightsForTrail } from "./insights.js";
import { KeyRing } from "./keys.js";
import { installServer, readState } from "./state.js";

export const DELIVERY_JOB = "cloudtrail-delivery";
export const DIGEST_JOB = "cloudtrail-digests";
export const INSIGHTS_JOB = "cloudtrail-insights";
export const EXPORT_JOB = "logs-export-tasks";

export function startCloudTrail(deps: ServiceDeps): ServiceRuntime {
  const { stores, config, clock, scheduler, log } = deps;
  const keys = new KeyRing(config.ephemeral ? undefined : config.dataDir);
  const intervals: Record<string, number> = {
    [DELIVERY_JOB]: config.trailDeliveryInterval * 1000,
    [DIGEST_JOB]: config.trailDigestInterval * 1000,
    [INSIGHTS_JOB]: config.trailInsightsWindow * 1000,
    [EXPORT_JOB]: 1000,
  };
  const wakeJob = (name: string) => {
    const job = scheduler.jobs().find((j) => j.name === name);
    if (job && job.due === Infinity) scheduler.setDue(name, clock.now() + intervals[name]);
  };
  const wake = () => [DELIVERY_JOB, DIGEST_JOB, INSIGHTS_JOB].forEach(wakeJob);
  installServer(stores, { keys, flush: (arn) => flushTrail(stores, arn, clock.now()), wake });

  /** Whether any trail still has work for the jobs (logging, or a delivery or final digest owed). */
  const needed = async (insights: boolean) => {
    for (const t of await stores.trails.listAll()) {
      const { logging, state } = await readState(stores, t.arn);
      if (insights) {
        if (logging && t.config.includes('"InsightSelectors":[{')) return true;
      } else if (logging || state.pending || state.deliverUntil !== undefined || state.finalDigest) return true;
    }
    return false;
  };
  const sleepIfIdle = async (name: string, insights = false) => {
    if (!(await needed(insights))) scheduler.setDue(name, Infinity);
  };

  scheduler.register({
    name: DELIVERY_JOB,
    intervalMs: intervals[DELIVERY_JOB],
    run: async (now) => {
      for (const t of await stores.trails.listAll()) {
        try {
          await flushTrail(stores, t.arn, now);
        } catch (err) {
          log.error({ err, trail: t.arn }, "trail delivery failed");
        }
      }
      await sleepIfIdle(DELIVERY_JOB);
    },
  });
  scheduler.register({
    name: DIGEST_JOB,
    intervalMs: intervals[DIGEST_JOB],
    run: async (now) => {
      for (const t of await stores.trails.listAll()) {
        try {
          await deliverTrail(stores, t.arn, now);
          await digestTrail(stores, keys, t.arn, now);
        } catch (err) {
          log.error({ err, trail: t.arn }, "trail digest failed");
        }
      }
      await sleepIfIdle(DIGEST_JOB);
    },
  });
  const insights = { baselineMs: config.trailInsightsBaseline * 1000, windowMs: config.trailInsightsWindow * 1000 };
  scheduler.register({
    name: INSIGHTS_JOB,
    intervalMs: intervals[INSIGHTS_JOB],
    run: async (now) => {
      for (const t of await stores.trails.listAll()) {
        if (!t.config.includes('"InsightSelectors":[{')) continue;
        try {
          await insightsForTrail(stores, t.arn, now, insights);
        } catch (err) {
          log.error({ err, trail: t.arn }, "trail insights failed");
        }
      }
      await sleepIfIdle(INSIGHTS_JOB, true);
    },
  });
  scheduler.register({
    name: EXPORT_JOB,
    intervalMs: intervals[EXPORT_JOB],
    run: async () => {
      await runExportTasks(stores);
      if (!exportsPending(stores)) scheduler.setDue(EXPORT_JOB, Infinity);
    },
  });
  scheduler.setDue(EXPORT_JOB, Infinity);
  installExportWaker(stores, () => wakeJob(EXPORT_JOB));
  return {};
}
