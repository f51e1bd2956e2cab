/**
 * Routing events on a bus: the envelope EventBridge delivers, matching against the bus's rules in one pass, and the
 * durable per-(event, target) deliveries, enqueued in one outbox transaction that commits before the caller
 * acknowledges (PutEvents answers after it; a crash before it loses nothing acknowledged).
 */
import { randomUUID } from "node:crypto";
import { eventBridgeRetryPolicy, type DeliveryEngine, type NewDelivery } from "../../delivery/index.js";
import type { ArchivedEvent, EventsScope } from "../../storage/events-store.js";
import type { Stores } from "../../storage/types.js";
import { busState, hasListeners } from "./bus-cache.js";
import { renderInput } from "./input.js";
import type { TargetDoc } from "./resources.js";

export const TARGET_KIND = "events.target";
export const DLQ_KIND = "events.dlq";

/** The event as targets receive it (field order as AWS writes it). */
export interface Envelope {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  /** ISO 8601, second precision, Z. */
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
  /** Set on replayed events (StartReplay). */
  "replay-name"?: string;
}

export interface BusEvent {
  envelope: Envelope;
  /** When EventBridge received it (epoch ms): the reserved variable <aws.events.event.ingestion-time>. */
  ingestedAt: number;
  /** API-call events: read-only calls reach only rules in ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS. */
  readOnlyApiCall?: boolean;
  /** Replays with FilterArns: only these rules (by ARN) receive the event. */
  onlyRules?: ReadonlySet<string>;
}

/** An event's `time`: ISO 8601 to the second, as EventBridge writes it ("2024-01-01T12:00:00Z"). */
export const isoSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

export function envelope(
  scope: EventsScope,
  e: { source: string; detailType: string; detail: unknown; resources?: string[]; time: number; id?: string },
): Envelope {
  return {
    version: "0",
    id: e.id ?? randomUUID(),
    "detail-type": e.detailType,
    source: e.source,
    account: scope.account,
    time: isoSeconds(e.time),
    region: scope.region,
    resources: e.resources ?? [],
    detail: e.detail,
  };
}

/** What the events.target sender reads. */
export interface TargetDelivery {
  ruleArn: string;
  ruleName: string;
  /** The bus's account and region (the rule's). */
  account: string;
  region: string;
  targetId: string;
  arn: string;
  eventId: string;
  /** Epoch ms of the event's time. */
  eventTime: number;
  messageGroupId?: string;
  roleArn?: string;
  http?: TargetDoc["HttpParameters"];
}

export interface DeadLetterTarget {
  arn: string;
  ruleArn: string;
  targetArn: string;
  /** The event itself when the target's payload was transformed: the dead-letter queue receives the event. */
  event?: string;
}

export interface RouteDeps {
  stores: Stores;
  delivery: DeliveryEngine;
}

export interface RouteResult {
  /** Events at least one rule matched. */
  matchedEvents: number;
  /** Rule matches (an event matching two rules counts twice). */
  triggeredRules: number;
  deliveries: number;
  /** Per rule ARN: how many events it matched (TriggeredRules per RuleName). */
  perRule: Map<string, { ruleName: string; count: number }>;
}

/** Matches each event against the bus's rules and enqueues one delivery per (event, target); resolves after commit. */
/** What routing events that nothing listens to comes to. */
export const noRoutes = (): RouteResult => ({ matchedEvents: 0, triggeredRules: 0, deliveries: 0, perRule: new Map() });

export async function routeEvents(
  deps: RouteDeps,
  bus: EventsScope & { name: string },
  events: BusEvent[],
): Promise<RouteResult> {
  const result = noRoutes();
  if (events.length === 0) return result;
  const state = await busState(deps.stores, bus, bus.name);
  if (!hasListeners(state)) return result;
  const archiving = state.archiveSet.size > 0 || state.archiveAll.length > 0;
  const items: NewDelivery[] = [];
  const archived: ArchivedEvent[] = [];
  for (const ev of events) {
    const env = ev.envelope as unknown as Record<string, unknown>;
    // Replayed events are not archived again.
    if (archiving && ev.envelope["replay-name"] === undefined) {
      const names = [...state.archiveAll, ...state.archiveSet.match(env)];
      if (names.length > 0) {
        const text = JSON.stringify(ev.envelope);
        const time = Date.parse(ev.envelope.time);
        for (const archive of names) archived.push({ archive, time, event: text });
      }
    }
    let matched = state.ruleSet.match(env);
    if (ev.onlyRules) matched = matched.filter((i) => ev.onlyRules!.has(state.rules[i]!.arn));
    if (ev.readOnlyApiCall) matched = matched.filter((i) => state.allManagement.has(i));
    if (matched.length === 0) continue;
    result.matchedEvents++;
    const json = JSON.stringify(ev.envelope);
    for (const i of matched) {
      const r = state.rules[i]!;
      result.triggeredRules++;
      const pr = result.perRule.get(r.arn) ?? { ruleName: r.rule.name, count: 0 };
      pr.count++;
      result.perRule.set(r.arn, pr);
      targetItems(bus, r.arn, r.rule.name, r.targets, ev, env, json, items);
    }
  }
  if (archived.length > 0) {
    await deps.stores.events.archive(bus, archived, {
      sqlite: (tx) => void deps.delivery.enqueueWith(tx, items),
      postgres: async (tx) => void (await deps.delivery.enqueueWith(tx, items)),
    });
    if (deps.stores.dialect === "postgres" && items.length > 0) deps.delivery.wake();
  } else if (items.length > 0) await deps.delivery.enqueue(items);
  result.deliveries = items.length;
  return result;
}

/** One delivery per target of a rule for an event, appended to `items`. */
function targetItems(
  bus: EventsScope,
  arn: string,
  ruleName: string,
  targets: readonly TargetDoc[],
  ev: BusEvent,
  env: Record<string, unknown>,
  json: string,
  items: NewDelivery[],
): void {
  const eventTime = Date.parse(ev.envelope.time);
  for (const t of targets) {
    const payload = renderInput(t, env, json, { ruleArn: arn, ruleName, ingestionTime: ev.ingestedAt });
    if (payload === undefined) continue;
    const target: TargetDelivery = {
      ruleArn: arn,
      ruleName,
      account: bus.account,
      region: bus.region,
      targetId: t.Id,
      arn: t.Arn,
      eventId: ev.envelope.id,
      eventTime,
      ...(t.SqsParameters?.MessageGroupId ? { messageGroupId: t.SqsParameters.MessageGroupId } : {}),
      ...(t.RoleArn ? { roleArn: t.RoleArn } : {}),
      ...(t.HttpParameters ? { http: t.HttpParameters } : {}),
    };
    const dlq = t.DeadLetterConfig?.Arn;
    const deadLetter: DeadLetterTarget | undefined = dlq
      ? { arn: dlq, ruleArn: arn, targetArn: t.Arn, ...(payload !== json ? { event: json } : {}) }
      : undefined;
    items.push({
      account: bus.account,
      region: bus.region,
      kind: TARGET_KIND,
      target,
      payload,
      policy: eventBridgeRetryPolicy(t.RetryPolicy),
      deadLetter: deadLetter ? { kind: DLQ_KIND, target: deadLetter } : undefined,
    });
  }
}

/** Delivers events to one rule's targets without matching (scheduled rules, replays to a rule). */
export async function deliverToRule(
  deps: RouteDeps,
  bus: EventsScope,
  arn: string,
  ruleName: string,
  targets: readonly TargetDoc[],
  events: BusEvent[],
): Promise<number> {
  const items: NewDelivery[] = [];
  for (const ev of events) {
    const json = JSON.stringify(ev.envelope);
    targetItems(bus, arn, ruleName, targets, ev, ev.envelope as unknown as Record<string, unknown>, json, items);
  }
  if (items.length > 0) await deps.delivery.enqueue(items);
  return items.length;
}
