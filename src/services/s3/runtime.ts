/** The S3 runtime: its jobs, delivery senders and internal entries (none yet). */
import type { ServiceDeps, ServiceRuntime } from "../internal.js";

export function startS3(_deps: ServiceDeps): ServiceRuntime {
  return {};
}
