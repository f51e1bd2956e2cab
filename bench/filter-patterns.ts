/**
 * Micro-benchmark of the filter-pattern engine: messages per second for each kind of pattern over 100k messages of
 * about 200 bytes. No assertions; run with `node --import tsx bench/filter-patterns.ts`.
 */
import { compileFilterPattern } from "../src/filter-patterns/index.js";

const COUNT = 100_000;
const ROUNDS = 5;

function randomWord(i: number): string {
  return (i * 2654435761).toString(36).slice(0, 3 + (i % 6));
}

function textMessages(): string[] {
  const levels = ["INFO", "DEBUG", "WARN", "ERROR"];
  const out: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    let m = `2024-04-18T10:00:${String(i % 60).padStart(2, "0")}.000Z [${levels[i % 4]} ${200 + (i % 300)}] request`;
    let j = i;
    while (m.length < 200) m += " " + randomWord(j++);
    out.push(m.slice(0, 200));
  }
  return out;
}

function jsonMessages(): string[] {
  const out: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    out.push(
      JSON.stringify({
        level: i % 4 === 0 ? "ERROR" : "INFO",
        latency: i % 1000,
        user: { id: i, name: randomWord(i) },
        path: `/api/v1/items/${i}`,
        tags: ["a", "b", randomWord(i + 1)],
        msg: randomWord(i + 2).repeat(6),
      }).slice(0, 200),
    );
  }
  return out.map((m) => (m.endsWith("}") ? m : JSON.stringify({ level: "INFO", latency: 1, msg: "x".repeat(150) })));
}

function delimitedMessages(): string[] {
  const out: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const status = [200, 404, 500, 302][i % 4];
    out.push(
      `10.0.${i % 256}.${(i * 7) % 256} - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb/${randomWord(i)}.gif HTTP/1.0" ${status} ${i % 5000} "http://ref.example/${randomWord(i + 3)}" "Mozilla/5.0"`.padEnd(
        200,
        " x",
      ),
    );
  }
  return out;
}

function bench(name: string, pattern: string, messages: string[]): void {
  const f = compileFilterPattern(pattern);
  let matched = 0;
  for (const m of messages) if (f.matches(m)) matched++; // warm-up
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    let n = 0;
    for (const m of messages) if (f.matches(m)) n++;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms < best) best = ms;
    matched = n;
  }
  const perSecond = (messages.length / best) * 1000;
  console.log(
    `${name.padEnd(28)} ${pattern.padEnd(58)} ${(perSecond / 1e6).toFixed(2).padStart(7)} M msg/s  (${matched} of ${messages.length} match)`,
  );
}

const text = textMessages();
const json = jsonMessages();
const delimited = delimitedMessages();
console.log(`${COUNT} messages of ~200 bytes, best of ${ROUNDS} rounds, node ${process.version}`);
bench("term", "ERROR", text);
bench("term (absent)", "NOTPRESENT", text);
bench("terms AND + exclusion", "ERROR request -DEBUG", text);
bench("optional terms", "?ERROR ?WARN", text);
bench("phrase", '"ERROR 2"', text);
bench("regex", "%\\[ERROR [45][0-9]{2}\\]%", text);
bench("json equality", '{ $.level = "ERROR" }', json);
bench("json compound", '{ $.level = "ERROR" && ($.latency > 500 || $.user.name = a*) }', json);
bench("json wildcard", "{ $.tags[*] = b }", json);
bench("json on text (pre-check)", '{ $.level = "ERROR" }', text);
bench("space-delimited", "[ip, id, user, ts, request, status = 4* || status = 5*, bytes > 100, ...]", delimited);
