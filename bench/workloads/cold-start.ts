/**
 * Cold start: from spawning the server process to the end of the first 200 answer to sts:GetCallerIdentity, polled
 * every 5 ms on a fresh connection each time. Each server is started once unmeasured first (so the OS file cache is
 * warm for every server alike, as on a developer's machine or a CI runner after its first test), then `reps` times
 * measured, the servers taking turns; each start waits for the previous process to have exited.
 */
import { launch, waitReady, type ServerSpec } from "../lib/servers.js";
import { median, min } from "../lib/stats.js";
import type { BenchContext, Row, Workload, WorkloadResult } from "../lib/types.js";

async function timeStart(spec: ServerSpec, ctx: BenchContext): Promise<number> {
  const s = await launch(spec);
  try {
    return await waitReady(s, { intervalMs: 5, timeoutMs: 60_000, signal: ctx.signal });
  } finally {
    await s.stop();
  }
}

export const coldStart: Workload = {
  name: "cold-start",
  title: "Cold start",
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    const reps = ctx.options.reps;
    const rows: Row[] = ctx.servers.map((spec) => ({
      server: spec.id,
      label: spec.label,
      values: {},
      skipped: spec.unavailable,
    }));
    const runnable = ctx.servers.filter((spec) => !spec.unavailable);
    const times = new Map<string, number[]>(runnable.map((s) => [s.id, []]));
    // Round-robin (a, b, c, a, b, c, ...) so that anything else loading the machine meanwhile hits every server alike.
    // Round 0 is the unmeasured one.
    for (let round = 0; round <= reps && !ctx.signal.aborted; round++) {
      for (const spec of runnable) {
        if (ctx.signal.aborted) break;
        const ms = await timeStart(spec, ctx);
        if (round > 0) times.get(spec.id)!.push(ms);
      }
      ctx.log(`cold-start: round ${round}${round === 0 ? " (unmeasured)" : ""} done`);
    }
    for (const row of rows) {
      const t = times.get(row.server);
      if (!t?.length) continue;
      row.values = { median: median(t), min: min(t), max: Math.max(...t), runs: t.length };
      ctx.log(`cold-start: ${row.label} ${t.map((x) => x.toFixed(0)).join(", ")} ms`);
    }
    return {
      name: "cold-start",
      title: "Cold start",
      description:
        `Spawn the server process, then poll \`sts:GetCallerIdentity\` (a SigV4-signed Query POST) every 5 ms, each ` +
        `attempt on a new connection, until one is answered 200. Times in ms from \`spawn()\` to the end of that first ` +
        `answer; ${reps} measured starts per server after one unmeasured round, the servers taking turns.`,
      columns: [
        { key: "median", header: "median ms" },
        { key: "min", header: "min ms" },
        { key: "max", header: "max ms" },
      ],
      rows,
      goal: { key: "median", better: "lower", ratio: 0.5 },
      notes: [],
    };
  },
};
