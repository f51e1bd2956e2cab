/**
 * The alarms runtime: the alarms engine of this server and the evaluation job, on 10-second boundaries of the clock.
 * The job sleeps (due never) while there are no alarms, and PutMetricAlarm / PutCompositeAlarm wake it, so advancing
 * a manual clock by months costs nothing when nobody uses alarms.
 */
import type { ServiceDeps, ServiceRuntime } from "../../internal.js";
import { metricsEngine } from "../engine-api.js";
import { AlarmsEngine, setAlarmsEngine } from "./engine.js";
import { evaluateTick } from "./evaluator.js";

export const ALARMS_JOB = "cloudwatch.alarms";
const TICK_MS = 10_000;
/** AWS keeps alarm history for 30 days. */
const HISTORY_MS = 30 * 86_400_000;

const nextTick = (now: number) => Math.floor(now / TICK_MS) * TICK_MS + TICK_MS;

export function startAlarms(deps: ServiceDeps): ServiceRuntime {
  const { scheduler, clock, stores } = deps;
  const wake = () => {
    const jobs = scheduler.jobs().find((j) => j.name === ALARMS_JOB);
    const due = nextTick(clock.now());
    if (jobs && jobs.due > due) scheduler.setDue(ALARMS_JOB, due);
  };
  const engine = new AlarmsEngine({ stores, clock, delivery: deps.delivery, log: deps.log, wake });
  setAlarmsEngine(stores, engine);
  scheduler.register({
    name: ALARMS_JOB,
    intervalMs: TICK_MS,
    run: async (now) => {
      const metrics = metricsEngine(stores);
      const summary = metrics ? await evaluateTick(engine, metrics, now) : undefined;
      const waiting = await engine.runPendingActions(now);
      if (now % 86_400_000 === 0) await stores.alarms.expireHistory(now - HISTORY_MS);
      // Keep the 10-second grid; sleep when there is nothing to evaluate.
      const any = waiting || (summary ? summary.alarms > 0 : true);
      scheduler.setDue(ALARMS_JOB, any ? nextTick(now) : Infinity);
    },
  });
  scheduler.setDue(ALARMS_JOB, Infinity);
  return {};
}
