/**
 * FilterLogEvents over a group of 100,000 events (10 streams of 10,000, 200 bytes each) with a term pattern that
 * matches 1% of them. Every call scans the whole group and returns its 1,000 matches. Goal: at least 20x moto's
 * events scanned per second.
 */
import { throughputWorkload } from "../lib/throughput.js";
import { call, events, logs, perEvent } from "./logs-common.js";

const GROUP = "/bench/filter-log-events";
const STREAMS = 10;
const PER_STREAM = 10_000;
const TOTAL = STREAMS * PER_STREAM;
const BATCH = 1000;

export const logsFilterLogEvents = perEvent(
  throughputWorkload({
    name: "logs-filter-log-events",
    title: "CloudWatch Logs FilterLogEvents scan rate",
    description:
      "`logs:FilterLogEvents` with `filterPattern` `NEEDLE` over a group of 100,000 events of 200 bytes (10 streams, " +
      "written beforehand in batches of 1,000); 1% of the events contain the term, so each call scans all 100,000 " +
      "and returns 1,000 (interleaved by timestamp). events scanned/s = req/s × 100,000.",
    async setup(server, host) {
      await call(server.target, host, "CreateLogGroup", { logGroupName: GROUP });
      const end = Date.now() - 60_000;
      for (let s = 0; s < STREAMS; s++) {
        const stream = `stream-${s}`;
        await call(server.target, host, "CreateLogStream", { logGroupName: GROUP, logStreamName: stream });
        const all = events(PER_STREAM, 200, end - s, (i) => (i % 100 === 7 ? "NEEDLE" : "INFO"));
        for (let i = 0; i < PER_STREAM; i += BATCH) {
          await call(server.target, host, "PutLogEvents", {
            logGroupName: GROUP,
            logStreamName: stream,
            logEvents: all.slice(i, i + BATCH),
          });
        }
      }
    },
    request: (host) => logs(host, "FilterLogEvents", { logGroupName: GROUP, filterPattern: "NEEDLE" }),
    goal: { key: "rps", better: "higher", ratio: 20 },
  }),
  "scannedPerSec",
  "events scanned/s",
  TOTAL,
);
