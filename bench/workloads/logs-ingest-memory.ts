/**
 * Resident memory while ingesting a large volume: PutLogEvents of 1,000 events of 200 bytes per call, 2 million
 * events by default (VIGIL_BENCH_LOG_EVENTS=20000000 for the 20 million), into Vigil with a data directory
 * (in memory, the events themselves would be the resident set). Goal: under 300 MB resident throughout. Vigil only:
 * the question is whether memory stays bounded, not how it compares.
 */
import { runLoad } from "../lib/load.js";
import { procSample, startReady } from "../lib/servers.js";
import type { BenchContext, Row, Workload, WorkloadResult } from "../lib/types.js";
import { call, events, logs } from "./logs-common.js";

const GROUP = "/bench/ingest-memory";
const PER_CALL = 1000;
const LIMIT_MB = 300;

export const logsIngestMemory: Workload = {
  name: "logs-ingest-memory",
  title: "CloudWatch Logs: resident memory while ingesting",
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    const total = Number(process.env.VIGIL_BENCH_LOG_EVENTS ?? 2_000_000);
    const calls = Math.ceil(total / PER_CALL);
    const rows: Row[] = [];
    const notes: string[] = [];
    for (const server of ctx.servers.filter((s) => s.id === "vigil-disk")) {
      if (ctx.signal.aborted) break;
      const row: Row = { server: server.id, label: server.label, values: {} };
      rows.push(row);
      if (server.unavailable) {
        row.skipped = server.unavailable;
        continue;
      }
      const s = await startReady(server, ctx.signal);
      try {
        const host = `${s.target.host}:${s.target.port}`;
        const streams = Math.max(1, ctx.options.connections);
        await call(s.target, host, "CreateLogGroup", { logGroupName: GROUP });
        for (let i = 0; i < streams; i++)
          await call(s.target, host, "CreateLogStream", { logGroupName: GROUP, logStreamName: `s-${i}` });
        const bodies = Array.from({ length: streams }, (_, i) =>
          logs(host, "PutLogEvents", {
            logGroupName: GROUP,
            logStreamName: `s-${i}`,
            logEvents: events(PER_CALL, 200, Date.now()),
          }),
        );
        let sent = 0;
        let maxRss = 0;
        const sampler = setInterval(() => {
          const p = procSample(s.pid);
          if (p) maxRss = Math.max(maxRss, p.rssMb);
        }, 250);
        const t0 = performance.now();
        const before = procSample(s.pid);
        ctx.log(`logs-ingest-memory: ${server.label} ingesting ${total.toLocaleString("en-US")} events`);
        // Each client writes its own stream; once `calls` requests are handed out, the clients stop.
        const enough = new AbortController();
        const stop = () => enough.abort();
        ctx.signal.addEventListener("abort", stop);
        const r = await runLoad({
          target: s.target,
          connections: streams,
          durationMs: 24 * 3600 * 1000,
          timeoutMs: 60_000,
          next: (client) => {
            if (++sent >= calls) enough.abort();
            return bodies[client]!;
          },
          signal: enough.signal,
        });
        ctx.signal.removeEventListener("abort", stop);
        clearInterval(sampler);
        const seconds = (performance.now() - t0) / 1000;
        const after = procSample(s.pid);
        const stored = r.ok * PER_CALL;
        row.values = {
          events: stored,
          seconds,
          eventsPerSec: stored / seconds,
          rss: after?.rssMb,
          maxRss: Math.max(maxRss, after?.rssMb ?? 0),
          peakRss: after?.peakRssMb,
          startRss: before?.rssMb,
        };
        const failed = r.errors + r.timeouts + Object.values(r.statuses).reduce((a, b) => a + b, 0);
        if (failed > 0) notes.push(`${server.label}: ${failed} failed calls, e.g. ${r.samples.join(" | ")}`);
      } finally {
        await s.stop();
      }
    }
    return {
      name: "logs-ingest-memory",
      title: this.title,
      description:
        `PutLogEvents with 1,000 events of 200 bytes per call, ${total.toLocaleString("en-US")} events in all, ` +
        `${ctx.options.connections} concurrent clients each writing its own stream, into Vigil with a data directory. ` +
        `Resident set size (VmRSS) sampled every 250 ms; peak is the kernel's high-water mark (VmHWM). ` +
        `Goal: under ${LIMIT_MB} MB. Set VIGIL_BENCH_LOG_EVENTS=20000000 for 20 million events.`,
      columns: [
        { key: "events", header: "events" },
        { key: "seconds", header: "seconds", decimals: 1 },
        { key: "eventsPerSec", header: "events/s" },
        { key: "startRss", header: "RSS before MB" },
        { key: "rss", header: "RSS after MB" },
        { key: "maxRss", header: "max sampled RSS MB" },
        { key: "peakRss", header: "peak RSS MB" },
      ],
      rows,
      notes,
    };
  },
};
