/** GetLogEvents: time bounds, direction, limit and the 1 MB page, and the forward/backward tokens as AWS hands them out. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CloudWatchLogsClient,
  GetLogEventsCommand,
  type GetLogEventsCommandInput,
  type GetLogEventsCommandOutput,
} from "@aws-sdk/client-cloudwatch-logs";
import { unique, type Vigil } from "../helpers/vigil.js";
import { rejects, startLogsVigil } from "./metadata-helpers.js";
import { allEvents, newStream, put, seq, T0, type Stream } from "./events-helpers.js";

let vigil: Vigil;
let logs: CloudWatchLogsClient;
before(async () => {
  vigil = await startLogsVigil({ clock: "manual", clockStart: String(T0) });
  logs = vigil.client(CloudWatchLogsClient);
});
after(() => vigil.close());

const now = () => vigil.server.clock.now();
const TOKEN = /^[fb]\/\d{56}\/s$/;

const get = (s: Stream, input: Partial<GetLogEventsCommandInput> = {}) =>
  logs.send(new GetLogEventsCommand({ logGroupName: s.group, logStreamName: s.stream, ...input }));
const texts = (r: GetLogEventsCommandOutput) => r.events!.map((e) => e.message!);

/** A stream holding `n` events one millisecond apart, "e0" ... written in batches of `batch`. */
async function filled(n: number, batch = 1000): Promise<{ s: Stream; start: number }> {
  const s = await newStream(logs);
  const start = now() - n - 1000;
  for (let i = 0; i < n; i += batch) {
    await put(
      logs,
      s,
      Array.from({ length: Math.min(batch, n - i) }, (_, j) => ({ timestamp: start + i + j, message: `e${i + j}` })),
    );
  }
  return { s, start };
}

test("by default the page is the latest events, oldest first; nextBackwardToken walks back to the start", async () => {
  const { s } = await filled(25, 7);
  const page = await get(s, { limit: 10 });
  assert.deepEqual(
    texts(page),
    Array.from({ length: 10 }, (_, i) => `e${15 + i}`),
  );
  assert.match(page.nextForwardToken!, TOKEN);
  assert.match(page.nextBackwardToken!, TOKEN);
  assert.ok(page.nextForwardToken!.startsWith("f/") && page.nextBackwardToken!.startsWith("b/"));

  const seen = texts(page);
  let token = page.nextBackwardToken;
  for (let i = 0; i < 10; i++) {
    const back = await get(s, { limit: 10, nextToken: token });
    if (back.nextBackwardToken === token) {
      assert.deepEqual(back.events, [], "the start: no events and the same token back");
      break;
    }
    seen.unshift(...texts(back));
    token = back.nextBackwardToken;
  }
  assert.deepEqual(
    seen,
    Array.from({ length: 25 }, (_, i) => `e${i}`),
  );
});

test("startFromHead reads from the first event; at the end the same forward token comes back, and picks up new events", async () => {
  const { s } = await filled(23, 5);
  const seen: string[] = [];
  let token: string | undefined;
  let page: GetLogEventsCommandOutput;
  for (;;) {
    page = await get(s, { startFromHead: true, limit: 10, nextToken: token });
    seen.push(...texts(page));
    if (page.nextForwardToken === token) break;
    token = page.nextForwardToken;
  }
  assert.deepEqual(
    seen,
    Array.from({ length: 23 }, (_, i) => `e${i}`),
  );
  assert.deepEqual(page.events, []);
  assert.equal(page.nextForwardToken, token);
  assert.equal(page.nextBackwardToken, `b/${token!.slice(2)}`);

  await put(logs, s, [{ timestamp: now(), message: "later" }]);
  const more = await get(s, { startFromHead: true, nextToken: token });
  assert.deepEqual(texts(more), ["later"]);
  // And back from there: the events before "later".
  const back = await get(s, { limit: 3, nextToken: more.nextBackwardToken });
  assert.deepEqual(texts(back), ["e20", "e21", "e22"]);
});

test("a forward token read backwards and a backward token read forwards meet in the middle", async () => {
  const { s } = await filled(20, 20);
  const first = await get(s, { startFromHead: true, limit: 8 });
  assert.deepEqual(texts(first), ["e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7"]);
  const second = await get(s, { limit: 4, nextToken: first.nextForwardToken });
  assert.deepEqual(texts(second), ["e8", "e9", "e10", "e11"]);
  const backAgain = await get(s, { limit: 4, nextToken: second.nextBackwardToken });
  assert.deepEqual(texts(backAgain), ["e4", "e5", "e6", "e7"]);
});

test("startTime is inclusive and endTime exclusive, in both directions", async () => {
  const { s, start } = await filled(20, 20);
  const window = { startTime: start + 5, endTime: start + 9 };
  assert.deepEqual(texts(await get(s, { ...window, startFromHead: true })), ["e5", "e6", "e7", "e8"]);
  assert.deepEqual(texts(await get(s, window)), ["e5", "e6", "e7", "e8"]);
  const head = await get(s, { ...window, startFromHead: true, limit: 2 });
  const rest = await get(s, { ...window, nextToken: head.nextForwardToken });
  assert.deepEqual(texts(rest), ["e7", "e8"]);
  assert.deepEqual(texts(await get(s, { startTime: start + 30, startFromHead: true })), []);
  assert.deepEqual(texts(await get(s, { startTime: start + 5, endTime: start + 5 })), []);
});

test("limit 1, 9,999 and 10,000 are honoured; 0 and 10,001 are refused with AWS's messages", async () => {
  const { s } = await filled(10_001, 10_000);
  assert.deepEqual(texts(await get(s, { limit: 1 })), ["e10000"]);
  assert.equal((await get(s, { limit: 9_999, startFromHead: true })).events!.length, 9_999);
  assert.equal((await get(s, { limit: 10_000, startFromHead: true })).events!.length, 10_000);
  assert.equal((await get(s, { startFromHead: true })).events!.length, 10_000, "the default is 10,000");
  await rejects(
    get(s, { limit: 10_001 }),
    "InvalidParameterException",
    "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
  );
  await rejects(
    get(s, { limit: 0 }),
    "InvalidParameterException",
    "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
});

test("a page holds at most 1 MB (UTF-8 bytes + 26 per event); the next page continues", async () => {
  const s = await newStream(logs);
  const message = "x".repeat(974); // 1,000 bytes with the 26 of overhead
  for (let b = 0; b < 2; b++) {
    await put(
      logs,
      s,
      Array.from({ length: 1000 }, (_, i) => ({ timestamp: now() - 5000 + b * 1000 + i, message })),
    );
  }
  const first = await get(s, { startFromHead: true });
  assert.equal(first.events!.length, 1048); // 1,048 × 1,000 bytes fit in 1,048,576
  const second = await get(s, { startFromHead: true, nextToken: first.nextForwardToken });
  assert.equal(second.events!.length, 952);
  const tail = await get(s, {});
  assert.equal(tail.events!.length, 1048);
  assert.equal(tail.events![tail.events!.length - 1]!.timestamp, now() - 5000 + 1999);
});

test("batches that arrive out of time order are read back in timestamp order, ties in arrival order", async () => {
  const s = await newStream(logs);
  const t = now() - 10_000;
  await put(logs, s, [
    { timestamp: t + 10, message: "A10" },
    { timestamp: t + 20, message: "A20" },
    { timestamp: t + 30, message: "A30" },
  ]);
  await put(logs, s, [
    { timestamp: t + 5, message: "B05" },
    { timestamp: t + 20, message: "B20" },
    { timestamp: t + 25, message: "B25" },
  ]);
  await put(logs, s, [{ timestamp: t + 20, message: "C20" }]);
  const want = ["B05", "A10", "A20", "B20", "C20", "B25", "A30"];
  assert.deepEqual(
    (await allEvents(logs, s)).map((e) => e.message),
    want,
  );
  assert.deepEqual(
    (await allEvents(logs, s, 2)).map((e) => e.message),
    want,
    "the same across pages of 2",
  );
  assert.deepEqual(texts(await get(s, { limit: 3 })), ["C20", "B25", "A30"]);
});

test("many overlapping batches page the same forwards and backwards", async () => {
  const s = await newStream(logs);
  const t = now() - 100_000;
  const all: { ts: number; msg: string }[] = [];
  for (let b = 0; b < 30; b++) {
    const base = t + ((b * 7919) % 97) * 10;
    const batch = Array.from({ length: 5 + (b % 4) }, (_, i) => ({ timestamp: base + i * 3, message: `b${b}-${i}` }));
    all.push(...batch.map((e) => ({ ts: e.timestamp, msg: e.message })));
    await put(logs, s, batch);
  }
  const want = all
    .map((e, i) => ({ ...e, i }))
    .sort((a, b) => a.ts - b.ts || a.i - b.i)
    .map((e) => e.msg);
  assert.deepEqual(
    (await allEvents(logs, s, 7)).map((e) => e.message),
    want,
  );
  const back: string[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await get(s, { limit: 6, nextToken: token });
    back.unshift(...texts(page));
    if (page.nextBackwardToken === token) break;
    token = page.nextBackwardToken;
  }
  assert.deepEqual(back, want);
});

test("an empty stream answers no events and tokens that later read what arrives", async () => {
  const s = await newStream(logs);
  const empty = await get(s, {});
  assert.deepEqual(empty.events, []);
  assert.match(empty.nextForwardToken!, TOKEN);
  assert.match(empty.nextBackwardToken!, TOKEN);
  await put(logs, s, seq(2, now() - 10, "new"));
  assert.deepEqual(texts(await get(s, { nextToken: empty.nextForwardToken })), ["new0", "new1"]);
  assert.deepEqual(texts(await get(s, { nextToken: empty.nextBackwardToken })), []);
});

test("the group may be named by name or ARN in logGroupIdentifier, not both, not neither", async () => {
  const { s } = await filled(3, 3);
  const byName = await logs.send(new GetLogEventsCommand({ logGroupIdentifier: s.group, logStreamName: s.stream }));
  assert.deepEqual(texts(byName), ["e0", "e1", "e2"]);
  const arn = `arn:aws:logs:us-east-1:000000000000:log-group:${s.group}`;
  const byArn = await logs.send(new GetLogEventsCommand({ logGroupIdentifier: arn, logStreamName: s.stream }));
  assert.deepEqual(texts(byArn), ["e0", "e1", "e2"]);
  await rejects(
    logs.send(new GetLogEventsCommand({ logGroupName: s.group, logGroupIdentifier: s.group, logStreamName: s.stream })),
    "ValidationException",
    "LogGroup name and LogGroup ARN are mutually exclusive parameters.",
  );
  await rejects(
    logs.send(new GetLogEventsCommand({ logStreamName: s.stream })),
    "InvalidParameterException",
    "Either LogGroup name or LogGroup ARN must be specified.",
  );
  await rejects(
    logs.send(
      new GetLogEventsCommand({
        logGroupIdentifier: `arn:aws:logs:us-east-1:111122223333:log-group:${s.group}`,
        logStreamName: s.stream,
      }),
    ),
    "ResourceNotFoundException",
    "The specified log group does not exist.",
  );
});

test("a missing group or stream, and a token Vigil did not issue, are refused with AWS's messages", async () => {
  const { s } = await filled(3, 3);
  await rejects(
    get({ group: unique("/vigil/none"), stream: s.stream }),
    "ResourceNotFoundException",
    "The specified log group does not exist.",
  );
  await rejects(
    get({ group: s.group, stream: "none" }),
    "ResourceNotFoundException",
    "The specified log stream does not exist.",
  );
  for (const nextToken of ["garbage", "f/123", "x/00000000000000000000000000000000000000000000000000000000/s"]) {
    await rejects(get(s, { nextToken }), "InvalidParameterException", "The specified nextToken is invalid.");
  }
  const unmasked = await get(s, { unmask: true, startFromHead: true });
  assert.deepEqual(texts(unmasked), ["e0", "e1", "e2"]);
});
