/** The Logs runtime: the internal entry other services write log events through. */
import { internal, type ServiceDeps, type ServiceRuntime } from "../internal.js";
import { ingestLogEvents } from "./ingest.js";

export function startLogs(deps: ServiceDeps): ServiceRuntime {
  const { stores, clock, log } = deps;
  internal(stores).putLogEvents = async (account, region, logGroupName, logStreamName, events) => {
    await ingestLogEvents(
      { stores, now: clock.now(), onListenerError: (err) => log.error({ err }, "logs: ingest listener failed") },
      { account, region, logGroupName, logStreamName, logEvents: events, createStream: true },
    );
  };
  return {};
}
