/** The Events runtime: its jobs, delivery senders and internal entries (none yet). */
import type { ServiceDeps, ServiceRuntime } from "../internal.js";

export function startEvents(_deps: ServiceDeps): ServiceRuntime {
  return {};
}
