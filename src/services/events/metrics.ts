/**
 * AWS/Events metrics through CloudWatch's internal entry when installed ("Monitoring Amazon EventBridge"):
 * MatchedEvents (per bus and in all) and TriggeredRules (per RuleName and in all) when events are routed; Invocations,
 * FailedInvocations and DeadLetterInvocations (per RuleName and in all) as deliveries end. Counts are summed in memory
 * (MetricSums) and handed to CloudWatch at most every 100 ms of real time, so a busy bus costs one metrics write per
 * flush rather than one per event. Optional work: skipped when CloudWatch is not there.
 */
import type { Stores } from "../../storage/types.js";
import type { EventsScope } from "../../storage/events-store.js";
import { internal } from "../internal.js";
import { MetricSums } from "../service-metrics.js";
import type { RouteResult } from "./dispatch.js";

type Metric = "MatchedEvents" | "TriggeredRules" | "Invocations" | "FailedInvocations" | "DeadLetterInvocations";

interface Pending {
  timer?: NodeJS.Timeout;
  sums: MetricSums;
}

const pendings = new WeakMap<Stores, Pending>();
const FLUSH_MS = 100;

function add(stores: Stores, scope: EventsScope, metric: Metric, dim: [string, string] | undefined, n: number): void {
  if (!internal(stores).putMetrics || n === 0) return;
  let p = pendings.get(stores);
  if (!p) pendings.set(stores, (p = { sums: new MetricSums() }));
  p.sums.add(scope, "AWS/Events", metric, dim && { Name: dim[0], Value: dim[1] }, n);
  if (!p.timer) {
    const pending = p;
    pending.timer = setTimeout(() => flush(stores, pending), FLUSH_MS);
    pending.timer.unref();
  }
}

/** Hands the summed counts to CloudWatch now. */
export function flushEventsMetrics(stores: Stores): void {
  const p = pendings.get(stores);
  if (p) flush(stores, p);
}

function flush(stores: Stores, p: Pending): void {
  if (p.timer) clearTimeout(p.timer);
  p.timer = undefined;
  void p.sums.flush({ stores });
}

export function recordRouteMetrics(
  stores: Stores,
  bus: EventsScope & { name: string },
  r: RouteResult,
  _received: number,
): void {
  if (r.matchedEvents === 0) return;
  add(stores, bus, "MatchedEvents", undefined, r.matchedEvents);
  add(stores, bus, "MatchedEvents", ["EventBusName", bus.name], r.matchedEvents);
  add(stores, bus, "TriggeredRules", undefined, r.triggeredRules);
  for (const { ruleName, count } of r.perRule.values())
    add(stores, bus, "TriggeredRules", ["RuleName", ruleName], count);
}

export function recordDeliveryMetric(
  stores: Stores,
  scope: EventsScope,
  ruleName: string,
  metric: "Invocations" | "FailedInvocations" | "DeadLetterInvocations",
): void {
  add(stores, scope, metric, undefined, 1);
  add(stores, scope, metric, ["RuleName", ruleName], 1);
}
