// Property tests: matching never throws; the indexed engine agrees with a naive reference evaluator written here
// (full flattening plus an array-consistent search over each sub-rule); a RuleSet agrees with its rules matched one
// by one; JSON text and parsed objects give the same answers; the parser only ever throws InvalidEventPattern.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { compilePattern, InvalidEventPattern, RuleSet } from "../../src/event-patterns/index.js";
import { consistent, Frame, Kind } from "../../src/event-patterns/flatten.js";
import { valueMatches } from "../../src/event-patterns/match.js";
import { parsePattern } from "../../src/event-patterns/parse.js";
import type { SubRule } from "../../src/event-patterns/types.js";

// ------------------------------------------------------------------------------------------------------------
// The reference evaluator

interface Leaf {
  path: string;
  kind: Kind;
  s: string;
  n: number;
  frame: Frame | null;
}

function leaves(event: unknown): Leaf[] {
  const out: Leaf[] = [];
  let arrays = 0;
  const walk = (v: unknown, path: string, frame: Frame | null): void => {
    if (v === null) out.push({ path, kind: Kind.Null, s: "", n: 0, frame });
    else if (typeof v === "string") out.push({ path, kind: Kind.String, s: v, n: 0, frame });
    else if (typeof v === "number") out.push({ path, kind: Kind.Number, s: "", n: v, frame });
    else if (typeof v === "boolean") out.push({ path, kind: v ? Kind.True : Kind.False, s: "", n: 0, frame });
    else if (Array.isArray(v)) {
      const id = arrays++;
      v.forEach((el, i) => walk(el, path, el !== null && typeof el === "object" ? new Frame(id, i, frame) : frame));
    } else if (typeof v === "object") {
      for (const [k, x] of Object.entries(v as object)) walk(x, path === "" ? k : `${path}.${k}`, frame);
    }
  };
  if (event !== null && typeof event === "object" && !Array.isArray(event)) {
    for (const [k, x] of Object.entries(event)) walk(x, k, null);
  }
  return out;
}

function subRuleMatches(sr: SubRule, all: Leaf[]): boolean {
  const search = (i: number, chosen: (Frame | null)[]): boolean => {
    if (i === sr.fields.length) return true;
    const f = sr.fields[i]!;
    const here = all.filter((l) => l.path === f.path && chosen.every((c) => consistent(c, l.frame)));
    for (const l of here) {
      if (f.matchers.some((m) => valueMatches(m, l.kind, l.s, l.n)) && search(i + 1, [...chosen, l.frame])) return true;
    }
    return here.length === 0 && f.matchers.some((m) => m.kind === "absent") && search(i + 1, chosen);
  };
  return search(0, []);
}

function reference(pattern: string, event: unknown): boolean {
  const all = leaves(event);
  return parsePattern(pattern).subRules.some((sr) => subRuleMatches(sr, all));
}

// ------------------------------------------------------------------------------------------------------------
// Generators: a small vocabulary so that patterns and events meet often

const KEYS = ["a", "b", "c", "a.b"];
const strings = fc.constantFrom(
  "",
  "x",
  "X",
  "xy",
  "yx",
  "abc",
  "ABC",
  "10.0.0.1",
  "10.0.0.255",
  "::1",
  "a*b",
  "ß",
  "SS",
);
const numbers = fc.constantFrom(0, -0, 1, -1, 1.5, 300, 3e2, 1e20, -122.41600944012424, 0.1 + 0.2);
const scalar = fc.oneof(strings, numbers, fc.constantFrom(null, true, false));

const eventValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 3 }),
  ),
})).value;
const event = fc.dictionary(fc.constantFrom(...KEYS), eventValue, { maxKeys: 4 });

const matcher = fc.oneof(
  strings,
  numbers,
  fc.constantFrom(null, true, false),
  strings.map((s) => ({ prefix: s })),
  strings.map((s) => ({ suffix: s })),
  strings.map((s) => ({ "equals-ignore-case": s })),
  strings.map((s) => ({ prefix: { "equals-ignore-case": s } })),
  strings.map((s) => ({ suffix: { "equals-ignore-case": s } })),
  fc.constantFrom("*", "x*", "*y", "a*c", "", "*b*").map((w) => ({ wildcard: w })),
  strings.filter((s) => s !== "").map((s) => ({ "anything-but": s })),
  fc.array(strings, { minLength: 1, maxLength: 3 }).map((l) => ({ "anything-but": l })),
  fc.array(numbers, { minLength: 1, maxLength: 3 }).map((l) => ({ "anything-but": l })),
  strings.filter((s) => s !== "").map((s) => ({ "anything-but": { prefix: s } })),
  strings.filter((s) => s !== "").map((s) => ({ "anything-but": { suffix: [s] } })),
  strings.map((s) => ({ "anything-but": { "equals-ignore-case": s } })),
  fc.constantFrom("x*", "*", "").map((w) => ({ "anything-but": { wildcard: w } })),
  numbers.map((n) => ({ numeric: ["=", n] })),
  numbers.map((n) => ({ numeric: [">", n] })),
  numbers.map((n) => ({ numeric: ["<=", n] })),
  fc.constantFrom({ numeric: [">=", -1, "<", 2] }, { numeric: [">", 0, "<=", 300] }),
  fc.boolean().map((b) => ({ exists: b })),
  fc.constantFrom({ cidr: "10.0.0.0/24" }, { cidr: "::/1" }),
);

type PatternObject = { [k: string]: unknown };
const patternObject: fc.Arbitrary<PatternObject> = fc.letrec((tie) => ({
  obj: fc.dictionary(
    fc.constantFrom(...KEYS),
    fc.oneof({ depthSize: "small" }, fc.array(matcher, { minLength: 1, maxLength: 3 }), tie("obj")),
    { minKeys: 1, maxKeys: 2 },
  ),
})).obj as fc.Arbitrary<PatternObject>;
const patternParts = fc.tuple(
  patternObject,
  fc.option(fc.array(patternObject, { minLength: 2, maxLength: 3 }), { nil: undefined }),
);
const pattern = patternParts.map(([p, or]) => JSON.stringify(or ? { ...p, $or: or } : p));

const OMIT = Symbol("omit");

/** A value likely to satisfy the matcher (or to sit just beside it); OMIT for a missing field. */
function near(m: unknown): fc.Arbitrary<unknown> {
  if (m === null || typeof m !== "object") return fc.oneof({ arbitrary: fc.constant(m), weight: 4 }, scalar);
  const [op, arg] = Object.entries(m as object)[0]!;
  const text =
    typeof arg === "string"
      ? arg
      : typeof arg === "object" && arg !== null && !Array.isArray(arg)
        ? String(Object.values(arg)[0])
        : "x";
  switch (op) {
    case "prefix":
      return fc.constantFrom(text, text + "q", text.toUpperCase() + "Q", "q" + text);
    case "suffix":
      return fc.constantFrom(text, "q" + text, "Q" + text.toUpperCase(), text + "q");
    case "equals-ignore-case":
      return fc.constantFrom(text, text.toUpperCase(), text.toLowerCase(), text + "q");
    case "wildcard":
      return fc.constantFrom(text.replaceAll("*", ""), text.replaceAll("*", "zz"), "q" + text);
    case "cidr":
      return fc.constantFrom("10.0.0.1", "10.0.1.1", "::1", "8000::1", 10);
    case "numeric": {
      const [o, v, , w] = arg as [string, number, string?, number?];
      const ok =
        o === "=" || o === "<=" || o === ">=" ? v : o === ">" ? (w !== undefined ? (v + w) / 2 : v + 1) : v - 1;
      return fc.oneof({ arbitrary: fc.constant(ok), weight: 3 }, fc.constant(v), numbers);
    }
    case "exists":
      return arg ? scalar : fc.oneof({ arbitrary: fc.constant(OMIT), weight: 3 }, scalar);
    default:
      return scalar;
  }
}

/** An event built from the pattern: mostly matching values, sometimes inside arrays of objects, sometimes missing. */
function instance(p: PatternObject): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(p).map(([k, v]) => {
    const leaf: fc.Arbitrary<unknown> = Array.isArray(v)
      ? fc.oneof(
          { arbitrary: fc.constantFrom(...v).chain(near), weight: 4 },
          fc.array(fc.constantFrom(...v).chain(near), { maxLength: 3 }),
        )
      : instance(v as PatternObject).chain((o) =>
          fc.oneof(
            { arbitrary: fc.constant<unknown>(o), weight: 4 },
            fc.constant<unknown>([o, { [k]: "noise" }]),
            eventValue,
          ),
        );
    return fc.option(leaf, { freq: 12 }).map((x) => [k, x] as const);
  });
  return fc
    .tuple(...entries)
    .map((kv) =>
      Object.fromEntries(kv.filter(([, x]) => x !== null && x !== OMIT && !(Array.isArray(x) && x.includes(OMIT)))),
    );
}

/** A pattern and an event that often (not always) matches it. */
const patternAndEvent = patternParts.chain(([p, or]) => {
  const text = JSON.stringify(or ? { ...p, $or: or } : p);
  const base = instance(p);
  const e = or ? fc.tuple(base, fc.constantFrom(...or).chain(instance)).map(([a, b]) => ({ ...a, ...b })) : base;
  return fc.tuple(fc.constant(text), fc.oneof({ arbitrary: e, weight: 3 }, event));
});

function compiles(p: string): boolean {
  try {
    compilePattern(p);
    return true;
  } catch (e) {
    if (e instanceof InvalidEventPattern) return false;
    throw e;
  }
}

const RUNS = 400;

describe("properties", () => {
  test("matches() and RuleSet.match() never throw, whatever the event", () => {
    const p = compilePattern(
      '{"a": [{"exists": false}], "b": {"c": [{"anything-but": "x"}]}, "$or": [{"c": [1]}, {"a.b": ["x"]}]}',
    );
    const rules = new RuleSet<number>();
    rules.add(1, p);
    rules.add(2, '{"a": {"b": [{"prefix": ""}]}, "c": [{"numeric": [">", 0]}]}');
    fc.assert(
      fc.property(
        fc.anything({
          withBoxedValues: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withSparseArray: true,
          withNullPrototype: true,
          withObjectString: true,
        }),
        (e) => {
          assert.equal(typeof p.matches(e), "boolean");
          assert.ok(Array.isArray(rules.match(e)));
          assert.ok(Array.isArray(rules.match({ a: e, b: { c: e }, c: [e, { b: e }] })));
        },
      ),
      { numRuns: 1000 },
    );
  });

  test("hostile objects: throwing getters, cycles, deep nesting", () => {
    const p = compilePattern('{"a": {"a": {"a": [{"exists": true}]}}}');
    const throwing = Object.defineProperty({}, "a", {
      enumerable: true,
      get: () => {
        throw new Error("boom");
      },
    });
    const cyclic: Record<string, unknown> = {};
    cyclic["a"] = cyclic;
    const list: unknown[] = [];
    list.push(list);
    let deep: unknown = "x";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    for (const e of [throwing, cyclic, { a: list }, { a: deep }, { a: { a: { a: deep } } }]) {
      assert.equal(typeof p.matches(e), "boolean");
    }
  });

  test("the engine agrees with the reference evaluator", () => {
    fc.assert(
      fc.property(patternAndEvent, ([p, e]) => {
        fc.pre(compiles(p));
        assert.equal(compilePattern(p).matches(e), reference(p, e), `${p} on ${JSON.stringify(e)}`);
      }),
      { numRuns: RUNS * 5 },
    );
  });

  test("RuleSet.match agrees with matching each rule alone", () => {
    fc.assert(
      fc.property(fc.array(patternAndEvent, { minLength: 1, maxLength: 12 }), (pairs) => {
        const ps = pairs.map(([p]) => p);
        const events = pairs.map(([, e]) => e);
        const valid = ps.filter(compiles);
        const rules = new RuleSet<number>();
        valid.forEach((p, i) => rules.add(i, p));
        const singles = valid.map((p) => compilePattern(p));
        for (const e of events) {
          const want = singles.flatMap((s, i) => (s.matches(e) ? [i] : []));
          assert.deepEqual(rules.match(e), want);
          assert.deepEqual(rules.matchJson(JSON.stringify(e)), want);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test("JSON text and parsed objects match the same", () => {
    fc.assert(
      fc.property(patternAndEvent, ([p, e]) => {
        fc.pre(compiles(p));
        const c = compilePattern(p);
        const text = JSON.stringify(e);
        assert.equal(c.matchesJson(text), c.matches(e));
        assert.equal(c.matchesJson(Buffer.from(JSON.stringify(e, null, 2))), c.matches(e));
      }),
      { numRuns: RUNS * 2 },
    );
  });

  test("remove, re-add and replace keep the RuleSet in step", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("add", "remove"), fc.integer({ min: 0, max: 5 }), pattern), {
          maxLength: 20,
        }),
        event,
        (ops, e) => {
          const rules = new RuleSet<number>();
          const model = new Map<number, string>();
          for (const [op, id, p] of ops) {
            if (op === "remove") {
              rules.remove(id);
              model.delete(id);
            } else if (compiles(p)) {
              rules.add(id, p);
              model.set(id, p);
            }
          }
          const want = [...model].filter(([, p]) => compilePattern(p).matches(e)).map(([id]) => id);
          assert.deepEqual(rules.match(e), want);
          assert.equal(rules.size, model.size);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("the parser only throws InvalidEventPattern, and is deterministic", () => {
    const jsonish = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.json({ maxDepth: 4 }),
      pattern,
      pattern.chain((p) =>
        fc
          .tuple(fc.nat({ max: p.length }), fc.nat({ max: 3 }), fc.string({ maxLength: 3 }))
          .map(([at, cut, ins]) => p.slice(0, at) + ins + p.slice(at + cut)),
      ),
    );
    fc.assert(
      fc.property(jsonish, (text) => {
        let first: string | undefined;
        try {
          compilePattern(text);
        } catch (e) {
          assert.ok(e instanceof InvalidEventPattern, `${text}: ${String(e)}`);
          assert.ok(e.message.startsWith("Event pattern is not valid. Reason: "));
          first = e.message;
        }
        try {
          compilePattern(text);
          assert.equal(first, undefined);
        } catch (e) {
          assert.equal((e as Error).message, first);
        }
      }),
      { numRuns: RUNS * 5 },
    );
  });
});
