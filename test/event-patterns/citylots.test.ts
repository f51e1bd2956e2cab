// The citylots2 benchmark data (../shared/bench-data): 213,068 events and, for 70 patterns of 14 rule types, the
// number of events aws/event-ruler (EventBridge's matcher) matches. All 70 rules are compiled into one RuleSet and
// the events are read once, as JSON text and as parsed objects; every count must agree.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { RuleSet } from "../../src/event-patterns/index.js";

const dir = fileURLToPath(new URL("../../../shared/bench-data/", import.meta.url));

interface Case {
  rules?: string[];
  expected_matches: number[];
}

const cases = JSON.parse(readFileSync(dir + "citylots2-cases.json", "utf8")) as Record<string, Case>;
const types = Object.keys(cases).filter((t) => cases[t]!.rules);

function loadEvents(): string[] {
  const buf = gunzipSync(readFileSync(dir + "citylots2-synth.json.gz"));
  return buf
    .toString("utf8")
    .split("\n")
    .filter((l) => l.length > 0);
}

function countAll(rules: RuleSet<string>, each: (count: (ids: string[]) => void) => void): Map<string, number> {
  const counts = new Map<string, number>();
  each((ids) => {
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  });
  return counts;
}

describe("citylots2: event-ruler's counts", () => {
  const events = loadEvents();
  const rules = new RuleSet<string>();
  const expected = new Map<string, number>();
  for (const type of types) {
    cases[type]!.rules!.forEach((pattern, i) => {
      rules.add(`${type}#${i}`, pattern);
      expected.set(`${type}#${i}`, cases[type]!.expected_matches[i]!);
    });
  }

  test("the data is all there", () => {
    assert.equal(events.length, 213068);
    assert.equal(types.length, 14);
    assert.equal(expected.size, 70);
  });

  const check = (counts: Map<string, number>): void => {
    let agreed = 0;
    const wrong: string[] = [];
    for (const [id, want] of expected) {
      const got = counts.get(id) ?? 0;
      if (got === want) agreed++;
      else wrong.push(`${id}: ${got} (event-ruler ${want})`);
    }
    console.log(`citylots counts: ${agreed}/${expected.size}`);
    assert.deepEqual(wrong, []);
  };

  test("events as JSON text (matchJson)", () => {
    check(countAll(rules, (count) => events.forEach((e) => count(rules.matchJson(e)))));
  });

  test("events as parsed objects (match)", () => {
    check(countAll(rules, (count) => events.forEach((e) => count(rules.match(JSON.parse(e))))));
  });

  test("COMBO and PARTIAL_COMBO list the same counts, in event-ruler's benchmark order", () => {
    const order = (names: string[]) => names.flatMap((t) => cases[t]!.expected_matches);
    const partial = ["NUMERIC", "EXACT", "PREFIX", "ANYTHING_BUT", "ANYTHING_BUT_IGNORE_CASE", "ANYTHING_BUT_PREFIX"];
    const tail = ["ANYTHING_BUT_SUFFIX", "ANYTHING_BUT_WILDCARD"];
    assert.deepEqual(cases["PARTIAL_COMBO"]!.expected_matches, order([...partial, ...tail]));
    assert.deepEqual(cases["COMBO"]!.expected_matches, order([...partial, ...tail, "COMPLEX_ARRAYS"]));
  });
});
