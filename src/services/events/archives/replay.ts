/**
 * Running a replay: the archive's events in [EventStartTime, EventEndTime) are put on the bus again, in the order
 * they were archived, each with "replay-name" set (as recorded on AWS) and a new id, reaching the rules FilterArns
 * names (all rules when absent); replayed events are not archived again. Pages of events are routed one after the
 * other; CancelReplay stops it between pages. Runs in the background on this node.
 */
import type { EventsScope } from "../../../storage/events-store.js";
import { routeEvents, type BusEvent, type Envelope } from "../dispatch.js";
import type { EventsEnv } from "../state.js";
import type { ReplayDoc } from "./resources.js";

const PAGE = 100;

export async function runReplay(env: EventsEnv, scope: EventsScope, name: string): Promise<void> {
  const { stores, clock } = env.deps;
  const load = () => stores.events.get<ReplayDoc>(scope, "replay", "", name);
  let r = await load();
  if (!r || r.state !== "STARTING") return;
  r.state = "RUNNING";
  await stores.events.put(scope, "replay", "", name, r);
  const only = r.filterArns?.length ? new Set(r.filterArns) : undefined;
  let after = 0;
  for (;;) {
    const page = await stores.events.archived(scope, r.archive, r.eventStart, r.eventEnd, after, PAGE);
    if (page.length === 0) break;
    const now = clock.now();
    const events: BusEvent[] = page.map((row) => {
      const e = JSON.parse(row.event) as Envelope;
      return {
        envelope: { ...e, id: crypto.randomUUID(), "replay-name": name },
        ingestedAt: now,
        ...(only ? { onlyRules: only } : {}),
      };
    });
    await routeEvents({ stores, delivery: env.delivery }, { ...scope, name: r.bus }, events);
    after = page[page.length - 1]!.id;
    const current = await load();
    if (!current || current.state === "CANCELLING") {
      if (current)
        await stores.events.put(scope, "replay", "", name, { ...current, state: "CANCELLED", replayEnd: clock.now() });
      return;
    }
    r = { ...current, lastReplayed: page[page.length - 1]!.time };
    await stores.events.put(scope, "replay", "", name, r);
  }
  const done = await load();
  if (!done) return;
  await stores.events.put(scope, "replay", "", name, {
    ...done,
    state: done.state === "CANCELLING" ? "CANCELLED" : "COMPLETED",
    replayEnd: clock.now(),
  });
}
