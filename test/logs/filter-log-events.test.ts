/**
 * FilterLogEvents: across a group's streams (all, by name, by prefix), interleaved by timestamp, with filter patterns,
 * time bounds, limit, the 1 MB page and nextToken; through the JS SDK and `aws logs filter-log-events` (CLI v1, which
 * pages by itself).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilterLogEventsCommandInput,
  type FilterLogEventsCommandOutput,
  type FilteredLogEvent,
} from "@aws-sdk/client-cloudwatch-logs";
import { setFilterScanBudget } from "../../src/services/logs/operations/FilterLogEvents.js";
import { awsCli, unique, type Vigil } from "../helpers/vigil.js";
import { rejects, startLogsVigil } from "./metadata-helpers.js";
import { addStream, HOUR, newStream, put, seq, T0 } from "./events-helpers.js";

let vigil: Vigil;
let logs: CloudWatchLogsClient;
before(async () => {
  vigil = await startLogsVigil({ clock: "manual", clockStart: String(T0) });
  logs = vigil.client(CloudWatchLogsClient);
});
after(() => vigil.close());

const now = () => vigil.server.clock.now();

const filter = (group: string, input: Partial<FilterLogEventsCommandInput> = {}) =>
  logs.send(new FilterLogEventsCommand({ logGroupName: group, ...input }));
const texts = (r: FilterLogEventsCommandOutput) => r.events!.map((e) => e.message!);

/** Every page, following nextToken; returns the events and the number of pages. */
async function filterAll(group: string, input: Partial<FilterLogEventsCommandInput> = {}) {
  const events: FilteredLogEvent[] = [];
  let token: string | undefined;
  for (let pages = 1; pages < 10_000; pages++) {
    const page = await filter(group, { ...input, nextToken: token });
    events.push(...page.events!);
    token = page.nextToken;
    if (!token) return { events, pages };
  }
  throw new Error("FilterLogEvents never ended");
}

/** A group with three streams whose events interleave in time: a0 b0 c0 a1 b1 c1 ... */
async function threeStreams(n: number) {
  const { group, stream } = await newStream(logs);
  const names = [stream, await addStream(logs, group), await addStream(logs, group)];
  const start = now() - 10_000;
  for (const [k, name] of names.entries()) {
    await put(
      logs,
      { group, stream: name },
      Array.from({ length: n }, (_, i) => ({ timestamp: start + i * 3 + k, message: `${"abc"[k]}${i}` })),
    );
  }
  return { group, names, start };
}

test("events of every stream, interleaved by timestamp, with stream name, event id and ingestion time", async () => {
  const { group, names, start } = await threeStreams(3);
  const res = await filter(group);
  assert.deepEqual(texts(res), ["a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"]);
  assert.deepEqual(res.searchedLogStreams, []);
  assert.equal(res.nextToken, undefined);
  const [first] = res.events!;
  assert.equal(first!.logStreamName, names[0]);
  assert.equal(first!.timestamp, start);
  assert.equal(first!.ingestionTime, now());
  assert.equal(res.events![1]!.logStreamName, names[1]);
  const ids = res.events!.map((e) => e.eventId!);
  for (const id of ids) assert.match(id, /^\d{56}$/);
  assert.equal(new Set(ids).size, ids.length);
});

test("logStreamNames and logStreamNamePrefix select streams; both together are refused", async () => {
  const { group, names } = await threeStreams(2);
  assert.deepEqual(texts(await filter(group, { logStreamNames: [names[0]!, names[2]!] })), ["a0", "c0", "a1", "c1"]);
  assert.deepEqual(texts(await filter(group, { logStreamNames: [names[1]!, "no-such-stream"] })), ["b0", "b1"]);
  assert.deepEqual(texts(await filter(group, { logStreamNames: ["no-such-stream"] })), []);
  const prefixed = await addStream(logs, group, "app/web-1");
  await addStream(logs, group, "app/worker-1");
  await put(logs, { group, stream: prefixed }, [{ timestamp: now(), message: "web" }]);
  await put(logs, { group, stream: "app/worker-1" }, [{ timestamp: now() - 1, message: "worker" }]);
  assert.deepEqual(texts(await filter(group, { logStreamNamePrefix: "app/" })), ["worker", "web"]);
  assert.deepEqual(texts(await filter(group, { logStreamNamePrefix: "app/web" })), ["web"]);
  assert.deepEqual(texts(await filter(group, { logStreamNamePrefix: "nothing" })), []);
  await rejects(
    filter(group, { logStreamNames: [names[0]!], logStreamNamePrefix: "app/" }),
    "InvalidParameterException",
    "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.",
  );
});

test("startTime and endTime are both inclusive", async () => {
  const { group, start } = await threeStreams(3);
  assert.deepEqual(texts(await filter(group, { startTime: start + 1, endTime: start + 4 })), ["b0", "c0", "a1", "b1"]);
  assert.deepEqual(texts(await filter(group, { startTime: start + 100 })), []);
  assert.deepEqual(texts(await filter(group, { endTime: start })), ["a0"]);
});

test("filter patterns: terms, phrases, optional and excluded terms, JSON; an invalid pattern is refused", async () => {
  const s = await newStream(logs);
  const lines = [
    "[ERROR 400] BAD REQUEST",
    "[INFO 200] SUCCESSFUL REQUEST",
    "[ERROR 500] INTERNAL SERVER ERROR",
    "[WARN 300] MOVED",
    '{"level":"ERROR","status":503}',
    '{"level":"INFO","status":200}',
    "error in lower case",
  ];
  await put(
    logs,
    s,
    lines.map((message, i) => ({ timestamp: now() - 100 + i, message })),
  );
  const match = async (filterPattern: string) => texts(await filter(s.group, { filterPattern }));
  assert.deepEqual(await match("ERROR"), [lines[0], lines[2], lines[4]]);
  assert.deepEqual(await match("ERROR 500"), [lines[2]]);
  assert.deepEqual(await match('"SERVER ERROR"'), [lines[2]]);
  assert.deepEqual(await match("?WARN ?INFO"), [lines[1], lines[3], lines[5]]);
  assert.deepEqual(await match("ERROR -BAD"), [lines[2], lines[4]]);
  assert.deepEqual(await match('{ $.level = "ERROR" }'), [lines[4]]);
  assert.deepEqual(await match("{ $.status > 300 }"), [lines[4]]);
  assert.deepEqual(await match(""), lines);
  assert.deepEqual(await match("NOTHING"), []);
  await rejects(
    filter(s.group, { filterPattern: "ERROR:" }),
    "InvalidParameterException",
    "Invalid character(s) in term ':'",
  );
});

test("limit 1, N-1, N and N+1 over N events; every page chain returns each event once", async () => {
  const { group } = await threeStreams(4); // 12 events
  const all = texts(await filter(group));
  assert.equal(all.length, 12);
  for (const limit of [1, 11, 12, 13]) {
    const { events, pages } = await filterAll(group, { limit });
    assert.deepEqual(
      events.map((e) => e.message),
      all,
      `limit ${limit}`,
    );
    assert.ok(pages <= Math.ceil(12 / limit) + 1, `limit ${limit}: ${pages} pages`);
  }
  const one = await filter(group, { limit: 1 });
  assert.deepEqual(texts(one), ["a0"]);
  assert.ok(one.nextToken);
  await rejects(
    filter(group, { limit: 10_001 }),
    "InvalidParameterException",
    "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
  );
  await rejects(
    filter(group, { limit: 0 }),
    "InvalidParameterException",
    "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
});

test("the default limit is 10,000 events, and a page never exceeds 1 MB", async () => {
  const s = await newStream(logs);
  await put(logs, s, seq(10_000, now() - 30_000, "x"));
  await put(logs, s, seq(5, now() - 10_000, "y"));
  const first = await filter(s.group);
  assert.equal(first.events!.length, 10_000);
  assert.ok(first.nextToken);
  const rest = await filter(s.group, { nextToken: first.nextToken });
  assert.deepEqual(texts(rest), ["y0", "y1", "y2", "y3", "y4"]);
  assert.equal(rest.nextToken, undefined);

  const big = await newStream(logs);
  const message = "z".repeat(974); // 1,000 bytes counted
  for (let b = 0; b < 2; b++) {
    await put(
      logs,
      big,
      Array.from({ length: 1000 }, (_, i) => ({ timestamp: now() - 5000 + b * 1000 + i, message })),
    );
  }
  const page = await filter(big.group);
  assert.equal(page.events!.length, 1048);
  const { events } = await filterAll(big.group);
  assert.equal(events.length, 2000);
});

test("a nextToken works only for its group; anything else is refused with AWS's message", async () => {
  const { group } = await threeStreams(2);
  const other = await newStream(logs);
  const page = await filter(group, { limit: 2 });
  await rejects(
    filter(other.group, { nextToken: page.nextToken }),
    "InvalidParameterException",
    "The specified nextToken is invalid.",
  );
  for (const nextToken of ["garbage", "f/00000000000000000000000000000000000000000000000000000000/s"]) {
    await rejects(filter(group, { nextToken }), "InvalidParameterException", "The specified nextToken is invalid.");
  }
});

test("the group by name or ARN in logGroupIdentifier; missing groups and bad combinations refused", async () => {
  const { group } = await threeStreams(1);
  const arn = `arn:aws:logs:us-east-1:000000000000:log-group:${group}`;
  const byArn = await logs.send(new FilterLogEventsCommand({ logGroupIdentifier: arn }));
  assert.deepEqual(texts(byArn), ["a0", "b0", "c0"]);
  const byName = await logs.send(new FilterLogEventsCommand({ logGroupIdentifier: group }));
  assert.deepEqual(texts(byName), ["a0", "b0", "c0"]);
  await rejects(
    logs.send(new FilterLogEventsCommand({ logGroupName: group, logGroupIdentifier: arn })),
    "ValidationException",
    "LogGroup name and LogGroup ARN are mutually exclusive parameters.",
  );
  await rejects(
    logs.send(new FilterLogEventsCommand({})),
    "InvalidParameterException",
    "Either LogGroup name or LogGroup ARN must be specified.",
  );
  await rejects(filter(unique("/vigil/none")), "ResourceNotFoundException", "The specified log group does not exist.");
  const unmasked = await filter(group, { unmask: true, interleaved: false });
  assert.deepEqual(texts(unmasked), ["a0", "b0", "c0"]);
});

test("a scan that stops at its budget answers what it found and a nextToken that resumes exactly there", async () => {
  const s = await newStream(logs);
  const other = await addStream(logs, s.group);
  for (let b = 0; b < 6; b++) {
    await put(
      logs,
      s,
      Array.from({ length: 100 }, (_, i) => ({
        timestamp: now() - 10_000 + b * 100 + i,
        // 40 KB per batch: too big to be appended to the previous chunk, so each batch is a chunk of its own.
        message: `${i % 10 === 3 ? "HIT" : "miss"} ${b}-${i} ${"p".repeat(400)}`,
      })),
    );
    await put(logs, { group: s.group, stream: other }, [
      { timestamp: now() - 10_000 + b * 100 + 50, message: `HIT other ${b}` },
    ]);
  }
  const want = texts(await filter(s.group, { filterPattern: "HIT" }));
  assert.equal(want.length, 66);
  setFilterScanBudget(150);
  try {
    const { events, pages } = await filterAll(s.group, { filterPattern: "HIT" });
    assert.deepEqual(
      events.map((e) => e.message),
      want,
    );
    assert.ok(pages >= 3, `${pages} pages`);
    const all = await filterAll(s.group, { limit: 7 });
    assert.equal(all.events.length, 606);
  } finally {
    setFilterScanBudget(1_000_000);
  }
});

test("aws logs filter-log-events (CLI v1) pages through a group and filters, as `tail` would poll it", async () => {
  const { group, start } = await threeStreams(3);
  const s = { group, stream: await addStream(logs, group) };
  await put(
    logs,
    s,
    Array.from({ length: 30 }, (_, i) => ({ timestamp: start + 100 + i, message: `ERROR cli ${i}` })),
  );
  const out = JSON.parse(
    await awsCli(vigil.url, [
      "logs",
      "filter-log-events",
      "--log-group-name",
      group,
      "--filter-pattern",
      "ERROR",
      "--page-size",
      "7",
    ]),
  ) as { events: { message: string; logStreamName: string }[] };
  assert.deepEqual(
    out.events.map((e) => e.message),
    Array.from({ length: 30 }, (_, i) => `ERROR cli ${i}`),
  );
  // What `aws logs tail --since` does: everything from a start time, all streams interleaved.
  const since = JSON.parse(
    await awsCli(vigil.url, [
      "logs",
      "filter-log-events",
      "--log-group-name",
      group,
      "--start-time",
      String(start + 5),
      "--end-time",
      String(start + 101),
    ]),
  ) as { events: { message: string }[] };
  assert.deepEqual(
    since.events.map((e) => e.message),
    ["c1", "a2", "b2", "c2", "ERROR cli 0", "ERROR cli 1"],
  );
  assert.ok(now() - HOUR < start);
});
