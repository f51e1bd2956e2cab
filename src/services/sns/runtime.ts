/** The Sns runtime: its jobs, delivery senders and internal entries (none yet). */
import type { ServiceDeps, ServiceRuntime } from "../internal.js";

export function startSns(_deps: ServiceDeps): ServiceRuntime {
  return {};
}
