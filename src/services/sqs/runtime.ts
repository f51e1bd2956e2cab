/**
 * What SQS keeps per server besides its store: the long-poll hub, the metrics hook, and the jobs on the scheduler
 * (retention of messages and bookkeeping, message move tasks, and waking long polls when a manual clock moves).
 */
import { delivered, permanent, retryable, type Delivery } from "../../delivery/engine.js";
import { isAwsError } from "../../errors/index.js";
import type { Stores } from "../../storage/types.js";
import { internal, SQS_SEND_KIND, type ServiceDeps, type SqsSendTarget } from "../internal.js";
import { NO_METRICS, type SqsMetricsHook } from "./metrics.js";
import { runMoveTasks } from "./move-tasks.js";
import { WaitHub } from "./waiters.js";
import { sendToQueue, type OutgoingMessage } from "./send.js";

/** A deleted queue's name can be reused after 60 seconds (DeleteQueue API reference). */
export const RECENTLY_DELETED_MS = 60_000;
/** How long a FIFO ReceiveRequestAttemptId is remembered (ReceiveMessage API reference: 5 minutes). */
export const ATTEMPT_WINDOW_MS = 5 * 60_000;

export interface SqsRuntime {
  waiters: WaitHub;
  metrics: SqsMetricsHook;
  /** Message move tasks may be running: run them every second until none is. */
  moveTasksStarted(): void;
  close(): void;
}

const runtimes = new WeakMap<Stores, SqsRuntime>();

/** The runtime of the server owning `stores` (created bare, without jobs, where no server started one). */
export function sqsRuntime(stores: Stores): SqsRuntime {
  let rt = runtimes.get(stores);
  if (!rt) {
    const waiters = new WaitHub();
    rt = { waiters, metrics: NO_METRICS, moveTasksStarted: () => {}, close: () => waiters.close() };
    runtimes.set(stores, rt);
  }
  return rt;
}

/** Installs the CloudWatch metrics hook for the server owning `stores`. */
export function setSqsMetricsHook(stores: Stores, hook: SqsMetricsHook): void {
  sqsRuntime(stores).metrics = hook;
}

const TICK = "sqs-tick";

/**
 * Registers SQS's jobs: retention every hour, and a one-second tick that runs only while it has work (message move
 * tasks, or long polls waiting on a manual clock), so that advancing a manual clock by months costs nothing.
 */
export function startSqs(deps: ServiceDeps): SqsRuntime {
  const { stores, clock, scheduler, log, delivery } = deps;
  const rt = sqsRuntime(stores);
  const sqsSend = (internal(stores).sqsSend = (queueArn, message, sender) =>
    sendToQueue({ stores, clock }, queueArn, message, sender));
  delivery.registerSender<SqsSendTarget>(SQS_SEND_KIND, async (d: Delivery<SqsSendTarget>) => {
    try {
      const id = await sqsSend(
        d.target.queueArn,
        JSON.parse(d.payload.toString()) as OutgoingMessage,
        d.target.publisher,
      );
      return id === undefined
        ? permanent("AWS.SimpleQueueService.NonExistentQueue", `Queue ${d.target.queueArn} does not exist`)
        : delivered;
    } catch (err) {
      if (isAwsError(err)) return permanent(err.code, err.message);
      return retryable("InternalFailure", String(err));
    }
  });
  let ticking = false;
  let tasks = false;
  const wake = () => {
    if (ticking) return;
    ticking = true;
    scheduler.setDue(TICK, clock.now() + 1000);
  };
  const moveTasksStarted = () => {
    tasks = true;
    wake();
  };
  rt.moveTasksStarted = moveTasksStarted;
  // With a manual clock, delays and visibility timeouts end only when time is advanced: long polls look again then.
  if (clock.manual) rt.waiters.onWait = wake;
  scheduler.register({
    name: TICK,
    intervalMs: 1000,
    run: async (now) => {
      if (clock.manual) rt.waiters.wakeAll();
      if (tasks) tasks = await runMoveTasks({ stores, clock, log, waiters: rt.waiters }, now);
      if (!tasks && !(clock.manual && rt.waiters.size > 0)) {
        ticking = false;
        scheduler.setDue(TICK, Infinity);
      }
    },
  });
  scheduler.setDue(TICK, Infinity);
  scheduler.register({
    name: "sqs-retention",
    intervalMs: 3600_000,
    run: async (now) => {
      await stores.sqs.expire(now, RECENTLY_DELETED_MS, ATTEMPT_WINDOW_MS);
      // Tasks another node started (or this one before a restart) are picked up here.
      if ((await stores.sqs.activeMoveTasks()).length > 0) moveTasksStarted();
    },
  });
  stores.sqs.activeMoveTasks().then(
    (t) => t.length > 0 && moveTasksStarted(),
    (err: unknown) => log.error({ err }, "sqs: cannot read the message move tasks"),
  );
  return rt;
}
