// Every case recorded on real AWS in ../shared/conformance/eventbridge-patterns (LocalStack's recordings, Apache-2.0;
// see NOTICE.md there): NAME.json5 matches, NAME_NEG.json5 does not, NAME_EXC.json5 is rejected with the message in
// aws-responses.snapshot.json. The recordings sent patterns and events as Python's json.dumps writes them, so the
// Jackson columns in the messages refer to that text.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import JSON5 from "json5";
import { compilePattern, InvalidEventPattern, RuleSet } from "../../src/event-patterns/index.js";

const dir = fileURLToPath(new URL("../../../shared/conformance/eventbridge-patterns/", import.meta.url));
const snapshot = JSON.parse(readFileSync(dir + "aws-responses.snapshot.json", "utf8")) as Record<
  string,
  { "recorded-content": Record<string, { exception_message?: { Error: AwsErr } } & { Error?: AwsErr }> }
>;
interface AwsErr {
  Code: string;
  Message: string;
  MessageRaw?: string;
}

/** Python's json.dumps(value): ", " and ": " separators, non-ASCII escaped. */
export function pyDumps(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") {
    return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
  }
  if (Array.isArray(v)) return "[" + v.map(pyDumps).join(", ") + "]";
  return (
    "{" +
    Object.entries(v as object)
      .map(([k, x]) => pyDumps(k) + ": " + pyDumps(x))
      .join(", ") +
    "}"
  );
}

/** The recordings replaced the partition and region inside messages (the Jackson columns are the original ones). */
function normalized(message: string): string {
  return message.replaceAll("arn:aws:", "arn:<partition>:").replaceAll("us-east-1", "<region>");
}

function recorded(name: string): AwsErr | undefined {
  const entry =
    snapshot[`tests/aws/services/events/test_events_patterns.py::TestEventPattern::test_event_pattern[${name}]`];
  return entry?.["recorded-content"][name]?.exception_message?.Error;
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith(".json5"))
  .sort();

describe("conformance: patterns recorded on AWS", () => {
  test("the corpus is all there", () => assert.equal(files.length, 155));

  let agreed = 0;
  for (const file of files) {
    const name = file.slice(0, -".json5".length);
    test(name, () => {
      const doc = JSON5.parse(readFileSync(dir + file, "utf8")) as { Event: unknown; EventPattern: unknown };
      const pattern = pyDumps(doc.EventPattern);
      if (name.endsWith("_EXC")) {
        const aws = recorded(name);
        assert.ok(aws, `no recorded response for ${name}`);
        assert.equal(aws.Code, "InvalidEventPatternException");
        assert.throws(
          () => compilePattern(pattern),
          (e: unknown) => {
            assert.ok(e instanceof InvalidEventPattern);
            assert.equal(e.code, "InvalidEventPatternException");
            assert.equal(normalized(e.message), aws.MessageRaw ?? aws.Message);
            assert.equal("Event pattern is not valid. Reason: " + e.reason, aws.Message.split("\n at [Source:")[0]);
            return true;
          },
        );
      } else {
        const expected = !name.endsWith("_NEG");
        const p = compilePattern(pattern);
        assert.equal(p.matches(doc.Event), expected, "matches(object)");
        assert.equal(p.matchesJson(pyDumps(doc.Event)), expected, "matchesJson(text)");
        const rules = new RuleSet();
        rules.add("r", p);
        assert.deepEqual(rules.match(doc.Event), expected ? ["r"] : []);
      }
      agreed++;
    });
  }
  test("summary", () => {
    console.log(`corpus agreement: ${agreed}/${files.length}`);
    assert.equal(agreed, files.length);
  });
});

describe("conformance: other recorded cases", () => {
  const invalid = [
    "this is valid json but not a dict",
    "{'bad': 'quotation'}",
    '{"not": closed mark"',
    '["not", "a", "dict", "but valid json"]',
  ];
  for (const pattern of invalid) {
    test(`invalid JSON: ${pattern}`, () => {
      const key = `tests/aws/services/events/test_events_patterns.py::TestEventPattern::test_invalid_json_event_pattern[${pattern}]`;
      const aws = snapshot[key]!["recorded-content"]["invalid-pattern"]!.Error!;
      assert.throws(
        () => compilePattern(pattern),
        (e: unknown) => e instanceof InvalidEventPattern && e.message === aws.Message,
      );
    });
  }

  test("a large event with a pattern that repeats a key (the last one wins)", () => {
    const event = readFileSync(dir + "complex_multi_key_event.json", "utf8");
    const pattern = readFileSync(dir + "complex_multi_key_event_pattern.json", "utf8");
    const p = compilePattern(pattern);
    assert.equal(p.matches(JSON.parse(event)), true);
    assert.equal(p.matchesJson(event), true);
  });
});
