// Runs every example of src/event-patterns/PATTERNS.md, so the spec cannot drift from the code.
// Blocks: ```json pattern (a valid pattern; later blocks use it), ```json matches / ```json does-not-match (one
// event per line), ```json invalid (a pattern that is rejected) followed by ```text error (the exact message).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { compilePattern, InvalidEventPattern, RuleSet } from "../../src/event-patterns/index.js";
import type { CompiledPattern } from "../../src/event-patterns/index.js";

interface Block {
  readonly info: string;
  readonly body: string;
  readonly line: number;
  readonly section: string;
}

const file = fileURLToPath(new URL("../../src/event-patterns/PATTERNS.md", import.meta.url));

function blocks(md: string): Block[] {
  const lines = md.split("\n");
  const out: Block[] = [];
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^#{1,4} /.test(line)) section = line.replace(/^#+\s*/, "");
    const m = /^```(json|text) (pattern|matches|does-not-match|invalid|error)$/.exec(line);
    if (!m) continue;
    const start = i + 1;
    const body: string[] = [];
    for (i++; lines[i] !== "```"; i++) {
      if (i >= lines.length) throw new Error(`unterminated block at line ${start}`);
      body.push(lines[i]!);
    }
    out.push({ info: m[2]!, body: body.join("\n"), line: start, section });
  }
  return out;
}

const all = blocks(readFileSync(file, "utf8"));

describe("PATTERNS.md", () => {
  test("has examples", () => assert.ok(all.length > 100, `only ${all.length} blocks`));

  let pattern: CompiledPattern | undefined;
  let patternLine = 0;
  for (let i = 0; i < all.length; i++) {
    const b = all[i]!;
    const where = `${b.section} (line ${b.line})`;
    switch (b.info) {
      case "pattern":
        test(`${where}: pattern compiles`, () => {
          assert.doesNotThrow(() => compilePattern(b.body));
        });
        pattern = (() => {
          try {
            return compilePattern(b.body);
          } catch {
            return undefined;
          }
        })();
        patternLine = b.line;
        break;
      case "matches":
      case "does-not-match": {
        const p = pattern;
        const want = b.info === "matches";
        const from = patternLine;
        for (const event of b.body.split("\n").filter((l) => l.trim() !== "")) {
          test(`${where}: ${want ? "matches" : "does not match"} ${event}`, () => {
            assert.ok(p, `the pattern at line ${from} did not compile`);
            assert.equal(p.matches(JSON.parse(event)), want, "matches(object)");
            assert.equal(p.matchesJson(event), want, "matchesJson(text)");
            const rules = new RuleSet<number>();
            rules.add(1, p);
            assert.deepEqual(rules.matchJson(event), want ? [1] : []);
          });
        }
        break;
      }
      case "invalid": {
        const next = all[i + 1];
        test(`${where}: rejects ${b.body}`, () => {
          assert.ok(next && next.info === "error", "an invalid pattern must be followed by a ```text error block");
          assert.throws(
            () => compilePattern(b.body),
            (e: unknown) => {
              assert.ok(e instanceof InvalidEventPattern, String(e));
              assert.equal(e.message, next.body);
              return true;
            },
          );
        });
        break;
      }
      case "error":
        break;
    }
  }
});
