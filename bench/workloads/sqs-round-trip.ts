/**
 * SQS message round trips: each closed-loop client sends a message (SendMessage), receives one (ReceiveMessage, no
 * wait) and deletes it with its receipt handle (DeleteMessage), all on one standard queue, JSON 1.0 as current SDKs
 * send it, SigV4-signed. A round trip is three calls, the second depending on the first's answer, so this workload runs
 * its own client loop rather than a fixed request. Goal: at least 20x moto's round trips (messages) per second.
 */
import { performance } from "node:perf_hooks";
import { Pool } from "undici";
import { jsonRequest, type HttpRequestSpec } from "../lib/aws.js";
import { oneShot, type Target } from "../lib/load.js";
import { procSample, startReady } from "../lib/servers.js";
import { mean, percentile, sorted } from "../lib/stats.js";
import type { BenchContext, Column, Row, Workload, WorkloadResult } from "../lib/types.js";

const NAME = "sqs-round-trip";
const QUEUE = "bench-round-trip";

const sqs = (host: string, operation: string, input: unknown): HttpRequestSpec =>
  jsonRequest(host, "sqs", `AmazonSQS.${operation}`, "1.0", input);

const COLUMNS: Column[] = [
  { key: "trips", header: "round trips/s" },
  { key: "rps", header: "req/s" },
  { key: "p50", header: "p50 ms", decimals: 2 },
  { key: "p99", header: "p99 ms", decimals: 2 },
  { key: "errors", header: "errors" },
  { key: "cpu", header: "server CPU %" },
  { key: "cpuPerTrip", header: "server CPU µs/trip" },
  { key: "rss", header: "peak RSS MB" },
  { key: "clientCpu", header: "load gen CPU %" },
];

interface Loop {
  trips: number;
  requests: number;
  latencies: number[];
  errors: number;
  emptyReceives: number;
  samples: Set<string>;
  seconds: number;
}

async function call(pool: Pool, spec: HttpRequestSpec): Promise<{ status: number; body: string }> {
  const r = await pool.request({ method: "POST", path: spec.path, headers: spec.headers, body: spec.body });
  return { status: r.statusCode, body: await r.body.text() };
}

/** `connections` clients doing round trips until the deadline (or the signal). */
async function roundTrips(
  target: Target,
  queueUrl: string,
  connections: number,
  durationMs: number,
  signal: AbortSignal,
): Promise<Loop> {
  const host = `${target.host}:${target.port}`;
  const pool = new Pool(`http://${host}`, { connections, pipelining: 1, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const out: Loop = {
    trips: 0,
    requests: 0,
    latencies: [],
    errors: 0,
    emptyReceives: 0,
    samples: new Set(),
    seconds: 0,
  };
  const start = performance.now();
  const deadline = start + durationMs;
  const stopped = () => signal.aborted || performance.now() >= deadline;
  const fail = (what: string) => {
    out.errors++;
    if (out.samples.size < 5) out.samples.add(what.slice(0, 300));
  };
  const client = async (id: number) => {
    for (let seq = 0; !stopped(); seq++) {
      const t0 = performance.now();
      try {
        const sent = await call(
          pool,
          sqs(host, "SendMessage", { QueueUrl: queueUrl, MessageBody: `message ${id}-${seq}` }),
        );
        out.requests++;
        if (sent.status !== 200) {
          fail(`SendMessage: HTTP ${sent.status} ${sent.body}`);
          continue;
        }
        let handle: string | undefined;
        for (let attempt = 0; attempt < 5 && handle === undefined && !stopped(); attempt++) {
          const got = await call(pool, sqs(host, "ReceiveMessage", { QueueUrl: queueUrl, MaxNumberOfMessages: 1 }));
          out.requests++;
          if (got.status !== 200) {
            fail(`ReceiveMessage: HTTP ${got.status} ${got.body}`);
            break;
          }
          handle = (JSON.parse(got.body) as { Messages?: { ReceiptHandle: string }[] }).Messages?.[0]?.ReceiptHandle;
          if (handle === undefined) out.emptyReceives++;
        }
        if (handle === undefined) continue;
        const deleted = await call(pool, sqs(host, "DeleteMessage", { QueueUrl: queueUrl, ReceiptHandle: handle }));
        out.requests++;
        const t1 = performance.now();
        if (deleted.status !== 200) fail(`DeleteMessage: HTTP ${deleted.status} ${deleted.body}`);
        else if (t1 <= deadline) {
          out.trips++;
          out.latencies.push(t1 - t0);
        }
      } catch (err) {
        fail((err as Error).message);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, (_, i) => client(i)));
  } finally {
    await pool.destroy();
  }
  out.seconds = (Math.min(performance.now(), deadline) - start) / 1000;
  return out;
}

export const sqsRoundTrip: Workload = {
  name: NAME,
  title: "SQS message round trips: SendMessage + ReceiveMessage + DeleteMessage",
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    const { duration, warmup, connections } = ctx.options;
    const rows: Row[] = [];
    const notes: string[] = [];
    for (const server of ctx.servers.filter((s) => !s.startupOnly)) {
      if (ctx.signal.aborted) break;
      const row: Row = { server: server.id, label: server.label, values: {} };
      rows.push(row);
      if (server.unavailable) {
        row.skipped = server.unavailable;
        continue;
      }
      ctx.log(`${NAME}: starting ${server.label}`);
      const s = await startReady(server, ctx.signal);
      try {
        const host = `${s.target.host}:${s.target.port}`;
        const created = await oneShot(s.target, sqs(host, "CreateQueue", { QueueName: QUEUE }), 30_000);
        if (created.status !== 200) {
          row.skipped = `not supported: HTTP ${created.status} (${created.body.toString("utf8").slice(0, 160)})`;
          continue;
        }
        const queueUrl = (JSON.parse(created.body.toString("utf8")) as { QueueUrl: string }).QueueUrl;
        if (warmup > 0) {
          ctx.log(`${NAME}: ${server.label} warm-up ${warmup} s`);
          await roundTrips(s.target, queueUrl, connections, warmup * 1000, ctx.signal);
        }
        ctx.log(`${NAME}: ${server.label} measuring ${duration} s at ${connections} connections`);
        const before = procSample(s.pid);
        const client0 = process.cpuUsage();
        const r = await roundTrips(s.target, queueUrl, connections, duration * 1000, ctx.signal);
        const clientCpu = process.cpuUsage(client0);
        const after = procSample(s.pid);
        const lat = sorted(r.latencies);
        const cpuMs = before && after ? after.cpuMs - before.cpuMs : NaN;
        row.values = {
          trips: r.trips / r.seconds,
          rps: r.requests / r.seconds,
          p50: percentile(lat, 50),
          p99: percentile(lat, 99),
          mean: mean(lat),
          errors: r.errors,
          cpu: (cpuMs / (r.seconds * 1000)) * 100,
          cpuPerTrip: (cpuMs * 1000) / Math.max(1, r.trips),
          rss: after?.peakRssMb,
          clientCpu: ((clientCpu.user + clientCpu.system) / 1000 / (r.seconds * 1000)) * 100,
        };
        if (r.errors > 0) notes.push(`${server.label}: ${r.errors} errors, e.g. ${[...r.samples].join(" | ")}`);
        if (r.emptyReceives > 0)
          notes.push(
            `${server.label}: ${r.emptyReceives} receives found no message (another client had taken it) and were repeated.`,
          );
      } finally {
        await s.stop();
      }
    }
    return {
      name: NAME,
      title: this.title,
      description:
        "Each closed-loop client on a keep-alive connection sends a message (`sqs:SendMessage`), receives one " +
        "(`sqs:ReceiveMessage`, MaxNumberOfMessages 1, no wait) and deletes it with its receipt handle " +
        "(`sqs:DeleteMessage`), all on one standard queue, JSON 1.0 as current SDKs send it, SigV4-signed. " +
        "round trips/s counts completed send-receive-delete cycles (messages through the queue per second); req/s " +
        "counts every call. Vigil answers each call after its writes (and its CloudTrail record) committed.",
      columns: COLUMNS,
      rows,
      goal: { key: "trips", better: "higher", ratio: 20 },
      notes,
    };
  },
};
