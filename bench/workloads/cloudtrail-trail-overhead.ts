/**
 * What a logging trail costs a cheap call: sts:GetCallerIdentity under the same closed-loop load on one Vigil server,
 * first with no trail, then after creating a bucket, a trail and StartLogging, with log files delivered every second
 * (--trail-delivery-interval 1, so delivery runs all through the measurement). Every call is audited in both runs;
 * the second adds trail delivery (reading, selecting, gzipping and writing the records to S3). Goal (issue 6): the
 * logging trail costs at most 10% of the req/s.
 */
import { jsonRequest, queryRequest, sign, type HttpRequestSpec } from "../lib/aws.js";
import { oneShot, runLoad, type Target } from "../lib/load.js";
import { startReady } from "../lib/servers.js";
import { percentile, sorted } from "../lib/stats.js";
import type { BenchContext, Row, Workload, WorkloadResult } from "../lib/types.js";

const BUCKET = "vigil-bench-trail";
const TRAIL = "bench-trail";

async function must(target: Target, spec: HttpRequestSpec, what: string): Promise<void> {
  const r = await oneShot(target, spec);
  if (r.status < 200 || r.status >= 300)
    throw new Error(`${what}: HTTP ${r.status} ${r.body.toString().slice(0, 200)}`);
}

async function startTrail(target: Target, host: string): Promise<void> {
  const s3 = (method: string, path: string, body = "") =>
    sign({ host, service: "s3", method, path, headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }, body });
  await must(target, s3("PUT", `/${BUCKET}`), "CreateBucket");
  const policy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${BUCKET}/*`,
      },
    ],
  });
  await must(target, s3("PUT", `/${BUCKET}?policy`, policy), "PutBucketPolicy");
  const ct = (op: string, input: unknown) =>
    jsonRequest(host, "cloudtrail", `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.${op}`, "1.1", input);
  await must(target, ct("CreateTrail", { Name: TRAIL, S3BucketName: BUCKET }), "CreateTrail");
  await must(target, ct("StartLogging", { Name: TRAIL }), "StartLogging");
}

export const cloudtrailTrailOverhead: Workload = {
  name: "cloudtrail-trail-overhead",
  title: "Cost of a logging trail on a cheap call",
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    const { duration, warmup, connections } = ctx.options;
    const rows: Row[] = [];
    const notes: string[] = [];
    for (const server of ctx.servers.filter((s) => s.product === "vigil" && !s.startupOnly && !s.unavailable)) {
      if (ctx.signal.aborted) break;
      const spec = {
        ...server,
        launch: (port: number) => {
          const l = server.launch(port);
          return { ...l, args: [...l.args, "--trail-delivery-interval", "1"] };
        },
      };
      const s = await startReady(spec, ctx.signal);
      try {
        const host = `${s.target.host}:${s.target.port}`;
        const call = queryRequest(host, "sts", { Action: "GetCallerIdentity", Version: "2011-06-15" });
        const measure = async (label: string) => {
          await runLoad({
            target: s.target,
            connections,
            durationMs: warmup * 1000,
            next: () => call,
            signal: ctx.signal,
          });
          ctx.log(`${this.name}: ${server.label} ${label}: measuring ${duration} s`);
          const r = await runLoad({
            target: s.target,
            connections,
            durationMs: duration * 1000,
            next: () => call,
            signal: ctx.signal,
          });
          const lat = sorted(r.latenciesMs);
          const row: Row = {
            server: server.id,
            label: `${server.label}, ${label}`,
            values: {
              rps: r.ok / r.seconds,
              p50: percentile(lat, 50),
              p99: percentile(lat, 99),
              errors: r.errors + r.timeouts,
            },
          };
          rows.push(row);
          return r.ok / r.seconds;
        };
        const without = await measure("no trail");
        await startTrail(s.target, host);
        const withTrail = await measure("logging trail");
        notes.push(
          `${server.label}: with a logging trail ${(withTrail / without).toFixed(3)}x the req/s without ` +
            `(${((1 - withTrail / without) * 100).toFixed(1)}% cost; goal: at most 10%).`,
        );
      } finally {
        await s.stop();
      }
    }
    return {
      name: this.name,
      title: this.title,
      description:
        "`sts:GetCallerIdentity` (Query, SigV4) from concurrent closed-loop keep-alive clients on one Vigil server: " +
        "first with no trail, then with a trail logging to S3 with log files delivered every second.",
      columns: [
        { key: "rps", header: "req/s" },
        { key: "p50", header: "p50 ms", decimals: 2 },
        { key: "p99", header: "p99 ms", decimals: 2 },
        { key: "errors", header: "errors" },
      ],
      rows,
      notes,
    };
  },
};
