/**
 * "AWS API Call via CloudTrail" events: every management call recorded by the audit recorder goes to the default
 * bus of the caller's account and region (source aws.<service>, detail the CloudTrail record), as "Events from AWS
 * services" describes. Read-only calls reach only rules in the state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS;
 * data events (PutEvents, PutLogEvents, SendMessage, ...) are not delivered. Cheap when nothing listens: a bus
 * whose rules all name other sources is skipped before any event is built.
 */
import type { AuditRow } from "../../storage/types.js";
import { busState } from "./bus-cache.js";
import { envelope, routeEvents, type BusEvent } from "./dispatch.js";
import { recordRouteMetrics } from "./metrics.js";
import { DEFAULT_BUS } from "./resources.js";
import type { EventsEnv } from "./state.js";

export const API_CALL_DETAIL_TYPE = "AWS API Call via CloudTrail";

/** aws.logs for logs.amazonaws.com. */
export const sourceOf = (eventSource: string) => `aws.${eventSource.split(".")[0]}`;

export function startApiCallEvents(env: EventsEnv): () => void {
  const { recorder, log } = env.deps;
  let stopped = false;
  const pending = new Set<Promise<void>>();
  env.pendingApiCalls = pending;
  recorder.onCommit((rows) => {
    if (stopped) return;
    const management = rows.filter((r) => r.eventCategory === "Management");
    if (management.length === 0) return;
    const p = route(env, management).catch((err: unknown) => log.error({ err }, "events: API-call events failed"));
    pending.add(p);
    void p.finally(() => pending.delete(p));
  });
  return () => {
    stopped = true;
  };
}

async function route(env: EventsEnv, rows: AuditRow[]): Promise<void> {
  const { stores, clock } = env.deps;
  const byScope = new Map<string, AuditRow[]>();
  for (const r of rows) {
    const k = `${r.account}\n${r.region}`;
    const list = byScope.get(k);
    if (list) list.push(r);
    else byScope.set(k, [r]);
  }
  for (const list of byScope.values()) {
    const bus = { account: list[0]!.account, region: list[0]!.region, name: DEFAULT_BUS };
    const state = await busState(stores, bus, DEFAULT_BUS);
    if (state.rules.length === 0) continue;
    const now = clock.now();
    const events: BusEvent[] = [];
    for (const r of list) {
      const source = sourceOf(r.eventSource);
      if (state.sources && !state.sources.has(source)) continue;
      if (r.readOnly && state.allManagement.size === 0) continue;
      events.push({
        envelope: envelope(bus, {
          source,
          detailType: API_CALL_DETAIL_TYPE,
          detail: JSON.parse(r.record) as unknown,
          time: r.eventTime,
        }),
        ingestedAt: now,
        readOnlyApiCall: r.readOnly,
      });
    }
    if (events.length === 0) continue;
    const routed = await routeEvents({ stores, delivery: env.delivery }, bus, events);
    recordRouteMetrics(stores, bus, routed, events.length);
  }
}
