// Matching beyond PATTERNS.md: the RuleSet API, reading JSON text, and the building blocks (IP addresses, wildcards,
// ignore-case, array frames, number parsing), table-driven.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { cidrRange, ipToHex } from "../../src/event-patterns/cidr.js";
import { consistent, Frame } from "../../src/event-patterns/flatten.js";
import {
  compileIgnoreCase,
  endsWithIgnoreCase,
  equalsIgnoreCase,
  startsWithIgnoreCase,
} from "../../src/event-patterns/ignore-case.js";
import { compilePattern, InvalidEventPattern, RuleSet } from "../../src/event-patterns/index.js";
import { parseWildcard, wildcardMatches } from "../../src/event-patterns/wildcard.js";

describe("RuleSet", () => {
  test("returns matching ids in the order rules were added; add replaces; remove removes", () => {
    const rules = new RuleSet();
    rules.add("b", '{"source": ["x"]}');
    rules.add("a", '{"source": [{"prefix": "x"}]}');
    rules.add("c", '{"source": ["y"]}');
    assert.deepEqual(rules.match({ source: "x" }), ["b", "a"]);
    rules.add("b", '{"source": ["y"]}');
    assert.deepEqual(rules.match({ source: "x" }), ["a"]);
    assert.deepEqual(rules.match({ source: "y" }), ["b", "c"]);
    rules.remove("c");
    rules.remove("nope");
    assert.deepEqual(rules.match({ source: "y" }), ["b"]);
    assert.equal(rules.size, 2);
    assert.ok(rules.has("a") && !rules.has("c"));
  });

  test("ids can be anything; a pattern can be added compiled", () => {
    const key = { rule: "r1" };
    const rules = new RuleSet<object>();
    rules.add(key, compilePattern('{"a": [1]}'));
    assert.deepEqual(rules.match({ a: 1 }), [key]);
  });

  test("an invalid pattern throws and leaves the set as it was", () => {
    const rules = new RuleSet();
    rules.add("ok", '{"a": ["1"]}');
    assert.throws(() => rules.add("ok", '{"a": "1"}'), InvalidEventPattern);
    assert.deepEqual(rules.match({ a: "1" }), ["ok"]);
  });

  test("an empty set matches nothing", () => {
    assert.deepEqual(new RuleSet().match({ a: 1 }), []);
    assert.deepEqual(new RuleSet().matchJson('{"a": 1}'), []);
  });

  test("results are fresh arrays", () => {
    const rules = new RuleSet();
    rules.add("r", '{"a": [1]}');
    const first = rules.match({ a: 1 });
    rules.match({ a: 2 });
    assert.deepEqual(first, ["r"]);
  });

  test("many rules on one path cost only the ones that can match", () => {
    const rules = new RuleSet<number>();
    for (let i = 0; i < 5000; i++) rules.add(i, `{"detail": {"id": ["id-${i}"], "n": [{"numeric": [">", ${i}]}]}}`);
    const t0 = Date.now();
    for (let i = 0; i < 20000; i++)
      assert.deepEqual(rules.match({ detail: { id: `id-${i % 5000}`, n: 1e9 } }), [i % 5000]);
    assert.ok(Date.now() - t0 < 5000, `${Date.now() - t0} ms`);
  });
});

describe("events as JSON text", () => {
  const p = compilePattern('{"a": {"b": ["x"]}, "c": [{"numeric": [">", 1]}]}');

  test("strings, bytes and whitespace", () => {
    assert.ok(p.matchesJson('{"a":{"b":"x"},"c":2}'));
    assert.ok(p.matchesJson(' \n{ "a" : { "b" : [ "y" , "x" ] } , "c" : 1.5e0 }\t'));
    assert.ok(p.matchesJson(new TextEncoder().encode('{"a": {"b": "x"}, "c": 2}')));
    assert.ok(!p.matchesJson('{"a": {"b": "x"}, "c": 1}'));
  });

  test("escapes in keys and values, dotted keys, non-ASCII", () => {
    assert.ok(p.matchesJson('{"\\u0061": {"\\u0062": "\\u0078"}, "c": 2}'));
    assert.ok(p.matchesJson('{"a.b": "x", "c": 2}'));
    const q = compilePattern('{"é": ["ü🚀"], "k": [{"prefix": "\\""}]}');
    assert.ok(q.matchesJson('{"é": "ü🚀", "k": "\\"quoted\\""}'));
    assert.ok(q.matches({ é: "ü🚀", k: '"quoted"' }));
  });

  test("a repeated key counts every time (the event is read as a stream, as EventBridge does)", () => {
    const r = compilePattern('{"a": ["1"], "b": ["2"]}');
    assert.ok(r.matchesJson('{"a": "1", "b": "3", "b": "2"}'));
    assert.ok(!r.matches(JSON.parse('{"a": "1", "b": "2", "b": "3"}'))); // JSON.parse keeps the last
  });

  test("malformed JSON throws SyntaxError; parts no rule reads are only checked for structure", () => {
    for (const bad of [
      '{"a": {"b": "x"}',
      '{"a": {"b": "x}}',
      '{"a" {"b": "x"}}',
      '{"a": {"b": "x"},, "c": 2}',
      '{"a": "\\"}',
    ]) {
      assert.throws(() => p.matchesJson(bad), SyntaxError, bad);
    }
    assert.throws(() => p.matchesJson('{"z": [1, {"q": "unterminated]}'), SyntaxError);
  });

  test("an event that is not an object has no fields", () => {
    const absent = compilePattern('{"a": [{"exists": false}]}');
    for (const e of ["[1, 2]", '"text"', "42", "null"]) {
      assert.ok(absent.matchesJson(e), e);
      assert.ok(!p.matchesJson(e), e);
      assert.ok(absent.matches(JSON.parse(e)));
    }
  });

  test("numbers read from text are the doubles JSON.parse gives", () => {
    const texts = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
      fc
        .tuple(
          fc.boolean(),
          fc.stringMatching(/^(0|[1-9][0-9]{0,19})$/),
          fc.option(fc.stringMatching(/^[0-9]{1,20}$/)),
          fc.option(fc.integer({ min: -30, max: 30 })),
        )
        .map(
          ([neg, int, frac, exp]) =>
            `${neg ? "-" : ""}${int}${frac !== null ? "." + frac : ""}${exp !== null ? "e" + exp : ""}`,
        ),
    );
    fc.assert(
      fc.property(texts, (t) => {
        const n = JSON.parse(t) as number;
        const q = compilePattern(`{"n": [{"numeric": ["=", ${t}]}]}`);
        assert.ok(q.matchesJson(`{"n": ${t}}`), t);
        assert.equal(q.matchesJson(`{"n": ${JSON.stringify(nextUp(n))}}`), false, t);
      }),
      { numRuns: 2000 },
    );
  });
});

/** The next double above n. */
function nextUp(n: number): number {
  if (n === 0) return Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n);
  view.setBigUint64(0, view.getBigUint64(0) + (n > 0 ? 1n : -1n));
  return view.getFloat64(0);
}

describe("IP addresses", () => {
  const hex: [string, string | undefined][] = [
    ["10.0.0.1", "0A000001"],
    ["010.000.000.001", "0A000001"],
    ["255.255.255.255", "FFFFFFFF"],
    ["256.0.0.1", undefined],
    ["10.0.0", undefined],
    ["10.0.0.1.", undefined],
    [" 10.0.0.1", undefined],
    ["::", "00000000000000000000000000000000"],
    ["::1", "00000000000000000000000000000001"],
    ["2001:db8::", "20010DB8000000000000000000000000"],
    ["2001:DB8:0:0:0:0:0:1", "20010DB8000000000000000000000001"],
    ["00002001:db8::1", "20010DB8000000000000000000000001"],
    ["::ffff:a00:1", "0A000001"],
    ["::ffff:10.0.0.1", undefined],
    ["1::2::3", undefined],
    [":1::", undefined],
    ["1:2:3:4:5:6:7:8:9", undefined],
    ["1:", undefined],
    ["12345::", undefined],
    ["fe80::1%eth0", undefined],
  ];
  for (const [text, want] of hex) test(`ipToHex(${JSON.stringify(text)})`, () => assert.equal(ipToHex(text), want));

  test("CIDR blocks are floored to the mask", () => {
    assert.deepEqual(cidrRange("10.0.0.5/24"), { lo: "0A000000", hi: "0A0000FF" });
    assert.deepEqual(cidrRange("10.0.0.5/0"), { lo: "00000000", hi: "FFFFFFFF" });
    assert.deepEqual(cidrRange("10.0.0.5/31"), { lo: "0A000004", hi: "0A000005" });
    assert.deepEqual(cidrRange("2001:db8::ff/121"), {
      lo: "20010DB8000000000000000000000080",
      hi: "20010DB80000000000000000000000FF",
    });
    assert.deepEqual(cidrRange("10.0.0.0/+8"), cidrRange("10.0.0.0/8"));
    assert.deepEqual(cidrRange("10.0.0.0/8///"), cidrRange("10.0.0.0/8"));
  });
});

describe("wildcards", () => {
  test("agree with an equivalent regular expression", () => {
    const pattern = fc
      .array(fc.constantFrom("a", "b", "*", "\\*", "\\\\", "é"), { maxLength: 8 })
      .map((p) => p.join(""));
    fc.assert(
      fc.property(pattern, fc.array(fc.constantFrom("a", "b", "*", "\\", "é", "c"), { maxLength: 10 }), (p, chars) => {
        let w;
        try {
          w = parseWildcard(p);
        } catch {
          return; // consecutive stars
        }
        const re = new RegExp(
          "^" + w.segments.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$",
          "s",
        );
        const s = chars.join("");
        assert.equal(wildcardMatches(w, s), re.test(s), `${p} on ${s}`);
      }),
      { numRuns: 3000 },
    );
  });

  test("error positions are UTF-8 byte offsets within the quoted value", () => {
    assert.throws(() => parseWildcard("é**"), /Consecutive wildcard characters at pos 3$/);
    assert.throws(() => parseWildcard("🚀\\x"), /Invalid escape character at pos 5$/);
    assert.throws(() => parseWildcard("a\\"), /Invalid escape character at pos 2$/);
  });
});

describe("equals-ignore-case", () => {
  const cases: [string, string, boolean][] = [
    ["Hello", "hELLO", true],
    ["Hello", "hELLO!", false],
    ["ß", "SS", true],
    ["ß", "ss", false],
    ["ß", "ß", true],
    ["İ", "i̇", true],
    ["\u212a", "k", true], // the Kelvin sign: its lower case is k, its upper case itself
    ["\u212a", "\u212a", true],
    ["\u212a", "K", false],
    ["K", "\u212a", false], // ASCII K matches only k and K
    ["ǅ", "ǅ", false], // title case matches only its lower and upper forms
    ["ǅ", "ǆ", true],
    ["Σ", "ς", false],
    ["σ", "Σ", true],
  ];
  for (const [p, v, want] of cases) {
    test(`${p} ~ ${v}: ${want}`, () => {
      assert.equal(equalsIgnoreCase(compileIgnoreCase(p), v), want);
      assert.equal(compilePattern(JSON.stringify({ k: [{ "equals-ignore-case": p }] })).matches({ k: v }), want);
    });
  }

  test("prefix and suffix", () => {
    const p = compileIgnoreCase("sS");
    assert.ok(startsWithIgnoreCase(p, "SSx") && endsWithIgnoreCase(p, "xss") && !startsWithIgnoreCase(p, "s"));
    const q = compileIgnoreCase("ß");
    assert.ok(startsWithIgnoreCase(q, "SSx") && endsWithIgnoreCase(q, "xSS") && !endsWithIgnoreCase(q, "xss"));
  });
});

describe("array frames", () => {
  test("values conflict only in different elements of the same array", () => {
    const root0 = new Frame(0, 0, null);
    const root1 = new Frame(0, 1, null);
    const inner = new Frame(1, 0, root0);
    const other = new Frame(2, 3, root0);
    assert.ok(consistent(null, root0));
    assert.ok(!consistent(root0, root1));
    assert.ok(consistent(inner, other)); // different arrays inside the same element
    assert.ok(consistent(inner, root0));
    assert.ok(!consistent(inner, root1));
  });

  test("nested arrays of objects", () => {
    const p = compilePattern('{"a": {"b": ["1"], "c": ["2"]}}');
    assert.ok(p.matches({ a: [[{ b: "1", c: "2" }], [{ b: "3" }]] }));
    assert.ok(!p.matches({ a: [[{ b: "1" }], [{ c: "2" }]] }));
    assert.ok(!p.matches({ a: [[{ b: "1" }, { c: "2" }]] }));
    assert.ok(p.matches({ a: { b: ["1", "9"], c: "2" } }));
  });

  test("the search is bounded", () => {
    const p = compilePattern('{"a": {"b": ["1"], "c": ["1"], "d": ["1"], "e": ["2"]}}');
    const row = Array.from({ length: 60 }, () => ({ b: "1", c: "1", d: "1" }));
    const event = { a: [...row, { e: "2" }] };
    const t0 = Date.now();
    assert.equal(p.matches(event), false);
    assert.ok(Date.now() - t0 < 2000, `${Date.now() - t0} ms`);
  });
});
