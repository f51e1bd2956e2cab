/**
 * Reads V8 .cpuprofile files (node --cpu-prof) and lists where the time went: self time per function, and inclusive
 * ("total") time per function, both as a share of the sampled time.
 *
 *   npx tsx bench/lib/profile.ts .bench/profiles/CPU.*.cpuprofile [--top 30]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface HotSpot {
  name: string;
  where: string;
  selfPct: number;
  totalPct: number;
}

function label(f: CallFrame): { name: string; where: string } {
  const name = f.functionName || "(anonymous)";
  let where = f.url.replace(/^file:\/\//, "");
  const nm = where.lastIndexOf("node_modules/");
  if (nm >= 0) where = where.slice(nm + "node_modules/".length);
  else if (where.includes("/dist/")) where = where.slice(where.indexOf("/dist/") + 1);
  return { name, where: where ? `${where}:${f.lineNumber + 1}` : "" };
}

/** Which package (or part of Vigil, or Node itself) a frame belongs to. */
function owner(f: CallFrame): string {
  if (f.functionName.startsWith("(")) return f.functionName;
  const url = f.url.replace(/^file:\/\//, "");
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const parts = url.slice(nm + "node_modules/".length).split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (url.startsWith("node:")) return "node (core modules)";
  const dist = url.indexOf("/dist/");
  if (dist >= 0) {
    const rest = url.slice(dist + 1).split("/");
    return rest.length > 2 ? `${rest[0]}/${rest[1]}/` : rest.join("/");
  }
  return url ? url : "(native)";
}

export function hotSpots(
  file: string,
  top = 25,
): {
  sampledMs: number;
  idlePct: number;
  self: HotSpot[];
  total: HotSpot[];
  owners: { owner: string; selfPct: number }[];
} {
  const p = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // Time per node from the sample stream (each sample's delta belongs to the sample it precedes, as DevTools does).
  const nodeTime = new Map<number, number>();
  let totalUs = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i + 1] ?? 0;
    nodeTime.set(p.samples[i]!, (nodeTime.get(p.samples[i]!) ?? 0) + dt);
    totalUs += dt;
  }
  const key = (f: CallFrame) => `${f.functionName}\u0000${f.url}\u0000${f.lineNumber}`;
  const self = new Map<string, { f: CallFrame; us: number }>();
  const total = new Map<string, { f: CallFrame; us: number }>();
  let idleUs = 0;
  const owners = new Map<string, number>();
  for (const [id, us] of nodeTime) {
    const n = byId.get(id)!;
    if (n.callFrame.functionName === "(idle)") idleUs += us;
    else owners.set(owner(n.callFrame), (owners.get(owner(n.callFrame)) ?? 0) + us);
    const k = key(n.callFrame);
    const e = self.get(k) ?? { f: n.callFrame, us: 0 };
    e.us += us;
    self.set(k, e);
    // Inclusive: charge every distinct frame on the stack once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const fk = key(f);
      if (seen.has(fk)) continue;
      seen.add(fk);
      const t = total.get(fk) ?? { f, us: 0 };
      t.us += us;
      total.set(fk, t);
    }
  }
  const busyUs = Math.max(1, totalUs - idleUs);
  const list = (m: Map<string, { f: CallFrame; us: number }>) =>
    [...m.values()]
      .filter((e) => e.f.functionName !== "(idle)" && e.f.functionName !== "(root)")
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({ ...label(e.f), selfPct: 0, totalPct: 0, us: e.us }));
  return {
    sampledMs: totalUs / 1000,
    idlePct: (idleUs / Math.max(1, totalUs)) * 100,
    self: list(self).map((e) => ({ name: e.name, where: e.where, selfPct: (e.us / busyUs) * 100, totalPct: 0 })),
    total: list(total).map((e) => ({ name: e.name, where: e.where, selfPct: 0, totalPct: (e.us / busyUs) * 100 })),
    owners: [...owners]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([o, us]) => ({ owner: o, selfPct: (us / busyUs) * 100 })),
  };
}

export function renderHotSpots(file: string, top = 25): string {
  const h = hotSpots(file, top);
  const out = [
    `${path.basename(file)}: ${h.sampledMs.toFixed(0)} ms sampled, ${h.idlePct.toFixed(1)}% idle; shares below are of the busy time`,
    "",
    "self %  package or part (self time of its functions)",
    ...h.owners.slice(0, 15).map((e) => `${e.selfPct.toFixed(1).padStart(6)}  ${e.owner}`),
    "",
    "self %  function  (location)",
    ...h.self.map((e) => `${e.selfPct.toFixed(1).padStart(6)}  ${e.name}  (${e.where})`),
    "",
    "total % function  (location)",
    ...h.total.map((e) => `${e.totalPct.toFixed(1).padStart(6)}  ${e.name}  (${e.where})`),
  ];
  return out.join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const t = args.indexOf("--top");
  const top = t >= 0 ? Number(args.splice(t, 2)[1]) : 25;
  if (args.length === 0) {
    process.stderr.write("usage: tsx bench/lib/profile.ts <file.cpuprofile>... [--top N]\n");
    process.exit(2);
  }
  for (const f of args) process.stdout.write(renderHotSpots(f, top) + "\n\n");
}
