/** Starts every service's runtime (jobs, senders, internal entries) once the server's engines exist. */
import type { ServiceDeps, ServiceRuntime } from "./internal.js";
import { startCloudTrail } from "./cloudtrail/runtime.js";
import { startCloudWatch } from "./cloudwatch/runtime.js";
import { startEvents } from "./events/runtime.js";
import { startLogs } from "./logs/runtime.js";
import { startS3 } from "./s3/runtime.js";
import { startSns } from "./sns/runtime.js";
import { startSqs } from "./sqs/runtime.js";

export function startServices(deps: ServiceDeps): ServiceRuntime[] {
  return [startSqs, startLogs, startSns, startCloudWatch, startEvents, startS3, startCloudTrail].map((start) =>
    start(deps),
  );
}
