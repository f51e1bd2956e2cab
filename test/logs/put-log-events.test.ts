/** PutLogEvents: every documented rule, at its limit and one past it, through the JS SDK. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  PutLogEventsCommand,
  type InputLogEvent,
} from "@aws-sdk/client-cloudwatch-logs";
import { unique, type Vigil } from "../helpers/vigil.js";
import { rejects, startLogsVigil } from "./metadata-helpers.js";
import { allEvents, DAY, HOUR, messages, newStream, put, seq, T0, type Stream } from "./events-helpers.js";

let vigil: Vigil;
let logs: CloudWatchLogsClient;
before(async () => {
  vigil = await startLogsVigil({ clock: "manual", clockStart: String(T0) });
  logs = vigil.client(CloudWatchLogsClient);
});
after(() => vigil.close());

const now = () => vigil.server.clock.now();

test("a batch is stored in order, with its ingestion time, and answered with a sequence token", async () => {
  const s = await newStream(logs);
  const res = await put(logs, s, seq(3, now() - 5000));
  assert.match(res.nextSequenceToken!, /^\d{56}$/);
  assert.equal(res.rejectedLogEventsInfo, undefined);
  assert.deepEqual(await allEvents(logs, s), [
    { timestamp: now() - 5000, message: "event 0", ingestionTime: now() },
    { timestamp: now() - 4999, message: "event 1", ingestionTime: now() },
    { timestamp: now() - 4998, message: "event 2", ingestionTime: now() },
  ]);
  const again = await put(logs, s, seq(1, now()));
  assert.match(again.nextSequenceToken!, /^\d{56}$/);
});

test("events older than 14 days are rejected, from the boundary on they are stored", async () => {
  const s = await newStream(logs);
  const edge = now() - 14 * DAY;
  const res = await put(logs, s, [
    { timestamp: edge - 2, message: "old 1" },
    { timestamp: edge - 1, message: "old 2" },
    { timestamp: edge, message: "at the limit" },
    { timestamp: edge + 1, message: "inside" },
  ]);
  assert.deepEqual(res.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 2 });
  assert.deepEqual(await messages(logs, s), ["at the limit", "inside"]);
});

test("events more than 2 hours in the future are rejected, up to the boundary they are stored", async () => {
  const s = await newStream(logs);
  const edge = now() + 2 * HOUR;
  const res = await put(logs, s, [
    { timestamp: edge - 1, message: "inside" },
    { timestamp: edge, message: "at the limit" },
    { timestamp: edge + 1, message: "new 1" },
    { timestamp: edge + 2, message: "new 2" },
  ]);
  assert.deepEqual(res.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 2 });
  assert.deepEqual(await messages(logs, s), ["inside", "at the limit"]);
});

test("events older than the group's retention are reported expired; the rest are stored", async () => {
  const s = await newStream(logs, 1);
  const edge = now() - DAY;
  const res = await put(logs, s, [
    { timestamp: edge - 1, message: "expired" },
    { timestamp: edge, message: "at the limit" },
    { timestamp: edge + 1, message: "inside" },
  ]);
  assert.deepEqual(res.rejectedLogEventsInfo, { expiredLogEventEndIndex: 1 });
  assert.deepEqual(await messages(logs, s), ["at the limit", "inside"]);
});

test("too old, expired and too new together, the valid middle stored", async () => {
  const s = await newStream(logs, 3);
  const res = await put(logs, s, [
    { timestamp: now() - 20 * DAY, message: "too old" },
    { timestamp: now() - 5 * DAY, message: "expired" },
    { timestamp: now() - 4 * DAY, message: "expired too" },
    { timestamp: now() - HOUR, message: "kept" },
    { timestamp: now() + 3 * HOUR, message: "too new" },
  ]);
  assert.deepEqual(res.rejectedLogEventsInfo, {
    tooOldLogEventEndIndex: 1,
    expiredLogEventEndIndex: 3,
    tooNewLogEventStartIndex: 4,
  });
  assert.deepEqual(await messages(logs, s), ["kept"]);
});

test("a retention longer than 14 days never reports expired events: the 14-day rule comes first", async () => {
  const s = await newStream(logs, 30);
  const res = await put(logs, s, [
    { timestamp: now() - 40 * DAY, message: "older than both" },
    { timestamp: now(), message: "kept" },
  ]);
  assert.deepEqual(res.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1 });
});

test("a batch of only rejected events succeeds and stores nothing", async () => {
  const s = await newStream(logs);
  const res = await put(logs, s, [
    { timestamp: now() - 15 * DAY, message: "old" },
    { timestamp: now() + 3 * HOUR, message: "new" },
  ]);
  assert.deepEqual(res.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1, tooNewLogEventStartIndex: 1 });
  assert.match(res.nextSequenceToken!, /^\d{56}$/);
  assert.deepEqual(await messages(logs, s), []);
  const [stream] = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: s.group }))).logStreams!;
  assert.equal(stream!.firstEventTimestamp, undefined);
});

test("events out of chronological order fail the whole batch; equal timestamps are in order", async () => {
  const s = await newStream(logs);
  await rejects(
    put(logs, s, [
      { timestamp: now(), message: "b" },
      { timestamp: now() - 1, message: "a" },
    ]),
    "InvalidParameterException",
    "Log events in a single PutLogEvents request must be in chronological order.",
  );
  await put(logs, s, [
    { timestamp: now(), message: "same 1" },
    { timestamp: now(), message: "same 2" },
    { timestamp: now(), message: "same 3" },
  ]);
  assert.deepEqual(await messages(logs, s), ["same 1", "same 2", "same 3"]);
});

test("the stored events of a batch span at most 24 hours", async () => {
  const s = await newStream(logs);
  const start = now() - 2 * DAY;
  await put(logs, s, [
    { timestamp: start, message: "first" },
    { timestamp: start + DAY, message: "exactly a day later" },
  ]);
  await rejects(
    put(logs, s, [
      { timestamp: start, message: "first" },
      { timestamp: start + DAY + 1, message: "a day and a millisecond later" },
    ]),
    "InvalidParameterException",
    "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.",
  );
  // Only the events that would be stored count: a rejected old event does not stretch the span.
  const res = await put(logs, s, [
    { timestamp: now() - 20 * DAY, message: "too old" },
    { timestamp: now() - HOUR, message: "kept" },
  ]);
  assert.deepEqual(res.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1 });
  assert.deepEqual(await messages(logs, s), ["first", "exactly a day later", "kept"]);
});

test("at most 10,000 events: 9,999 and 10,000 are stored, 10,001 is refused by the model", async () => {
  const s = await newStream(logs);
  for (const n of [9_999, 10_000]) {
    const res = await put(logs, s, seq(n, now() - 20_000, `${n}-`));
    assert.equal(res.rejectedLogEventsInfo, undefined);
  }
  assert.equal((await allEvents(logs, s)).length, 19_999);
  const tooMany = seq(10_001, now() - 20_000, "x");
  const rendered = tooMany.map((e) => `InputLogEvent(timestamp=${e.timestamp}, message=${e.message})`).join(", ");
  await rejects(
    put(logs, s, tooMany),
    "InvalidParameterException",
    `1 validation error detected: Value '[${rendered}]' at 'logEvents' failed to satisfy constraint: ` +
      "Member must have length less than or equal to 10000",
  );
  await rejects(
    put(logs, s, []),
    "InvalidParameterException",
    "1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: " +
      "Member must have length greater than or equal to 1",
  );
});

/** n events whose UTF-8 sizes plus 26 each add up to exactly `total` bytes. */
function batchOf(total: number, n: number, at: number): InputLogEvent[] {
  const each = Math.floor(total / n) - 26;
  const events = Array.from({ length: n }, (_, i) => ({ timestamp: at + i, message: "x".repeat(each) }));
  const rest = total - n * (each + 26);
  events[0]!.message += "y".repeat(rest);
  return events;
}

test("a batch of 1,048,576 bytes (UTF-8 + 26 per event) is stored; one byte more is refused", async () => {
  const s = await newStream(logs);
  for (const total of [1_048_575, 1_048_576]) {
    const res = await put(logs, s, batchOf(total, 100, now() - 1000));
    assert.equal(res.rejectedLogEventsInfo, undefined);
  }
  await rejects(
    put(logs, s, batchOf(1_048_577, 100, now() - 1000)),
    "InvalidParameterException",
    "Upload too large: 1048577 bytes exceeds limit of 1048576",
  );
  // Bytes, not characters: 2-byte characters count twice.
  const wide = batchOf(1_048_576, 2, now() - 1000);
  wide[1]!.message = wide[1]!.message!.slice(1) + "é";
  await rejects(
    put(logs, s, wide),
    "InvalidParameterException",
    "Upload too large: 1048577 bytes exceeds limit of 1048576",
  );
  assert.equal((await allEvents(logs, s)).length, 200);
});

test("one event of up to 1 MiB (message + 26 bytes) is stored; one byte more is refused", async () => {
  const s = await newStream(logs);
  for (const size of [1_048_549, 1_048_550]) {
    await put(logs, s, [{ timestamp: now(), message: "m".repeat(size) }]);
  }
  await rejects(
    put(logs, s, [{ timestamp: now(), message: "m".repeat(1_048_551) }]),
    "InvalidParameterException",
    "Log event too large: 1048577 bytes exceeds limit of 1048576",
  );
  const stored = await allEvents(logs, s);
  assert.deepEqual(
    stored.map((e) => e.message.length),
    [1_048_549, 1_048_550],
  );
});

test("an empty message is refused by the model", async () => {
  const s = await newStream(logs);
  await rejects(
    put(logs, s, [{ timestamp: now(), message: "" }]),
    "InvalidParameterException",
    "1 validation error detected: Value '' at 'logEvents.1.member.message' failed to satisfy constraint: " +
      "Member must have length greater than or equal to 1",
  );
});

test("messages keep every character: non-ASCII, emoji, newlines, JSON", async () => {
  const s = await newStream(logs);
  const texts = [
    "plain ascii",
    "café ünïcödé",
    "emoji 🚀🔥 and 中文",
    "line one\nline two\ttab",
    '{"level":"ERROR","msg":"a \\"quoted\\" thing"}',
    "\u0000 nul and \u007f del",
  ];
  await put(
    logs,
    s,
    texts.map((message, i) => ({ timestamp: now() - 100 + i, message })),
  );
  assert.deepEqual(await messages(logs, s), texts);
});

test("the sequence token is ignored, whatever it is, and an entity is accepted", async () => {
  const s = await newStream(logs);
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: s.group,
      logStreamName: s.stream,
      logEvents: seq(1, now(), "a"),
      sequenceToken: "not-a-real-token",
    }),
  );
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: s.group,
      logStreamName: s.stream,
      logEvents: seq(1, now(), "b"),
      sequenceToken: "49590302247890123456789012345678901234567890123456789012",
      entity: { keyAttributes: { Type: "Service", Name: "checkout", Environment: "test" }, attributes: {} },
    }),
  );
  assert.deepEqual(await messages(logs, s), ["a0", "b0"]);
});

test("a missing group or stream: ResourceNotFoundException with AWS's messages", async () => {
  const s = await newStream(logs);
  await rejects(
    put(logs, { group: unique("/vigil/none"), stream: s.stream }, seq(1, now())),
    "ResourceNotFoundException",
    "The specified log group does not exist.",
  );
  await rejects(
    put(logs, { group: s.group, stream: "no-such-stream" }, seq(1, now())),
    "ResourceNotFoundException",
    "The specified log stream does not exist.",
  );
});

test("the stream's event times and the group's stored bytes follow the stored events", async () => {
  const s = await newStream(logs);
  await put(logs, s, [
    { timestamp: now() - 3000, message: "12345" },
    { timestamp: now() - 2000, message: "é" },
  ]);
  await put(logs, s, [{ timestamp: now() - 9000, message: "older, later" }]);
  const [stream] = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: s.group }))).logStreams!;
  assert.equal(stream!.firstEventTimestamp, now() - 9000);
  assert.equal(stream!.lastEventTimestamp, now() - 2000);
  assert.equal(stream!.lastIngestionTime, now());
  const [group] = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: s.group }))).logGroups!;
  assert.equal(group!.storedBytes, 5 + 26 + 2 + 26 + 12 + 26);
});

test("concurrent batches into one stream are all stored, each exactly once", async () => {
  const s = await newStream(logs);
  const t = now() - 60_000;
  await Promise.all(
    Array.from({ length: 40 }, (_, b) =>
      put(
        logs,
        s,
        Array.from({ length: 1 + (b % 3) }, (_, i) => ({ timestamp: t + b * 10 + i, message: `b${b}-${i}` })),
      ),
    ),
  );
  const got = await messages(logs, s);
  const want = Array.from({ length: 40 }, (_, b) => Array.from({ length: 1 + (b % 3) }, (_, i) => `b${b}-${i}`)).flat();
  assert.deepEqual(got, want);
});

test("deleting a stream deletes its events and takes its bytes off the group", async () => {
  const s = await newStream(logs);
  const other: Stream = { group: s.group, stream: unique("other") };
  await logs.send(new CreateLogStreamCommand({ logGroupName: s.group, logStreamName: other.stream }));
  await put(logs, s, seq(10, now() - 100));
  await put(logs, other, [{ timestamp: now(), message: "stays" }]);
  await logs.send(new DeleteLogStreamCommand({ logGroupName: s.group, logStreamName: s.stream }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: s.group, logStreamName: s.stream }));
  assert.deepEqual(await messages(logs, s), []);
  const [group] = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: s.group }))).logGroups!;
  assert.equal(group!.storedBytes, "stays".length + 26);
});

test("a group deleted while batches are being written: each call succeeds or finds nothing, no event survives", async () => {
  const s = await newStream(logs);
  let stop = false;
  const outcomes = { ok: 0, gone: 0 };
  const writer = async (w: number) => {
    for (let i = 0; !stop && i < 200; i++) {
      try {
        await put(logs, s, seq(50, now() - 1000, `w${w}-${i}-`));
        outcomes.ok++;
      } catch (e) {
        const err = e as Error;
        assert.equal(err.name, "ResourceNotFoundException");
        assert.match(err.message, /^The specified log (group|stream) does not exist\.$/);
        outcomes.gone++;
        return;
      }
    }
  };
  const writers = Array.from({ length: 6 }, (_, w) => writer(w));
  await new Promise((r) => setTimeout(r, 50));
  await logs.send(new DeleteLogGroupCommand({ logGroupName: s.group }));
  await Promise.all(writers);
  stop = true;
  assert.ok(outcomes.ok > 0 && outcomes.gone > 0, JSON.stringify(outcomes));
  await logs.send(new CreateLogGroupCommand({ logGroupName: s.group }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: s.group, logStreamName: s.stream }));
  assert.deepEqual(await messages(logs, s), []);
  const [group] = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: s.group }))).logGroups!;
  assert.equal(group!.storedBytes, 0);
});
