/**
 * The EventBridge runtime: the senders of target deliveries and dead letters on the delivery engine, the internal
 * putEvents entry other services use (alarm state changes, S3), API-call events from the audit recorder, and
 * scheduled rules on the scheduler.
 */
import type { Delivery } from "../../delivery/index.js";
import { detailOf, internal, type ServiceDeps, type ServiceRuntime } from "../internal.js";
import { startApiCallEvents } from "./api-call-events.js";
import { busState, hasListeners, type ArchiveDoc } from "./bus-cache.js";
import {
  DLQ_KIND,
  envelope,
  routeEvents,
  TARGET_KIND,
  type DeadLetterTarget,
  type TargetDelivery,
  noRoutes,
} from "./dispatch.js";
import { recordDeliveryMetric, recordRouteMetrics } from "./metrics.js";
import { DEFAULT_BUS } from "./resources.js";
import { startSchedules } from "./schedule/runner.js";
import { setEventsEnv, type EventsEnv } from "./state.js";
import { deadLetter, sendToTarget } from "./targets.js";

export function startEvents(deps: ServiceDeps): ServiceRuntime {
  const { stores, delivery, clock } = deps;
  const env: EventsEnv = { deps, delivery };
  setEventsEnv(stores, env);
  delivery.registerSender<TargetDelivery>(TARGET_KIND, (d, signal) => sendToTarget(env, d, signal));
  delivery.registerDeadLetterHandler<DeadLetterTarget, TargetDelivery>(DLQ_KIND, (e) => deadLetter(stores, e));
  delivery.onEvent((e) => {
    if (e.delivery.kind !== TARGET_KIND) return;
    const t = (e.delivery as Delivery<TargetDelivery>).target;
    if (e.type === "delivered") recordDeliveryMetric(stores, t, t.ruleName, "Invocations");
    else if (e.type === "dead-lettered") recordDeliveryMetric(stores, t, t.ruleName, "DeadLetterInvocations");
    else if (e.type === "dropped") recordDeliveryMetric(stores, t, t.ruleName, "FailedInvocations");
  });

  internal(stores).putEvents = async (account, region, events, busName = DEFAULT_BUS) => {
    const now = clock.now();
    const bus = { account, region, name: busName };
    // Events nothing routes or archives are only counted (as PutEvents counts them): not even built.
    const routed = !hasListeners(await busState(stores, bus, busName))
      ? noRoutes()
      : await routeEvents(
          { stores, delivery },
          bus,
          events.map((e) => ({
            envelope: envelope(bus, {
              source: e.source,
              detailType: e.detailType,
              detail: detailOf(e),
              resources: e.resources,
              time: e.time ?? now,
            }),
            ingestedAt: now,
          })),
        );
    recordRouteMetrics(stores, bus, routed, events.length);
  };

  // Archives keep events RetentionDays (0: indefinitely).
  deps.scheduler.register({
    name: "events-archive-retention",
    intervalMs: 3600_000,
    run: async (now) => {
      for (const a of await stores.events.all<ArchiveDoc>("archive"))
        if (a.doc.retentionDays > 0)
          await stores.events.purgeArchive(a, a.name, now - a.doc.retentionDays * 86_400_000);
    },
  });

  const stopApiCalls = startApiCallEvents(env);
  const schedules = startSchedules(env);
  return {
    close() {
      stopApiCalls();
      schedules.close();
    },
  };
}
