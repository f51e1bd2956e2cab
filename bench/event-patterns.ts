// Event-pattern matching micro-benchmark on the citylots2 data (../shared/bench-data): for each of the 14 rule types
// of aws/event-ruler's benchmark (5 rules each) and for all of them at once, events per second matching JSON text
// with RuleSet.matchJson (what event-ruler's rulesForJSONEvent measures: parse and match), next to event-ruler's
// figures from bench-data/README.md. Every pass also checks the match counts against event-ruler's.
//
//   npx tsx bench/event-patterns.ts [--passes 5] [--objects] [TYPE ...]
//
// --objects also measures RuleSet.match on events parsed beforehand (JSON.parse excluded from the time).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { RuleSet } from "../src/event-patterns/index.js";

const dir = fileURLToPath(new URL("../../shared/bench-data/", import.meta.url));

/** Events per second of event-ruler 1.x on Java 17, on a machine of this kind (bench-data/README.md). */
const EVENT_RULER: Record<string, number> = {
  EXACT: 268_000,
  WILDCARD: 268_000,
  PREFIX: 373_000,
  SUFFIX: 352_000,
  EQUALS_IGNORE_CASE: 324_000,
  NUMERIC: 209_000,
  ANYTHING_BUT: 215_000,
  COMPLEX_ARRAYS: 44_000,
  COMBO: 25_000,
};

interface Case {
  rules?: string[];
  expected_matches: number[];
}

const args = process.argv.slice(2);
const passesAt = args.indexOf("--passes");
const passes = passesAt >= 0 ? Number(args[passesAt + 1]) : 5;
const withObjects = args.includes("--objects");
const only = args.filter((a, i) => !a.startsWith("--") && (passesAt < 0 || i !== passesAt + 1));

const cases = JSON.parse(readFileSync(dir + "citylots2-cases.json", "utf8")) as Record<string, Case>;
const types = Object.keys(cases).filter((t) => cases[t]!.rules);
const events = gunzipSync(readFileSync(dir + "citylots2-synth.json.gz"))
  .toString("utf8")
  .split("\n")
  .filter((l) => l.length > 0);
const objects = withObjects ? events.map((e) => JSON.parse(e) as unknown) : [];

interface Suite {
  name: string;
  rules: RuleSet<string>;
  expected: Map<string, number>;
}

function suite(name: string, typeNames: string[]): Suite {
  const rules = new RuleSet<string>();
  const expected = new Map<string, number>();
  for (const t of typeNames) {
    cases[t]!.rules!.forEach((p, i) => {
      rules.add(`${t}#${i}`, p);
      expected.set(`${t}#${i}`, cases[t]!.expected_matches[i]!);
    });
  }
  return { name, rules, expected };
}

/** Runs one pass; returns events/s and whether every count agreed. */
function pass(s: Suite, mode: "json" | "objects"): { rate: number; ok: boolean } {
  const counts = new Map<string, number>();
  const t0 = process.hrtime.bigint();
  if (mode === "json") {
    for (const e of events) for (const id of s.rules.matchJson(e)) counts.set(id, (counts.get(id) ?? 0) + 1);
  } else {
    for (const e of objects) for (const id of s.rules.match(e)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let ok = true;
  for (const [id, want] of s.expected) if ((counts.get(id) ?? 0) !== want) ok = false;
  return { rate: events.length / seconds, ok };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fmt = (n: number): string => `${Math.round(n / 1000)}k`;

const suites = [
  ...types.map((t) => suite(t, [t])),
  suite("COMBO", types), // all 14 types, 70 rules at once
].filter((s) => only.length === 0 || only.includes(s.name));

console.log(`citylots2: ${events.length} events; median of ${passes} passes after one warm-up pass`);
console.log(
  [
    "rule type".padEnd(36),
    "vigil ev/s".padStart(11),
    "event-ruler".padStart(12),
    "ratio".padStart(7),
    "counts".padStart(8),
    ...(withObjects ? ["objects ev/s".padStart(13)] : []),
  ].join(" "),
);
let allOk = true;
for (const s of suites) {
  pass(s, "json");
  const runs: number[] = [];
  let ok = true;
  for (let i = 0; i < passes; i++) {
    const r = pass(s, "json");
    runs.push(r.rate);
    ok &&= r.ok;
  }
  let objectRate = 0;
  if (withObjects) {
    pass(s, "objects");
    const o: number[] = [];
    for (let i = 0; i < passes; i++) {
      const r = pass(s, "objects");
      o.push(r.rate);
      ok &&= r.ok;
    }
    objectRate = median(o);
  }
  allOk &&= ok;
  const rate = median(runs);
  const theirs = EVENT_RULER[s.name];
  console.log(
    [
      `${s.name} (${s.expected.size} rules)`.padEnd(36),
      fmt(rate).padStart(11),
      (theirs ? fmt(theirs) : "-").padStart(12),
      (theirs ? `${(rate / theirs).toFixed(2)}x` : "-").padStart(7),
      (ok ? `${s.expected.size}/${s.expected.size}` : "WRONG").padStart(8),
      ...(withObjects ? [fmt(objectRate).padStart(13)] : []),
    ].join(" "),
  );
}
if (!allOk) {
  console.error("some counts differ from event-ruler's");
  process.exitCode = 1;
}
