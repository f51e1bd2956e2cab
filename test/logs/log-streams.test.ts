/** Log streams: CreateLogStream, DeleteLogStream, DescribeLogStreams. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogStreamCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutLogGroupDeletionProtectionCommand,
  type DescribeLogStreamsCommandInput,
} from "@aws-sdk/client-cloudwatch-logs";
import { logs as logsService } from "../../src/services/logs/index.js";
import { awsCli, unique, type Vigil } from "../helpers/vigil.js";
import { accountKey, newGroup, rejects, startLogsVigil } from "./metadata-helpers.js";

const START = Date.parse("2026-03-01T10:00:00Z");
const ACCOUNT = "000000000000";
const eventsImplemented = Boolean(logsService.handlers.PutLogEvents);

let vigil: Vigil;
let logs: CloudWatchLogsClient;
before(async () => {
  vigil = await startLogsVigil({ clock: "manual", clockStart: new Date(START).toISOString() });
  logs = vigil.client(CloudWatchLogsClient);
});
after(() => vigil.close());

const describe = (input: DescribeLogStreamsCommandInput, client = logs) =>
  client.send(new DescribeLogStreamsCommand(input));
const streamNames = async (input: DescribeLogStreamsCommandInput) =>
  (await describe(input)).logStreams!.map((s) => s.logStreamName);
const createStream = (group: string, stream: string) =>
  logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));

test("a new stream is described as AWS answers it: no event fields, storedBytes 0", async () => {
  const group = await newGroup(logs);
  await createStream(group, "app/1");
  assert.deepEqual((await describe({ logGroupName: group })).logStreams, [
    {
      logStreamName: "app/1",
      creationTime: START,
      arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${group}:log-stream:app/1`,
      storedBytes: 0,
    },
  ]);
});

test("creating a stream twice, or in a missing group, fails with AWS's messages", async () => {
  const group = await newGroup(logs);
  await createStream(group, "s");
  await rejects(createStream(group, "s"), "ResourceAlreadyExistsException", "The specified log stream already exists");
  await rejects(
    createStream(`${group}-missing`, "s"),
    "ResourceNotFoundException",
    "The specified log group does not exist.",
  );
  await rejects(
    createStream(group, "a:b"),
    "InvalidParameterException",
    "1 validation error detected: Value 'a:b' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*",
  );
  await rejects(
    createStream(group, "s".repeat(513)),
    "InvalidParameterException",
    "Invalid LogGroup or LogStream, both must have length less than or equal to 512.",
  );
  const other = await newGroup(logs);
  await createStream(other, "s");
});

test("DeleteLogStream removes the stream; missing streams and groups are named in the error", async () => {
  const group = await newGroup(logs);
  await createStream(group, "keep");
  await createStream(group, "drop");
  await logs.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: "drop" }));
  assert.deepEqual(await streamNames({ logGroupName: group }), ["keep"]);
  await rejects(
    logs.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: "drop" })),
    "ResourceNotFoundException",
    "The specified log stream does not exist.",
  );
  await rejects(
    logs.send(new DeleteLogStreamCommand({ logGroupName: `${group}-missing`, logStreamName: "keep" })),
    "ResourceNotFoundException",
    "The specified log group does not exist.",
  );
});

test("deletion protection of the group blocks DeleteLogStream", async () => {
  const group = await newGroup(logs);
  await createStream(group, "s");
  await logs.send(
    new PutLogGroupDeletionProtectionCommand({ logGroupIdentifier: group, deletionProtectionEnabled: true }),
  );
  await rejects(
    logs.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: "s" })),
    "ValidationException",
    /deletion protection enabled/,
  );
  await logs.send(
    new PutLogGroupDeletionProtectionCommand({ logGroupIdentifier: group, deletionProtectionEnabled: false }),
  );
  await logs.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: "s" }));
});

test("the group is named by logGroupName or logGroupIdentifier (name or ARN), never both", async () => {
  const group = await newGroup(logs);
  await createStream(group, "s");
  const arn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${group}`;
  assert.deepEqual(await streamNames({ logGroupIdentifier: group }), ["s"]);
  assert.deepEqual(await streamNames({ logGroupIdentifier: arn }), ["s"]);
  await rejects(
    describe({ logGroupName: group, logGroupIdentifier: arn }),
    "ValidationException",
    "LogGroup name and LogGroup ARN are mutually exclusive parameters.",
  );
  await rejects(describe({}), "InvalidParameterException", "Either LogGroup name or LogGroup ARN must be specified.");
  for (const missing of [
    { logGroupName: `${group}-missing` },
    { logGroupIdentifier: `${arn}-missing` },
    { logGroupIdentifier: `arn:aws:logs:us-east-1:111122223333:log-group:${group}` },
    { logGroupIdentifier: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${group}` },
  ]) {
    await rejects(describe(missing), "ResourceNotFoundException", "The specified log group does not exist.");
  }
  const stranger = vigil.client(CloudWatchLogsClient, accountKey("333333333333"));
  await rejects(
    describe({ logGroupName: group }, stranger),
    "ResourceNotFoundException",
    "The specified log group does not exist.",
  );
});

test("by name: ASCII order, prefix, descending, pages bound to their query", async () => {
  const group = await newGroup(logs);
  const all = ["b/2", "a", "b/1", "B", "b/10", "c", "é", "a b"];
  for (const s of all) await createStream(group, s);
  const sorted = [...all].sort();
  assert.deepEqual(await streamNames({ logGroupName: group }), sorted);
  assert.deepEqual(await streamNames({ logGroupName: group, descending: true }), [...sorted].reverse());
  assert.deepEqual(await streamNames({ logGroupName: group, logStreamNamePrefix: "b/" }), ["b/1", "b/10", "b/2"]);
  assert.deepEqual(await streamNames({ logGroupName: group, logStreamNamePrefix: "b/", descending: true }), [
    "b/2",
    "b/10",
    "b/1",
  ]);

  const walk = async (input: DescribeLogStreamsCommandInput) => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await describe({ ...input, limit: 3, nextToken });
      seen.push(...page.logStreams!.map((s) => s.logStreamName!));
      nextToken = page.nextToken;
    } while (nextToken);
    return seen;
  };
  assert.deepEqual(await walk({ logGroupName: group }), sorted);
  assert.deepEqual(await walk({ logGroupIdentifier: group, descending: true }), [...sorted].reverse());

  const first = await describe({ logGroupName: group, limit: 2 });
  for (const other of [{ descending: true }, { logStreamNamePrefix: "b" }, { orderBy: "LastEventTime" as const }]) {
    await rejects(
      describe({ logGroupName: group, ...other, nextToken: first.nextToken }),
      "InvalidParameterException",
      "The specified nextToken is invalid.",
    );
  }
  const otherGroup = await newGroup(logs);
  await rejects(
    describe({ logGroupName: otherGroup, nextToken: first.nextToken }),
    "InvalidParameterException",
    "The specified nextToken is invalid.",
  );
  await rejects(
    describe({ logGroupName: group, limit: 0 }),
    "InvalidParameterException",
    "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
});

test("orderBy LastEventTime cannot take a prefix; streams without events come first", async () => {
  const group = await newGroup(logs);
  for (const s of ["y", "x"]) await createStream(group, s);
  await rejects(
    describe({ logGroupName: group, orderBy: "LastEventTime", logStreamNamePrefix: "x" }),
    "InvalidParameterException",
    "Cannot order by LastEventTime with a logStreamNamePrefix.",
  );
  assert.deepEqual(await streamNames({ logGroupName: group, orderBy: "LastEventTime" }), ["x", "y"]);
  assert.deepEqual(await streamNames({ logGroupName: group, orderBy: "LastEventTime", descending: true }), ["y", "x"]);
});

test(
  "with events: event times, ingestion time and an upload sequence token; LastEventTime order",
  { skip: !eventsImplemented && "PutLogEvents lands with the events issue" },
  async () => {
    const group = await newGroup(logs);
    for (const s of ["early", "late", "empty"]) await createStream(group, s);
    const put = (stream: string, ...ts: number[]) =>
      logs.send(
        new PutLogEventsCommand({
          logGroupName: group,
          logStreamName: stream,
          logEvents: ts.map((timestamp) => ({ timestamp, message: `at ${timestamp}` })),
        }),
      );
    await put("late", START - 5000, START - 1000);
    await put("early", START - 9000);
    const streams = (await describe({ logGroupName: group, orderBy: "LastEventTime", descending: true })).logStreams!;
    assert.deepEqual(
      streams.map((s) => s.logStreamName),
      ["late", "early", "empty"],
    );
    const late = streams[0]!;
    assert.equal(late.firstEventTimestamp, START - 5000);
    assert.equal(late.lastEventTimestamp, START - 1000);
    assert.equal(late.lastIngestionTime, START);
    assert.match(late.uploadSequenceToken!, /^\d{56}$/);
    assert.equal(late.storedBytes, 0, "deprecated for streams: always 0");
    assert.equal(streams[2]!.uploadSequenceToken, undefined);
  },
);

test(
  "DeleteLogStream deletes the stream's events",
  { skip: !eventsImplemented && "PutLogEvents lands with the events issue" },
  async () => {
    const group = await newGroup(logs);
    await createStream(group, "s");
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: "s",
        logEvents: [{ timestamp: START - 1000, message: "gone with the stream" }],
      }),
    );
    await logs.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: "s" }));
    await createStream(group, "s");
    const res = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: "s", startFromHead: true }),
    );
    assert.deepEqual(res.events, []);
  },
);

test("aws logs create-log-stream / describe-log-streams (CLI v1)", async () => {
  const group = unique("/vigil/streams/cli");
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await awsCli(vigil.url, ["logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", "cli"]);
  const out = JSON.parse(await awsCli(vigil.url, ["logs", "describe-log-streams", "--log-group-name", group])) as {
    logStreams: Record<string, unknown>[];
  };
  assert.deepEqual(out.logStreams, [
    {
      logStreamName: "cli",
      creationTime: START,
      arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${group}:log-stream:cli`,
      storedBytes: 0,
    },
  ]);
});
