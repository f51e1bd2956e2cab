// Pattern parsing beyond PATTERNS.md: the parsed structure, Jackson location details, the error type, and the limits.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AwsError } from "../../src/errors/index.js";
import { compilePattern, InvalidEventPattern } from "../../src/event-patterns/index.js";
import { LIMITS } from "../../src/event-patterns/errors.js";
import { parsePattern } from "../../src/event-patterns/parse.js";

function rejects(pattern: string): InvalidEventPattern {
  try {
    compilePattern(pattern);
  } catch (e) {
    assert.ok(e instanceof InvalidEventPattern, String(e));
    return e;
  }
  assert.fail(`accepted ${pattern}`);
}

describe("parsed structure", () => {
  test("fields are sorted by path (Java string order) and $or forks sub-rules", () => {
    const p = parsePattern(
      '{"z": ["1"], "$or": [{"b": ["2"]}, {"a": {"c": ["3"]}, "$or": [{"d": [4]}, {"e": [5]}]}], "y": ["6"]}',
    );
    const paths = p.subRules.map((sr) => sr.fields.map((f) => f.path).join(","));
    assert.deepEqual(paths, ["b,y,z", "a.c,d,y,z", "a.c,e,y,z"]);
  });

  test("a repeated path keeps the last array; repeated objects merge", () => {
    const p = parsePattern('{"a": ["1"], "b": {"c": ["2"]}, "a": ["3"], "b": {"d": ["4"]}}');
    assert.equal(p.subRules.length, 1);
    const fields = p.subRules[0]!.fields;
    assert.deepEqual(
      fields.map((f) => [f.path, f.matchers.map((m) => (m.kind === "exact" ? m.value : m.kind))]),
      [
        ["a", ["3"]],
        ["b.c", ["2"]],
        ["b.d", ["4"]],
      ],
    );
  });

  test("numbers are doubles; strings that are IP addresses become address matchers", () => {
    const [f] = parsePattern('{"n": [3e2, "10.0.0.1", "10.0.0.1x"]}').subRules[0]!.fields;
    assert.deepEqual(f!.matchers, [
      { kind: "number", value: 300 },
      { kind: "ip", range: { lo: "0A000001", hi: "0A000001" } },
      { kind: "exact", value: "10.0.0.1x" },
    ]);
  });
});

describe("errors", () => {
  test("InvalidEventPattern is an AwsError with EventBridge's code and a location-free reason", () => {
    const e = rejects('{"a": "b"}');
    assert.ok(e instanceof AwsError);
    assert.equal(e.code, "InvalidEventPatternException");
    assert.equal(e.httpStatus, 400);
    assert.equal(e.reason, '"a" must be an object or an array');
    assert.equal(e.name, "InvalidEventPattern");
  });

  test("Jackson cuts the source snippet at 500 characters", () => {
    const long = `{"a": ["${"x".repeat(600)}"], "b": 1}`;
    const e = rejects(long);
    assert.equal(
      e.message,
      `Event pattern is not valid. Reason: "b" must be an object or an array\n at [Source: (String)"${long.slice(0, 500)}"[truncated ${long.length - 500} chars]; line: 1, column: ${long.length}]`,
    );
  });

  test("columns count UTF-16 units and restart on each line, \\r\\n included", () => {
    const e = rejects('{\r\n  "é🚀": 1}');
    assert.match(e.message, /; line: 2, column: 11\]$/);
  });

  test("end of input inside the pattern", () => {
    assert.equal(
      rejects('{"a": ["x"').message,
      'Event pattern is not valid. Reason: Unexpected end-of-input: expected close marker for ARRAY (start marker at [Source: (String)"{"a": ["x""; line: 1, column: 7])\n at [Source: (String)"{"a": ["x""; line: 1, column: 11]',
    );
    assert.equal(
      rejects('{"a": ["x').message,
      'Event pattern is not valid. Reason: Unexpected end-of-input: was expecting closing quote for a string value\n at [Source: (String)"{"a": ["x"; line: 1, column: 10]',
    );
    assert.equal(
      rejects("").message,
      'Event pattern is not valid. Reason: Filter is not an object\n at [Source: (String)""; line: 1, column: 1]',
    );
  });

  test("control characters and comments", () => {
    assert.match(
      rejects('{"a": ["x\ny"]}').reason,
      /^Illegal unquoted character \(\(CTRL-CHAR, code 10\)\): has to be escaped/,
    );
    assert.match(
      rejects('{"a": /* no */ ["x"]}').reason,
      /^Unexpected character \('\/' \(code 47\)\): maybe a \(non-standard\) comment/,
    );
  });

  test("a non-string argument is rejected like a non-object pattern", () => {
    assert.equal(rejects(42 as unknown as string).reason, "Filter is not an object");
  });

  test("the first error met wins, in reading order", () => {
    assert.equal(rejects('{"a": [{"prefix": 1}], "b": "c"}').reason, "prefix match pattern must be a string");
    assert.equal(rejects('{"b": "c", "a": [{"prefix": 1}]}').reason, '"b" must be an object or an array');
  });

  test("escapes in keys and values are decoded before checks", () => {
    assert.equal(rejects('{"\\u0061": "x"}').reason, '"a" must be an object or an array');
    assert.ok(compilePattern('{"a": ["\\u00e9\\n"]}').matches({ a: "é\n" }));
  });
});

describe("limits for untrusted patterns", () => {
  test("nesting depth", () => {
    const deep = '{"a":'.repeat(LIMITS.depth + 1) + '["x"]' + "}".repeat(LIMITS.depth + 1);
    assert.match(rejects(deep).reason, /^Rule is too complex - the pattern is nested deeper than 256 levels$/);
    const ok = '{"a":'.repeat(LIMITS.depth - 1) + '["x"]' + "}".repeat(LIMITS.depth - 1);
    assert.doesNotThrow(() => compilePattern(ok));
    let or = '{"a": ["x"]}';
    for (let i = 0; i < LIMITS.depth; i++) or = `{"$or": [${or}, {"b": ["y"]}]}`;
    assert.match(rejects(or).reason, /nested deeper than 256 levels/);
  });

  test("number of values", () => {
    const many = `{"a": [${Array.from({ length: LIMITS.values + 1 }, (_, i) => i).join(",")}]}`;
    assert.match(rejects(many).reason, /more than 10000 values/);
  });

  test("pattern length", () => {
    const big = `{"a": ["${"x".repeat(LIMITS.patternLength)}"]}`;
    assert.match(rejects(big).reason, /longer than 262144 characters/);
  });

  test("$or combinations are counted before they are built", () => {
    const or = '{"$or": [{"a": ["1"]}, {"a": ["2"]}, {"a": ["3"]}, {"a": ["4"]}]}';
    const fields = Array.from({ length: 40 }, (_, i) => `"k${i}": ${or}`).join(", ");
    const t0 = Date.now();
    assert.match(rejects(`{${fields}}`).reason, /more than 1000 \$or combinations/);
    assert.ok(Date.now() - t0 < 1000);
  });

  test("field conditions after expansion", () => {
    const values = Array.from({ length: 60 }, (_, i) => `"f${i}": ["x"]`).join(", ");
    const or = `{"$or": [${Array.from({ length: 999 }, (_, i) => `{"o${i}": ["y"]}`).join(", ")}], ${values}}`;
    assert.match(rejects(or).reason, /more than 50000 field conditions/);
  });

  test("wildcard complexity is bounded even for long patterns", () => {
    const t0 = Date.now();
    rejects(`{"a": [{"wildcard": "${"*a".repeat(1500)}"}]}`);
    assert.doesNotThrow(() => compilePattern(`{"a": [{"wildcard": "${"a".repeat(3000)}*"}]}`));
    assert.ok(Date.now() - t0 < 3000, `${Date.now() - t0} ms`);
  });
});
