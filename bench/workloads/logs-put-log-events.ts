/**
 * PutLogEvents with 1,000 events of 200 bytes per call into one stream, acknowledged only after commit. Goal: at
 * least 5x moto's events per second.
 */
import { throughputWorkload } from "../lib/throughput.js";
import { createStream, events, logs, perEvent } from "./logs-common.js";

const GROUP = "/bench/put-log-events";
const STREAM = "load";
const PER_CALL = 1000;

export const logsPutLogEvents = perEvent(
  throughputWorkload({
    name: "logs-put-log-events",
    title: "CloudWatch Logs PutLogEvents throughput",
    description:
      "`logs:PutLogEvents` (JSON 1.1, SigV4-signed) with 1,000 events of 200 bytes each per call (226 KB bodies), " +
      "all into one stream, from concurrent closed-loop clients on keep-alive connections. Every call is answered " +
      "after its events committed. events/s = req/s × 1,000.",
    setup: (server, host) => createStream(server, host, GROUP, STREAM),
    // One body for every call: the same 1,000 timestamps (the last second before the run), which PutLogEvents
    // accepts over and over, so the load generator spends nothing on building bodies.
    request: (host) =>
      logs(host, "PutLogEvents", {
        logGroupName: GROUP,
        logStreamName: STREAM,
        logEvents: events(PER_CALL, 200, Date.now()),
      }),
    goal: { key: "rps", better: "higher", ratio: 5 },
  }),
  "eventsPerSec",
  "events/s",
  PER_CALL,
);
