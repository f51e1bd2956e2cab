/**
 * Tables (Markdown, which also reads well in a terminal) and the generated part of docs/benchmarks.md.
 *
 * The doc keeps hand-written text outside the generated region. Inside it, each workload has its own block, so a
 * run of some workloads (`--only`) rewrites only their blocks and keeps the others with their own dates.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { machineLine, type Machine } from "./machine.js";
import { fmt, fmtRatio } from "./stats.js";
import type { Goal, Row, WorkloadResult } from "./types.js";

const REGION_START =
  "<!-- bench:generated:start - `npm run bench -- --write` rewrites everything down to bench:generated:end -->";
const REGION_END = "<!-- bench:generated:end -->";
const blockStart = (name: string) => `<!-- bench:workload ${name} -->`;
const blockEnd = (name: string) => `<!-- bench:workload-end ${name} -->`;

function goalText(g: Goal): string {
  return `${g.better === "lower" ? "≤" : "≥"} ${g.ratio}x`;
}

/** Vigil/baseline for the goal's column, and whether it meets the goal. */
export function compare(result: WorkloadResult, row: Row): { ratio: number; met: boolean } | undefined {
  const g = result.goal;
  if (!g || row.skipped) return undefined;
  const base = result.rows.find((r) => r.server === baselineId(result) && !r.skipped);
  const v = row.values[g.key];
  const b = base?.values[g.key];
  if (typeof v !== "number" || typeof b !== "number" || !(b > 0)) return undefined;
  const ratio = v / b;
  return { ratio, met: g.better === "lower" ? ratio <= g.ratio : ratio >= g.ratio };
}

const baselineId = (result: WorkloadResult) => (result.rows.some((r) => r.server === "moto") ? "moto" : undefined);

export function renderTable(result: WorkloadResult): string {
  const g = result.goal;
  const headers = ["Server", ...result.columns.map((c) => c.header), ...(g ? [`vs moto (goal ${goalText(g)})`] : [])];
  const lines = [`| ${headers.join(" | ")} |`, `|${headers.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`];
  for (const row of result.rows) {
    const cells = [row.label];
    for (const c of result.columns) cells.push(row.skipped ? "–" : fmt(row.values[c.key], c.decimals));
    if (g) {
      const isVigil = row.server.startsWith("vigil");
      const cmp = isVigil ? compare(result, row) : undefined;
      cells.push(
        cmp
          ? `${fmtRatio(cmp.ratio)} ${cmp.met ? "met" : "**missed**"}`
          : row.server === "moto" && !row.skipped
            ? "baseline"
            : "–",
      );
    }
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

export function renderSection(result: WorkloadResult, machine: Machine, command: string): string {
  const notes = [...result.rows.filter((r) => r.skipped).map((r) => `${r.label}: ${r.skipped}`), ...result.notes];
  return [
    `### ${result.title} (\`${result.name}\`)`,
    "",
    result.description,
    "",
    renderTable(result),
    "",
    ...(notes.length ? [...notes.map((n) => `- ${n}`), ""] : []),
    `Measured ${machineLine(machine)}. Command: \`${command}\`.`,
  ].join("\n");
}

const DOC_TEMPLATE = `# Benchmarks

Vigil against moto_server, side by side on the same machine, with the same load generator and the same
concurrency. The harness, its workloads and how to add one are described in [bench/README.md](../bench/README.md).

Run them all with \`npm run bench\`; \`npm run bench -- --write\` also rewrites the tables below.

${REGION_START}
${REGION_END}
`;

/**
 * Replaces (or adds) the blocks of the workloads that ran; other blocks and everything outside the region stay.
 * The result goes through the repository's Prettier settings, so `npm run lint` accepts the generated file.
 */
export async function writeDoc(file: string, sections: Map<string, string>, order: string[]): Promise<void> {
  let doc = existsSync(file) ? readFileSync(file, "utf8") : DOC_TEMPLATE;
  if (!doc.includes(REGION_START) || !doc.includes(REGION_END))
    doc = `${doc.trimEnd()}\n\n${REGION_START}\n${REGION_END}\n`;
  const startAt = doc.indexOf(REGION_START) + REGION_START.length;
  const endAt = doc.indexOf(REGION_END, startAt);
  const region = doc.slice(startAt, endAt);

  const blocks = new Map<string, string>();
  const re = /<!-- bench:workload (\S+) -->\s*\n([\s\S]*?)\n\s*<!-- bench:workload-end \1 -->/g;
  for (const m of region.matchAll(re)) blocks.set(m[1]!, m[2]!.trim());
  for (const [name, text] of sections) blocks.set(name, text);

  const names = [...order.filter((n) => blocks.has(n)), ...[...blocks.keys()].filter((n) => !order.includes(n))];
  const body = names.map((n) => `${blockStart(n)}\n\n${blocks.get(n)}\n\n${blockEnd(n)}`).join("\n\n");
  let text = `${doc.slice(0, startAt)}\n\n${body}\n\n${doc.slice(endAt)}`;
  try {
    const prettier = await import("prettier");
    text = await prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
  } catch {
    // Prettier is a devDependency; without it the file is still valid Markdown.
  }
  writeFileSync(file, text);
}
