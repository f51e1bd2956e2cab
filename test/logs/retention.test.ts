/**
 * Retention: the hourly job on the injectable clock deletes the events past a group's retention and takes their
 * bytes off storedBytes; reads never return expired events, even those the job has not deleted yet.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  PutRetentionPolicyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import type { Vigil } from "../helpers/vigil.js";
import { startLogsVigil } from "./metadata-helpers.js";
import { allEvents, DAY, HOUR, MINUTE, messages, newStream, put, T0, type Stream } from "./events-helpers.js";

let vigil: Vigil;
let logs: CloudWatchLogsClient;
before(async () => {
  vigil = await startLogsVigil({ clock: "manual", clockStart: String(T0) });
  logs = vigil.client(CloudWatchLogsClient);
});
after(() => vigil.close());

const now = () => vigil.server.clock.now();
const advance = (ms: number) => vigil.server.advance(ms / 1000);

const storedBytes = async (group: string) =>
  (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups![0]!.storedBytes;
const filtered = async (s: Stream) =>
  (await logs.send(new FilterLogEventsCommand({ logGroupName: s.group }))).events!.map((e) => e.message);

test("advancing the clock past the retention deletes the events and storedBytes drops to zero", async () => {
  const s = await newStream(logs, 1);
  const keep = await newStream(logs);
  await put(logs, s, [
    { timestamp: now() - HOUR, message: "one" },
    { timestamp: now() - HOUR + 1, message: "two" },
  ]);
  await put(logs, keep, [{ timestamp: now() - HOUR, message: "kept forever" }]);
  assert.equal(await storedBytes(s.group), 3 + 26 + 3 + 26);
  await advance(DAY - 2 * HOUR);
  assert.deepEqual(await messages(logs, s), ["one", "two"], "still inside the retention");
  await advance(2 * DAY);
  assert.deepEqual(await messages(logs, s), []);
  assert.deepEqual(await filtered(s), []);
  assert.equal(await storedBytes(s.group), 0);
  assert.deepEqual(await messages(logs, keep), ["kept forever"], "a group without retention keeps its events");
  assert.equal(await storedBytes(keep.group), "kept forever".length + 26);
});

test("events past the retention are never read, even from a chunk the job keeps for its newer events", async () => {
  const s = await newStream(logs, 1);
  const start = now() - 20 * HOUR;
  // One batch, one chunk: an event every 10 minutes for 20 hours.
  const batch = Array.from({ length: 121 }, (_, i) => ({ timestamp: start + i * 10 * MINUTE, message: `m${i}` }));
  await put(logs, s, batch);
  const bytes = await storedBytes(s.group);
  await advance(14 * HOUR + 1); // the first 61 events (up to start + 10 h) are now older than a day
  const left = batch.slice(61).map((e) => e.message);
  assert.deepEqual(await messages(logs, s), left);
  assert.deepEqual(await filtered(s), left);
  const first = (await allEvents(logs, s))[0]!;
  assert.equal(first.timestamp, start + 61 * 10 * MINUTE);
  assert.equal(await storedBytes(s.group), bytes, "the chunk still holds newer events, so it stays");
  await advance(DAY);
  assert.deepEqual(await messages(logs, s), []);
  assert.equal(await storedBytes(s.group), 0);
});

test("a retention set after ingestion applies to the events already stored", async () => {
  const s = await newStream(logs);
  await put(logs, s, [{ timestamp: now() - 2 * HOUR, message: "old" }]);
  await advance(3 * DAY);
  await put(logs, s, [{ timestamp: now() - HOUR, message: "new" }]);
  assert.deepEqual(await messages(logs, s), ["old", "new"]);
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: s.group, retentionInDays: 1 }));
  assert.deepEqual(await messages(logs, s), ["new"], "hidden at once");
  await advance(HOUR);
  assert.equal(await storedBytes(s.group), 3 + 26, "deleted at the next run");
});
