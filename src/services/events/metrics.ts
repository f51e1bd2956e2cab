/**
 * AWS/Events metrics through CloudWatch's internal entry when installed ("Monitoring Amazon EventBridge"):
 * MatchedEvents (per bus and in all) and TriggeredRules (per RuleName and in all) when events are routed; Invocations,
 * FailedInvocations and DeadLetterInvocations (per RuleName and in all) as deliveries end. Counts are summed in memory
 * and handed to CloudWatch at most every 100 ms of real time (a datum per metric and dimension, with the count as its
 * value), so a busy bus costs one metrics write per flush rather than one per event. Optional work: skipped when
 * CloudWatch is not there.
 */
import type { Stores } from "../../storage/types.js";
import type { EventsScope } from "../../storage/events-store.js";
import { internal, type MetricDatumInput } from "../internal.js";
import type { RouteResult } from "./dispatch.js";

type Metric = "MatchedEvents" | "TriggeredRules" | "Invocations" | "FailedInvocations" | "DeadLetterInvocations";

interface Pending {
  timer?: NodeJS.Timeout;
  /** account\nregion -> metric\ndimension name\ndimension value -> count. */
  counts: Map<string, Map<string, number>>;
}

const pendings = new WeakMap<Stores, Pending>();
const FLUSH_MS = 100;

function add(stores: Stores, scope: EventsScope, metric: Metric, dim: [string, string] | undefined, n: number): void {
  if (!internal(stores).putMetrics || n === 0) return;
  let p = pendings.get(stores);
  if (!p) pendings.set(stores, (p = { counts: new Map() }));
  const k = `${scope.account}\n${scope.region}`;
  let m = p.counts.get(k);
  if (!m) p.counts.set(k, (m = new Map()));
  const key = `${metric}\n${dim?.[0] ?? ""}\n${dim?.[1] ?? ""}`;
  m.set(key, (m.get(key) ?? 0) + n);
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
  const put = internal(stores).putMetrics;
  const counts = p.counts;
  p.counts = new Map();
  if (!put) return;
  for (const [scope, m] of counts) {
    const [account, region] = scope.split("\n") as [string, string];
    const datums: MetricDatumInput[] = [];
    for (const [key, value] of m) {
      const [metric, name, dimValue] = key.split("\n") as [string, string, string];
      datums.push({
        MetricName: metric,
        ...(name ? { Dimensions: [{ Name: name, Value: dimValue }] } : {}),
        Value: value,
        Unit: "Count",
      });
    }
    put(account, region, "AWS/Events", datums).catch(() => {});
  }
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
