/** The CloudTrail runtime: its jobs, delivery senders and internal entries (none yet). */
import type { ServiceDeps, ServiceRuntime } from "../internal.js";

export function startCloudTrail(_deps: ServiceDeps): ServiceRuntime {
  return {};
}
