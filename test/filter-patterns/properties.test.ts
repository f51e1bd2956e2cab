// Property tests of the filter-pattern engine (fast-check).
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { isAwsError } from "../../src/errors/index.js";
import { compileFilterPattern, type FilterPattern } from "../../src/filter-patterns/index.js";

const word = fc.stringMatching(/^[A-Za-z0-9_]{1,8}$/);
const message = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc
    .array(fc.oneof(word, fc.constantFrom("ERROR", "WARN", "[x y]", '"a b"', "-", "404", "1e3")), {
      maxLength: 10,
    })
    .map((ws) => ws.join(" ")),
  fc.json({ maxDepth: 3 }),
);
const quote = (s: string) => `"${s.replace(/[\\"]/g, (c) => "\\" + c)}"`;

test("a single word matches exactly the messages that contain it", () => {
  fc.assert(
    fc.property(word, message, (w, m) => compileFilterPattern(w).matches(m) === m.includes(w)),
    { numRuns: 2000 },
  );
});

test("a quoted phrase matches exactly the messages that contain it (blank phrases match all)", () => {
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 12 }), message, (p, m) => {
      const want = p.trim() === "" ? true : m.includes(p);
      return compileFilterPattern(quote(p)).matches(m) === want;
    }),
    { numRuns: 2000 },
  );
});

test("term combinations follow AND, OR and NOT", () => {
  fc.assert(
    fc.property(word, word, message, (a, b, m) => {
      assert.equal(compileFilterPattern(`${a} ${b}`).matches(m), m.includes(a) && m.includes(b));
      assert.equal(compileFilterPattern(`?${a} ?${b}`).matches(m), m.includes(a) || m.includes(b));
      assert.equal(compileFilterPattern(`${a} -${b}`).matches(m), m.includes(a) && !m.includes(b));
      assert.equal(compileFilterPattern(`?${a} ${b}`).matches(m), m.includes(b));
    }),
    { numRuns: 1000 },
  );
});

test("a regex of plain letters behaves like the term", () => {
  fc.assert(
    fc.property(
      fc.stringMatching(/^[A-Za-z0-9]{1,6}$/),
      message,
      (w, m) => compileFilterPattern(`%${w}%`).matches(m) === m.includes(w),
    ),
  );
});

test("JSON patterns accept exactly the messages JSON.parse reads as an object", () => {
  const f = compileFilterPattern("{ $.zz_absent NOT EXISTS }");
  const candidates = fc.oneof(
    fc.json({ maxDepth: 4 }),
    fc.json({ maxDepth: 3 }).map((j) => `{"k": ${j}}`),
    fc.tuple(fc.json({ maxDepth: 3 }), fc.nat(), fc.string({ maxLength: 3 })).map(([j, at, junk]) => {
      const s = `{"k": ${j}}`;
      const i = at % (s.length + 1);
      return s.slice(0, i) + junk + s.slice(i);
    }),
    fc.tuple(fc.json({ maxDepth: 3 }), fc.nat()).map(([j, at]) => {
      const s = `{"k": ${j}}`;
      const i = at % s.length;
      return s.slice(0, i) + s.slice(i + 1);
    }),
  );
  fc.assert(
    fc.property(candidates, (m) => {
      let want: boolean;
      try {
        const v: unknown = JSON.parse(m);
        want = typeof v === "object" && v !== null && !Array.isArray(v) && !("zz_absent" in v);
      } catch {
        want = false;
      }
      return f.matches(m) === want;
    }),
    { numRuns: 3000 },
  );
});

test("a JSON selector finds what JSON.parse finds", () => {
  const key = fc.constantFrom("a", "b", "c-d", "e_f");
  const leaf = fc.oneof(
    fc.string({ maxLength: 5 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
  );
  const obj = fc.dictionary(
    key,
    fc.oneof(leaf, fc.dictionary(key, leaf, { maxKeys: 3 }), fc.array(leaf, { maxLength: 3 })),
    {
      maxKeys: 4,
    },
  );
  fc.assert(
    fc.property(obj, key, key, (o, k1, k2) => {
      const m = JSON.stringify(o);
      const top = o[k1];
      const nested =
        top !== null && typeof top === "object" && !Array.isArray(top)
          ? (top as Record<string, unknown>)[k2]
          : undefined;
      const isValue = (v: unknown) => typeof v === "string" || typeof v === "number";
      assert.equal(compileFilterPattern(`{ $.${k1} = * }`).matches(m), isValue(top));
      assert.equal(compileFilterPattern(`{ $.${k1}.${k2} NOT EXISTS }`).matches(m), nested === undefined);
      assert.equal(compileFilterPattern(`{ $.${k1} IS NULL }`).matches(m), top === null);
      if (typeof top === "number") {
        assert.equal(compileFilterPattern(`{ $.${k1} >= 0 }`).matches(m), top >= 0);
        assert.deepEqual(compileFilterPattern(`{ $.${k1} = * }`).extract(m), { [`$.${k1}`]: top });
      }
      if (typeof top === "string" && /^[A-Za-z0-9_]+$/.test(top)) {
        assert.equal(compileFilterPattern(`{ $.${k1} = ${top} }`).matches(m), true);
        assert.equal(compileFilterPattern(`{ $.${k1} != ${top} }`).matches(m), false);
      }
      if (Array.isArray(top)) {
        // An element matches the number 1, or the string written as the pattern's value ("1"): PATTERNS.md, Strings
        // and numbers; `{ $.k = 1 }` treats a scalar string the same way.
        const any = top.some((v) => v === 1 || v === "1");
        assert.equal(compileFilterPattern(`{ $.${k1}[*] = 1 }`).matches(m), any);
      }
    }),
    { numRuns: 2000 },
  );
});

test("a wildcard value behaves as a prefix, suffix or substring test where AWS's placement agrees", () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[a-z0-9.]{1,5}$/), fc.stringMatching(/^[a-z0-9.]{0,12}$/), (w, s) => {
      const m = JSON.stringify({ s });
      assert.equal(compileFilterPattern(`{ $.s = "${w}*" }`).matches(m), s.startsWith(w));
      assert.equal(compileFilterPattern(`{ $.s = "*${w}*" }`).matches(m), s.includes(w));
      // Leftmost placement: a suffix is found only at its first occurrence.
      assert.equal(
        compileFilterPattern(`{ $.s = "*${w}" }`).matches(m),
        s.indexOf(w) >= 0 && s.indexOf(w) === s.length - w.length,
      );
    }),
    { numRuns: 2000 },
  );
});

test("a space-delimited pattern binds one name per field", () => {
  const field = fc.stringMatching(/^[A-Za-z0-9_./:-]{1,6}$/);
  fc.assert(
    fc.property(fc.array(field, { minLength: 1, maxLength: 8 }), fc.nat(), (fields, extra) => {
      const names = fields.map((_, i) => `f${i}`);
      const f = compileFilterPattern(`[${names.join(", ")}]`);
      const line = fields.join(" ");
      const want = Object.fromEntries(names.map((n, i) => [`$${n}`, fields[i]!]));
      assert.deepEqual(f.extract(line), want);
      // More fields: the last name takes the rest of the line; fewer: no match.
      const longer = `${line} ${"x".repeat((extra % 3) + 1)}`;
      assert.equal(
        f.extract(longer)?.[`$${names[names.length - 1]}`],
        longer.slice(line.lastIndexOf(fields[fields.length - 1]!)),
      );
      if (fields.length > 1) assert.equal(f.matches(fields.slice(1).join(" ")), false);
      assert.equal(compileFilterPattern(`[${names[0]}, ...]`).matches(line), true);
      assert.equal(compileFilterPattern(`[..., last = "${fields[fields.length - 1]}"]`).matches(line), true);
    }),
    { numRuns: 1000 },
  );
});

const patternPiece = fc.oneof(
  word,
  fc.constantFrom(
    "?",
    "-",
    '"',
    "%",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "$.a",
    "$.b[0]",
    "$.*",
    "$.c[*]",
    "$.['x.y']",
    "=",
    "!=",
    "<",
    ">=",
    "&&",
    "||",
    "IS",
    "NULL",
    "TRUE",
    "NOT",
    "EXISTS",
    "...",
    ",",
    "*",
    "4*",
    "1e3",
    "-5",
    '"q"',
    "%a.c%",
    "%[0-9]+$%",
    " ",
  ),
);
const structuredPattern = fc.oneof(
  fc.array(patternPiece, { maxLength: 12 }).map((ps) => ps.join(" ")),
  fc.array(patternPiece, { maxLength: 12 }).map((ps) => `{ ${ps.join(" ")} }`),
  fc.array(patternPiece, { maxLength: 12 }).map((ps) => `[${ps.join(" ")}]`),
  fc.array(patternPiece, { maxLength: 12 }).map((ps) => ps.join("")),
);

test("any pattern either compiles or is rejected with InvalidParameterException, and matching never throws", () => {
  let compiled = 0;
  fc.assert(
    fc.property(
      fc.oneof(structuredPattern, fc.string({ maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 20 })),
      fc.array(message, { maxLength: 4 }),
      (p, ms) => {
        let f: FilterPattern;
        try {
          f = compileFilterPattern(p);
        } catch (e) {
          assert.ok(isAwsError(e), `non-AwsError thrown for ${JSON.stringify(p)}: ${String(e)}`);
          assert.equal(e.code, "InvalidParameterException");
          assert.equal(e.httpStatus, 400);
          return;
        }
        compiled++;
        for (const m of ms) {
          const matched = f.matches(m);
          const extracted = f.extract(m);
          assert.equal(extracted !== undefined, matched);
        }
      },
    ),
    { numRuns: 5000 },
  );
  assert.ok(compiled > 500, `only ${compiled} random patterns compiled`);
});

test("compiling is deterministic: the same pattern answers the same", () => {
  fc.assert(
    fc.property(structuredPattern, message, (p, m) => {
      let a: FilterPattern, b: FilterPattern;
      try {
        a = compileFilterPattern(p);
        b = compileFilterPattern(p);
      } catch {
        return true;
      }
      return a.matches(m) === b.matches(m) && a.matches(m) === a.matches(m);
    }),
  );
});
