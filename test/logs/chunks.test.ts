/**
 * The event path's engine without a server: the chunk layout, the k-way merge over overlapping chunks (checked
 * against a plain sort by property tests), the raw-byte needle search, tokens and the admission rules.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { ChunkMeta } from "../../src/storage/log-events-store.js";
import { admitBatch, checkBatch } from "../../src/services/logs/admit.js";
import { DecodedChunk, encodeSegment } from "../../src/services/logs/chunk.js";
import { patternNeedle } from "../../src/services/logs/needle.js";
import { compareKeys, scanEvents, type ChunkSource, type EventKey } from "../../src/services/logs/scan.js";
import { eventId, parseStreamToken, tokenAfter, tokenBefore } from "../../src/services/logs/tokens.js";

const segment = (events: { ts: number; msg: string }[], ingestionTime = 7) =>
  encodeSegment({
    timestamps: events.map((e) => e.ts),
    messages: events.map((e) => e.msg),
    sizes: events.map((e) => Buffer.byteLength(e.msg)),
    ascii: events.every((e) => Buffer.byteLength(e.msg) === e.msg.length),
    ingestionTime,
  });

test("a chunk of appended segments decodes every event, message and ingestion time", () => {
  const a = segment(
    [
      { ts: 1, msg: "ascii" },
      { ts: 2, msg: "x" },
    ],
    100,
  );
  const b = segment(
    [
      { ts: 2, msg: "ünïcode 🚀" },
      { ts: 9, msg: "last" },
    ],
    200,
  );
  assert.equal(a.data.length % 8, 0);
  const c = new DecodedChunk(5, 1, Buffer.concat([a.data, b.data]));
  assert.equal(c.count, 4);
  assert.deepEqual([...c.ts], [1, 2, 2, 9]);
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => c.message(i)),
    ["ascii", "x", "ünïcode 🚀", "last"],
  );
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => c.ingestionTime(i)),
    [100, 100, 200, 200],
  );
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => c.size(i)),
    [5, 1, Buffer.byteLength("ünïcode 🚀"), 4],
  );
  assert.equal(c.lowerBound(2), 1);
  assert.equal(c.lowerBound(3), 3);
  assert.equal(a.eventBytes, 5 + 1 + 2 * 26);
});

test("the needle search finds exactly the messages that contain it, never across message boundaries", () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.constantFrom("a", "b", "ab", "ba", "é", " "), { maxLength: 6 }), {
        minLength: 1,
        maxLength: 30,
      }),
      fc.constantFrom("a", "ab", "ba", "bab", "é"),
      fc.nat(3),
      (parts, needle, split) => {
        const msgs = parts.map((p) => p.join("") || "z");
        const events = msgs.map((msg, i) => ({ ts: i, msg }));
        const cut = Math.min(split, events.length);
        const data = Buffer.concat([segment(events.slice(0, cut)).data, segment(events.slice(cut)).data]);
        const c = new DecodedChunk(1, 1, data);
        const found = c.containing(Buffer.from(needle), 0, c.count);
        const want = msgs.flatMap((m, i) => (m.includes(needle) ? [i] : []));
        assert.deepEqual(found, want);
      },
    ),
  );
});

/** Chunks in memory, served in the store's orders. */
function memorySource(chunks: DecodedChunk[], forward: boolean): ChunkSource {
  const metas: ChunkMeta[] = chunks.map((c) => ({
    id: c.id,
    streamId: c.streamId,
    minTs: c.ts[0]!,
    maxTs: c.ts[c.count - 1]!,
    count: c.count,
  }));
  metas.sort((a, b) => (forward ? a.minTs - b.minTs || a.id - b.id : b.maxTs - a.maxTs || b.id - a.id));
  let given = false;
  return {
    next: async () => (given ? [] : ((given = true), metas)),
    load: async (m) => chunks.find((c) => c.id === m.id),
  };
}

const batchArb = fc
  .array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 12 })
  .map((ts) => ts.sort((a, b) => a - b));

test("the merge reads overlapping chunks in (timestamp, chunk, index) order, within bounds, both ways", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(batchArb, { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 0, max: 60 }),
      fc.option(
        fc.record({
          ts: fc.integer({ min: 0, max: 60 }),
          chunk: fc.integer({ min: 0, max: 9 }),
          idx: fc.integer({ min: -1, max: 12 }),
        }),
      ),
      async (batches, a, b, bound) => {
        const [fromTs, toTs] = a <= b ? [a, b] : [b, a];
        const chunks = batches.map(
          (ts, k) => new DecodedChunk(k + 1, 1, segment(ts.map((t, i) => ({ ts: t, msg: `${k}.${i}` }))).data),
        );
        const all: EventKey[] = chunks.flatMap((c) => [...c.ts].map((ts, idx) => ({ ts, chunk: c.id, idx })));
        const inRange = all.filter((e) => e.ts >= fromTs && e.ts <= toTs).sort(compareKeys);
        for (const forward of [true, false]) {
          const got: EventKey[] = [];
          const o = bound ? (forward ? { after: bound as EventKey } : { before: bound as EventKey }) : {};
          await scanEvents(memorySource(chunks, forward), { forward, fromTs, toTs, ...o }, (c, i) => {
            got.push({ ts: c.ts[i]!, chunk: c.id, idx: i });
            return true;
          });
          let want = inRange;
          if (bound) want = want.filter((e) => (forward ? compareKeys(e, bound) > 0 : compareKeys(e, bound) < 0));
          assert.deepEqual(got, forward ? want : [...want].reverse());
        }
      },
    ),
    { numRuns: 300 },
  );
});

test("a budget stops between chunks at a point from which the scan resumes without loss or repeat", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(batchArb, { minLength: 1, maxLength: 10 }),
      fc.integer({ min: 1, max: 15 }),
      async (batches, budget) => {
        const chunks = batches.map(
          (ts, k) => new DecodedChunk(k + 1, 1, segment(ts.map((t, i) => ({ ts: t, msg: `${k}.${i}` }))).data),
        );
        const want = chunks.flatMap((c) => [...c.ts].map((ts, idx) => ({ ts, chunk: c.id, idx }))).sort(compareKeys);
        const got: EventKey[] = [];
        let after: EventKey | undefined;
        for (let call = 0; call < 200; call++) {
          const r = await scanEvents(
            memorySource(chunks, true),
            { forward: true, fromTs: 0, toTs: 100, after, budget },
            (c, i) => {
              got.push({ ts: c.ts[i]!, chunk: c.id, idx: i });
              return true;
            },
          );
          if (r.complete) break;
          assert.ok(r.resumeAfter);
          after = r.resumeAfter;
        }
        assert.deepEqual(got, want);
      },
    ),
    { numRuns: 200 },
  );
});

test("tokens name the gap after or before an event; event ids are 56 digits that sort like the events", () => {
  const k = { ts: 1_767_225_600_000, chunk: 42, idx: 7 };
  assert.match(eventId(k), /^\d{56}$/);
  assert.ok(eventId(k) < eventId({ ...k, idx: 8 }) && eventId(k) < eventId({ ...k, ts: k.ts + 1, chunk: 1 }));
  assert.deepEqual(parseStreamToken(tokenAfter("f", k)), { direction: "f", bound: k });
  assert.deepEqual(parseStreamToken(tokenAfter("b", k)), { direction: "b", bound: { ...k, idx: 8 } });
  assert.deepEqual(parseStreamToken(tokenBefore("b", k)), { direction: "b", bound: k });
  assert.deepEqual(parseStreamToken(tokenBefore("f", k)), { direction: "f", bound: { ...k, idx: 6 } });
});

test("needles come only from patterns whose every match must contain them", () => {
  assert.equal(patternNeedle("ERROR")?.toString(), "ERROR");
  assert.equal(patternNeedle('ERROR "connection refused"')?.toString(), "connection refused");
  assert.equal(patternNeedle("  a   bcd  ")?.toString(), "bcd");
  for (const p of [
    undefined,
    "",
    " ",
    '" "',
    "?ERROR ?WARN",
    "ERROR -DEBUG",
    "%err.r%",
    '{ $.a = "b" }',
    "[ip, user]",
    '"a\\"b"',
  ])
    assert.equal(patternNeedle(p), undefined, String(p));
});

test("admission: order, sizes and the time rules in AWS's words", () => {
  const ev = (timestamp: number, message = "m") => ({ timestamp, message });
  assert.throws(() => checkBatch([ev(2), ev(1)]), {
    message: "Log events in a single PutLogEvents request must be in chronological order.",
  });
  const now = 100 * 86_400_000;
  const sizes = checkBatch([ev(now - 15 * 86_400_000), ev(now), ev(now + 3 * 3_600_000)]);
  const r = admitBatch([ev(now - 15 * 86_400_000), ev(now), ev(now + 3 * 3_600_000)], sizes, now, null);
  assert.deepEqual(r.rejected, { tooOldLogEventEndIndex: 1, tooNewLogEventStartIndex: 2 });
  assert.deepEqual(r.accepted.timestamps, [now]);
});
