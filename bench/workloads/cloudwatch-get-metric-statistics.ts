/**
 * GetMetricStatistics over one metric holding 1,000,000 datapoints (VIGIL_BENCH_METRIC_POINTS), written in setup
 * as they would arrive: 1,000 datums per PutMetricData call, in time order over the last two hours. Each call asks
 * SampleCount, Sum, Average, Minimum and Maximum per minute over the last three hours. moto takes seconds per call
 * here, beyond the throughput harness's timeouts, so this workload runs its own loop: one client, calls one after
 * another for the measured duration (at least 3 calls), each allowed 5 minutes. Goal: at least 50x moto's calls/s.
 */
import { performance } from "node:perf_hooks";
import { oneShot } from "../lib/load.js";
import { procSample, startReady } from "../lib/servers.js";
import { mean, percentile, sorted } from "../lib/stats.js";
import type { BenchContext, Column, Row, Workload, WorkloadResult } from "../lib/types.js";
import { cloudwatch, cwCall } from "./cloudwatch-common.js";

const NAME = "cloudwatch-get-metric-statistics";
const POINTS = Number(process.env.VIGIL_BENCH_METRIC_POINTS ?? 1_000_000);
const PER_CALL = 1000;
const SPAN_S = 2 * 3600;
const METRIC = { Namespace: "Bench/Stats", MetricName: "latency", Dimensions: [{ Name: "Service", Value: "api" }] };

const COLUMNS: Column[] = [
  { key: "rps", header: "calls/s", decimals: 2 },
  { key: "p50", header: "p50 ms", decimals: 2 },
  { key: "mean", header: "mean ms", decimals: 2 },
  { key: "calls", header: "calls" },
  { key: "errors", header: "errors" },
  { key: "cpuPerReq", header: "server CPU ms/call", decimals: 2 },
  { key: "setup", header: "setup s (1M datapoints)", decimals: 1 },
  { key: "rss", header: "peak RSS MB" },
];

const request = (host: string) => {
  const now = Date.now() / 1000;
  return cloudwatch(host, "GetMetricStatistics", {
    ...METRIC,
    StartTime: Math.floor(now - 3 * 3600),
    EndTime: Math.floor(now),
    Period: 60,
    Statistics: ["SampleCount", "Sum", "Average", "Minimum", "Maximum"],
  });
};

export const cloudwatchGetMetricStatistics: Workload = {
  name: NAME,
  title: "CloudWatch GetMetricStatistics over 1 million datapoints",
  async run(ctx: BenchContext): Promise<WorkloadResult> {
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
        ctx.log(`${NAME}: ${server.label} writing ${POINTS.toLocaleString("en")} datapoints`);
        const t0 = performance.now();
        const end = Date.now() / 1000 - 60;
        for (let done = 0; done < POINTS; done += PER_CALL) {
          const n = Math.min(PER_CALL, POINTS - done);
          await cwCall(s.target, host, "PutMetricData", {
            Namespace: METRIC.Namespace,
            MetricData: Array.from({ length: n }, (_, i) => ({
              MetricName: METRIC.MetricName,
              Dimensions: METRIC.Dimensions,
              Value: ((done + i) % 997) / 10,
              Unit: "Milliseconds",
              Timestamp: end - SPAN_S + (SPAN_S * (done + i)) / POINTS,
            })),
          });
        }
        const setup = (performance.now() - t0) / 1000;
        ctx.log(`${NAME}: ${server.label} measuring ${ctx.options.duration} s (at least 3 calls), one client`);
        const before = procSample(s.pid);
        const latencies: number[] = [];
        let errors = 0;
        const start = performance.now();
        const deadline = start + ctx.options.duration * 1000;
        while ((performance.now() < deadline || latencies.length + errors < 3) && !ctx.signal.aborted) {
          const c0 = performance.now();
          const r = await oneShot(s.target, request(host), 300_000);
          if (r.status === 200 && r.body.includes("Datapoints")) latencies.push(performance.now() - c0);
          else {
            errors++;
            if (errors === 1) notes.push(`${server.label}: HTTP ${r.status} ${r.body.toString("utf8").slice(0, 200)}`);
          }
        }
        const seconds = (performance.now() - start) / 1000;
        const after = procSample(s.pid);
        const lat = sorted(latencies);
        const cpuMs = before && after ? after.cpuMs - before.cpuMs : NaN;
        row.values = {
          rps: latencies.length / seconds,
          p50: percentile(lat, 50),
          mean: mean(lat),
          calls: latencies.length,
          errors,
          cpuPerReq: cpuMs / Math.max(1, latencies.length + errors),
          setup,
          rss: after?.peakRssMb,
        };
      } finally {
        await s.stop();
      }
    }
    return {
      name: NAME,
      title: this.title,
      description:
        `\`cloudwatch:GetMetricStatistics\` (JSON 1.0, SigV4-signed) over one metric holding ${POINTS.toLocaleString("en")} ` +
        "datapoints spread over the last two hours (written in setup, 1,000 datums per PutMetricData call, in time " +
        "order): SampleCount, Sum, Average, Minimum and Maximum per 60-second period over the last three hours " +
        "(181 periods). One client, calls one after another; calls/s = 1000 / mean latency.",
      columns: COLUMNS,
      rows,
      goal: { key: "rps", better: "higher", ratio: 50 },
      notes,
    };
  },
};
