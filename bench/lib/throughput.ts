/**
 * The shape shared by every "how many calls per second" workload: start each server fresh, optionally set it up,
 * check it answers the call at all, warm up, then measure under closed-loop keep-alive load with the same generator
 * and the same concurrency for every server, one server at a time (they never compete for the two cores).
 */
import type { HttpRequestSpec } from "./aws.js";
import { oneShot, runLoad } from "./load.js";
import { procSample, startReady, type RunningServer } from "./servers.js";
import { mean, percentile, sorted } from "./stats.js";
import type { BenchContext, Column, Goal, Row, Workload, WorkloadResult } from "./types.js";

export interface ThroughputSpec {
  name: string;
  title: string;
  description: string;
  /** The request to send to a server reachable at `host` (`127.0.0.1:port`); signed. */
  request(host: string): HttpRequestSpec;
  /**
   * Per-request variant for workloads whose requests must differ (timestamps, message bodies). Called for every
   * request on the load generator's thread: keep it cheap, and the same for every server.
   */
  next?(host: string, client: number, seq: number): HttpRequestSpec;
  /** Runs once on each freshly started server before the probe (create the log group, the queue, ...). */
  setup?(server: RunningServer, host: string): Promise<void>;
  /** Default: Vigil/moto requests per second at least 5x. */
  goal?: Goal;
  notes?: string[];
}

export const THROUGHPUT_COLUMNS: Column[] = [
  { key: "rps", header: "req/s" },
  { key: "p50", header: "p50 ms", decimals: 2 },
  { key: "p99", header: "p99 ms", decimals: 2 },
  { key: "errors", header: "errors" },
  { key: "cpu", header: "server CPU %" },
  { key: "cpuPerReq", header: "server CPU µs/req" },
  { key: "rss", header: "peak RSS MB" },
  { key: "clientCpu", header: "load gen CPU %" },
];

/** A short description of an error answer: an HTML page's title, else the text without markup. */
function describeBody(text: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  return (title ?? text.replace(/<[^>]*>/g, " ")).replace(/\s+/g, " ").trim().slice(0, 160);
}

export function throughputWorkload(spec: ThroughputSpec): Workload {
  return {
    name: spec.name,
    title: spec.title,
    async run(ctx: BenchContext): Promise<WorkloadResult> {
      const { duration, warmup, connections } = ctx.options;
      const rows: Row[] = [];
      const notes = [...(spec.notes ?? [])];
      for (const server of ctx.servers.filter((s) => !s.startupOnly)) {
        if (ctx.signal.aborted) break;
        const row: Row = { server: server.id, label: server.label, values: {} };
        rows.push(row);
        if (server.unavailable) {
          row.skipped = server.unavailable;
          continue;
        }
        ctx.log(`${spec.name}: starting ${server.label}`);
        const s = await startReady(server, ctx.signal);
        try {
          const host = `${s.target.host}:${s.target.port}`;
          if (spec.setup) await spec.setup(s, host);
          const probe = await oneShot(s.target, spec.request(host));
          if (probe.status < 200 || probe.status >= 300) {
            const body = describeBody(probe.body.toString("utf8"));
            row.skipped = `not supported: HTTP ${probe.status}${body ? ` (${body})` : ""}`;
            ctx.log(`${spec.name}: ${server.label} ${row.skipped}`);
            continue;
          }
          const next = spec.next
            ? (c: number, q: number) => spec.next!(host, c, q)
            : (() => {
                const fixed = spec.request(host);
                return () => fixed;
              })();
          if (warmup > 0) {
            ctx.log(`${spec.name}: ${server.label} warm-up ${warmup} s`);
            await runLoad({ target: s.target, connections, durationMs: warmup * 1000, next, signal: ctx.signal });
          }
          ctx.log(`${spec.name}: ${server.label} measuring ${duration} s at ${connections} connections`);
          const before = procSample(s.pid);
          const client0 = process.cpuUsage();
          const r = await runLoad({
            target: s.target,
            connections,
            durationMs: duration * 1000,
            next,
            signal: ctx.signal,
          });
          const clientCpu = process.cpuUsage(client0);
          const after = procSample(s.pid);
          const lat = sorted(r.latenciesMs);
          const failed = r.errors + r.timeouts + Object.values(r.statuses).reduce((a, b) => a + b, 0);
          const cpuMs = before && after ? after.cpuMs - before.cpuMs : NaN;
          row.values = {
            rps: r.ok / r.seconds,
            p50: percentile(lat, 50),
            p99: percentile(lat, 99),
            mean: mean(lat),
            errors: failed,
            cpu: (cpuMs / (r.seconds * 1000)) * 100,
            cpuPerReq: (cpuMs * 1000) / Math.max(1, r.ok + failed),
            rss: after?.peakRssMb,
            clientCpu: ((clientCpu.user + clientCpu.system) / 1000 / (r.seconds * 1000)) * 100,
            requests: r.ok,
            connectionsOpened: r.connectionsOpened,
          };
          if (failed > 0) {
            notes.push(
              `${server.label}: ${r.errors} connection errors, ${r.timeouts} timeouts, non-2xx ${JSON.stringify(r.statuses)}; ` +
                `e.g. ${r.samples.join(" | ")}`,
            );
          }
          if (r.connectionsOpened > connections * 2) {
            notes.push(
              `${server.label} closed the connection after responses: the clients opened ${r.connectionsOpened.toLocaleString("en-US")} ` +
                `connections for ${(r.ok + failed).toLocaleString("en-US")} requests (no keep-alive).`,
            );
          }
        } finally {
          await s.stop();
        }
      }
      return {
        name: spec.name,
        title: spec.title,
        description: spec.description,
        columns: THROUGHPUT_COLUMNS,
        rows,
        goal: spec.goal ?? { key: "rps", better: "higher", ratio: 5 },
        notes,
      };
    },
  };
}
