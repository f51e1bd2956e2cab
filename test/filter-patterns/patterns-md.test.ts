// Runs every example of src/filter-patterns/PATTERNS.md, so the spec cannot drift from the code.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { isAwsError } from "../../src/errors/index.js";
import { compileFilterPattern } from "../../src/filter-patterns/index.js";

interface Example {
  readonly line: number;
  readonly section: string;
  readonly pattern: string;
  readonly rows: { message: string; matches: boolean; extracted?: unknown }[];
  readonly error?: string;
}

const file = fileURLToPath(new URL("../../src/filter-patterns/PATTERNS.md", import.meta.url));

/** Splits a table row on unescaped `|`, unescapes `\|` and strips one pair of surrounding backticks. */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, "").replace(/\|$/, "");
  return inner.split(/(?<!\\)\|/).map((c) => {
    const t = c.trim().replace(/\\\|/g, "|");
    return t.startsWith("`") && t.endsWith("`") && t.length >= 2 ? t.slice(1, -1) : t;
  });
}

function parse(md: string): Example[] {
  const lines = md.split("\n");
  const out: Example[] = [];
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.startsWith("#")) section = lines[i]!.replace(/^#+\s*/, "");
    if (lines[i] !== "```filter-pattern") continue;
    const start = i + 1;
    const body: string[] = [];
    for (i++; lines[i] !== "```"; i++) {
      if (i >= lines.length) throw new Error(`unterminated filter-pattern block at line ${start}`);
      body.push(lines[i]!);
    }
    const pattern = body.join("\n");
    // The table follows after blank lines.
    i++;
    while (lines[i]?.trim() === "") i++;
    const header = cells(lines[i] ?? "");
    if (!lines[i]?.startsWith("|") || !lines[i + 1]?.startsWith("| ---")) {
      throw new Error(`filter-pattern block at line ${start} is not followed by a table`);
    }
    const rows: string[][] = [];
    for (i += 2; lines[i]?.startsWith("|"); i++) rows.push(cells(lines[i]!));
    if (header[0] === "error") {
      assert.equal(rows.length, 1, `line ${start}: one error row`);
      out.push({ line: start, section, pattern, rows: [], error: rows[0]![0]! });
      continue;
    }
    assert.deepEqual(header.slice(0, 2), ["message", "matches"], `line ${start}: table header`);
    out.push({
      line: start,
      section,
      pattern,
      rows: rows.map((r) => {
        assert.ok(r[1] === "yes" || r[1] === "no", `line ${start}: matches must be yes or no, got ${r[1]}`);
        return {
          message: r[0]!,
          matches: r[1] === "yes",
          ...(r[2] ? { extracted: JSON.parse(r[2]) as unknown } : {}),
        };
      }),
    });
  }
  return out;
}

const examples = parse(readFileSync(file, "utf8"));

test("PATTERNS.md has examples for every kind of pattern", () => {
  assert.ok(examples.length >= 100, `only ${examples.length} examples`);
  for (const kind of ["Terms", "Regular expressions", "JSON", "Space-delimited"]) {
    assert.ok(
      examples.some((e) => e.section.includes(kind)),
      `no example under a section about ${kind}`,
    );
  }
});

for (const ex of examples) {
  describe(`PATTERNS.md:${ex.line} ${JSON.stringify(ex.pattern)}`, () => {
    if (ex.error !== undefined) {
      test(`is rejected with "${ex.error}"`, () => {
        assert.throws(
          () => compileFilterPattern(ex.pattern),
          (e: unknown) =>
            isAwsError(e) && e.code === "InvalidParameterException" && e.message === ex.error && e.httpStatus === 400,
        );
      });
      return;
    }
    const compiled = compileFilterPattern(ex.pattern);
    for (const row of ex.rows) {
      test(`${row.matches ? "matches" : "does not match"} ${JSON.stringify(row.message)}`, () => {
        assert.equal(compiled.matches(row.message), row.matches);
        const extracted = compiled.extract(row.message);
        if (!row.matches) assert.equal(extracted, undefined);
        else if (row.extracted !== undefined) assert.deepEqual(extracted, row.extracted);
        else assert.ok(extracted !== undefined);
      });
    }
  });
}
