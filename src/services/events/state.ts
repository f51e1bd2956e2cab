/** What EventBridge handlers need beyond the request context: the server's delivery engine (set by the runtime). */
import type { DeliveryEngine } from "../../delivery/engine.js";
import { awsError } from "../../errors/index.js";
import type { Stores } from "../../storage/types.js";
import type { ServiceDeps } from "../internal.js";
import type { RuleDoc } from "./resources.js";

export interface EventsEnv {
  deps: ServiceDeps;
  delivery: DeliveryEngine;
  /** Reschedules a rule's schedule after a change (set by the schedule module). */
  scheduleChanged?: (account: string, region: string, bus: string, rule: string, doc: RuleDoc | undefined) => void;
  /** API-call events being routed (tests wait for them). */
  pendingApiCalls?: Set<Promise<void>>;
}

const envs = new WeakMap<Stores, EventsEnv>();

export function setEventsEnv(stores: Stores, env: EventsEnv): void {
  envs.set(stores, env);
}

export function eventsEnv(stores: Stores): EventsEnv {
  const env = envs.get(stores);
  if (!env) throw awsError("InternalException", "EventBridge is not started.", 500);
  return env;
}

export function maybeEventsEnv(stores: Stores): EventsEnv | undefined {
  return envs.get(stores);
}
