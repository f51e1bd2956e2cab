/**
 * Vigil vs moto_server, side by side: `npm run bench [-- options]` (builds dist/ first, then runs this file).
 * See bench/README.md for what each workload measures and how to add one.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { describeMachine, machineLine } from "./lib/machine.js";
import { hotSpots, renderHotSpots } from "./lib/profile.js";
import { compare, renderSection, renderTable, writeDoc } from "./lib/report.js";
import { catalogue, killAllNow, launches, ROOT, setLaunchTag, stopAll, VIGIL_MAIN } from "./lib/servers.js";
import type { BenchContext, WorkloadResult } from "./lib/types.js";
import { WORKLOADS } from "./workloads/index.js";

const HELP = `usage: npm run bench -- [options]

  --only <names>         workloads to run, comma-separated or repeated (default: all)
                         ${WORKLOADS.map((w) => w.name).join(", ")}
  --servers <ids>        servers to compare, comma-separated (default: all available)
                         vigil-memory, vigil-disk, vigil-disk-new (cold start only), moto, moto-shim (cold start only)
  --duration <s>         measured seconds per throughput run (default 10)
  --warmup <s>           unmeasured seconds of load before each (default 2)
  --connections <n>      concurrent keep-alive client connections (default 32)
  --reps <n>             measured cold starts per server (default 5)
  --write                rewrite the tables of the workloads that ran in docs/benchmarks.md
  --json <file>          also write the raw results as JSON
  --moto <path>          moto_server to use (default: the one on PATH)
  --vigil-main <file>    run this entry point instead of dist/main.js (compare a build variant)
  --profile              run Vigil under node --cpu-prof (profiles in .bench/profiles/) and print its hot spots
  -h, --help
`;

const { values } = parseArgs({
  options: {
    only: { type: "string", multiple: true },
    servers: { type: "string" },
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    connections: { type: "string", default: "32" },
    reps: { type: "string", default: "5" },
    write: { type: "boolean", default: false },
    json: { type: "string" },
    moto: { type: "string" },
    "vigil-main": { type: "string" },
    profile: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
  allowPositionals: false,
});

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const num = (name: string, v: string, minimum: number) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < minimum) {
    process.stderr.write(`bench: --${name} must be a number >= ${minimum}, got ${v}\n`);
    process.exit(2);
  }
  return n;
};
const options = {
  duration: num("duration", values.duration, 0.1),
  warmup: num("warmup", values.warmup, 0),
  connections: Math.round(num("connections", values.connections, 1)),
  reps: Math.round(num("reps", values.reps, 1)),
};

const only = (values.only ?? []).flatMap((v) => v.split(",")).filter(Boolean);
const unknown = only.filter((n) => !WORKLOADS.some((w) => w.name === n));
if (unknown.length) {
  process.stderr.write(
    `bench: unknown workload ${unknown.join(", ")}; known: ${WORKLOADS.map((w) => w.name).join(", ")}\n`,
  );
  process.exit(2);
}
const workloads = only.length ? WORKLOADS.filter((w) => only.includes(w.name)) : WORKLOADS;

const profileDir = path.join(ROOT, ".bench", "profiles", new Date().toISOString().replace(/[:.]/g, "-"));
const all = catalogue({
  moto: values.moto,
  vigilMain: values["vigil-main"] ? path.resolve(values["vigil-main"]) : undefined,
  vigilNodeArgs: values.profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
});
const serverIds = values.servers?.split(",").filter(Boolean);
const badIds = (serverIds ?? []).filter((id) => !all.some((s) => s.id === id));
if (badIds.length) {
  process.stderr.write(`bench: unknown server ${badIds.join(", ")}; known: ${all.map((s) => s.id).join(", ")}\n`);
  process.exit(2);
}
const servers = serverIds ? all.filter((s) => serverIds.includes(s.id)) : all;
if (servers.some((s) => s.product === "vigil") && !values["vigil-main"] && !existsSync(VIGIL_MAIN)) {
  process.stderr.write(
    `bench: ${path.relative(ROOT, VIGIL_MAIN)} is missing; run \`npm run bench\` (it builds) or \`npm run build\`\n`,
  );
  process.exit(2);
}

// No child outlives the harness: on exit (any cause) every process group it started gets SIGKILL.
process.on("exit", killAllNow);
const controller = new AbortController();
let interrupted = 0;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    if (interrupted++ > 0) process.exit(130);
    process.stderr.write(`\nbench: ${sig}, stopping the servers\n`);
    controller.abort();
    void stopAll().finally(() => process.exit(130));
  });
}

const log = (m: string) => process.stderr.write(`bench: ${m}\n`);
const ctx: BenchContext = { options, servers, log, signal: controller.signal };
const machine = describeMachine(values.moto);
const passThrough = process.argv
  .slice(2)
  .filter((a, i, arr) => a !== "--write" && a !== "--json" && arr[i - 1] !== "--json");
const command = `npm run bench${passThrough.length ? ` -- ${passThrough.join(" ")}` : ""}`;

log(machineLine(machine));
if (values.profile) mkdirSync(profileDir, { recursive: true });

const results: WorkloadResult[] = [];
let failed = false;
for (const w of workloads) {
  if (controller.signal.aborted) break;
  setLaunchTag(w.name);
  try {
    const r = await w.run(ctx);
    if (controller.signal.aborted) break; // partial figures are not results
    results.push(r);
    process.stdout.write(`\n## ${r.title} (${r.name})\n\n${renderTable(r)}\n`);
    for (const n of [...r.rows.filter((x) => x.skipped).map((x) => `${x.label}: ${x.skipped}`), ...r.notes]) {
      process.stdout.write(`- ${n}\n`);
    }
  } catch (err) {
    failed = true;
    log(`${w.name} failed: ${(err as Error).stack ?? String(err)}`);
  }
}
await stopAll();
if (controller.signal.aborted) process.exit(130);

// Goals: one line each, so a reader (or CI) sees at once what was met.
process.stdout.write("\n## Goals\n\n");
for (const r of results) {
  for (const row of r.rows.filter((x) => x.server.startsWith("vigil"))) {
    const c = compare(r, row);
    if (c && r.goal) {
      const want = `${r.goal.better === "lower" ? "<=" : ">="} ${r.goal.ratio}x`;
      process.stdout.write(
        `- ${r.name}, ${row.label}: ${c.ratio.toFixed(2)}x moto (goal ${want}): ${c.met ? "met" : "MISSED"}\n`,
      );
    }
  }
}

if (values.write && results.length) {
  const doc = path.join(ROOT, "docs", "benchmarks.md");
  await writeDoc(
    doc,
    new Map(results.map((r) => [r.name, renderSection(r, machine, command)])),
    WORKLOADS.map((w) => w.name),
  );
  log(`wrote ${path.relative(ROOT, doc)}`);
}
if (values.json) {
  writeFileSync(values.json, JSON.stringify({ machine, options, command, results }, null, 2) + "\n");
  log(`wrote ${values.json}`);
}
if (values.profile && existsSync(profileDir)) {
  // Files are CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile; short runs (cold starts) are left out of the report.
  for (const f of readdirSync(profileDir).filter((x) => x.endsWith(".cpuprofile"))) {
    const file = path.join(profileDir, f);
    if (hotSpots(file, 1).sampledMs < 1000) continue;
    const pid = Number(f.split(".")[3]);
    const l = launches.find((x) => x.pid === pid);
    const title = l ? `${l.tag}, ${l.label}` : f;
    process.stdout.write(`\n## CPU profile: ${title}\n\n\`\`\`\n${renderHotSpots(file, 30)}\n\`\`\`\n`);
  }
  log(`profiles kept in ${path.relative(ROOT, profileDir)}`);
}
process.exit(failed ? 1 : 0);
