import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { RuleSet } from "../src/event-patterns/index.js";
const cases = JSON.parse(readFileSync("/work/shared/bench-data/citylots2-cases.json", "utf8"));
const buf = gunzipSync(readFileSync("/work/shared/bench-data/citylots2-synth.json.gz"));
const lines: string[] = []; let start = 0;
for (;;) { const e = buf.indexOf(10, start); if (e < 0) { if (start < buf.length) lines.push(buf.toString("utf8", start)); break; } if (e > start) lines.push(buf.toString("utf8", start, e)); start = e + 1; }
console.log("events", lines.length);
const mode = process.argv[2] ?? "json";
for (const [type, c] of Object.entries<any>(cases)) {
  if (!c.rules) continue;
  const rs = new RuleSet<number>();
  c.rules.forEach((r: string, i: number) => rs.add(i, r));
  const counts = new Array(c.rules.length).fill(0);
  const objs = mode === "obj" ? lines.map((l) => JSON.parse(l)) : null;
  for (let pass = 0; pass < 3; pass++) {
    counts.fill(0);
    const t = process.hrtime.bigint();
    if (objs) for (const o of objs) for (const id of rs.match(o)) counts[id]++;
    else for (const l of lines) for (const id of rs.matchJson(l)) counts[id]++;
    const dt = Number(process.hrtime.bigint() - t) / 1e9;
    if (pass === 2) console.log(type.padEnd(28), (lines.length / dt / 1000).toFixed(0) + "k/s", JSON.stringify(counts) === JSON.stringify(c.expected_matches) ? "OK" : "MISMATCH " + JSON.stringify(counts) + " vs " + JSON.stringify(c.expected_matches));
  }
}
