/** Archives and replays: CRUD with the recorded messages, events kept by pattern, replays marked with replay-name. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteArchiveCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  EventBridgeClient,
  ListArchivesCommand,
  ListReplaysCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
  UpdateArchiveCommand,
} from "@aws-sdk/client-eventbridge";
import { SQSClient } from "@aws-sdk/client-sqs";
import { unique, type Vigil } from "../helpers/vigil.js";
import { ACCOUNT, drainQueue, newQueue, rejects, startEventsVigil } from "./helpers.js";

let vigil: Vigil;
let eb: EventBridgeClient;
let sqs: SQSClient;
before(async () => {
  vigil = await startEventsVigil();
  eb = vigil.client(EventBridgeClient);
  sqs = vigil.client(SQSClient);
});
after(() => vigil.close());

const busArn = (name: string) => `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${name}`;

test("archives: create, describe, list, update, delete; recorded errors", async () => {
  const bus = unique("bus");
  await eb.send(new CreateEventBusCommand({ Name: bus }));
  const name = unique("arch");
  const pattern = JSON.stringify({ source: ["a"] });
  const c = await eb.send(
    new CreateArchiveCommand({
      ArchiveName: name,
      EventSourceArn: busArn(bus),
      EventPattern: pattern,
      RetentionDays: 1,
      Description: "d",
    }),
  );
  assert.equal(c.ArchiveArn, `arn:aws:events:us-east-1:${ACCOUNT}:archive/${name}`);
  assert.equal(c.State, "ENABLED");
  await rejects(
    eb.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: busArn(bus) })),
    "ResourceAlreadyExistsException",
    `Archive ${name} already exists.`,
  );
  await rejects(
    eb.send(new CreateArchiveCommand({ ArchiveName: unique("a"), EventSourceArn: busArn(`${bus}-x`) })),
    "ResourceNotFoundException",
    `Event bus ${bus}-x does not exist.`,
  );
  const d = await eb.send(new DescribeArchiveCommand({ ArchiveName: name }));
  assert.deepEqual(
    [
      d.ArchiveName,
      d.EventSourceArn,
      d.EventPattern,
      d.RetentionDays,
      d.EventCount,
      d.SizeBytes,
      d.State,
      d.Description,
    ],
    [name, busArn(bus), pattern, 1, 0, 0, "ENABLED", "d"],
  );
  const l = await eb.send(new ListArchivesCommand({ EventSourceArn: busArn(bus) }));
  assert.deepEqual(
    l.Archives?.map((a) => a.ArchiveName),
    [name],
  );
  await rejects(
    eb.send(new UpdateArchiveCommand({ ArchiveName: name })),
    "ValidationException",
    "At least one of EventPattern, RetentionDays or Description must be provided.",
  );
  await eb.send(new UpdateArchiveCommand({ ArchiveName: name, RetentionDays: 3 }));
  assert.equal((await eb.send(new DescribeArchiveCommand({ ArchiveName: name }))).RetentionDays, 3);
  await eb.send(new DeleteArchiveCommand({ ArchiveName: name }));
  await rejects(
    eb.send(new DescribeArchiveCommand({ ArchiveName: name })),
    "ResourceNotFoundException",
    `Archive ${name} does not exist.`,
  );
});

test("an archive keeps matching events; a replay puts them back marked with replay-name", async () => {
  const bus = unique("bus");
  await eb.send(new CreateEventBusCommand({ Name: bus }));
  const archive = unique("arch");
  await eb.send(
    new CreateArchiveCommand({
      ArchiveName: archive,
      EventSourceArn: busArn(bus),
      EventPattern: '{"source": ["keep"]}',
    }),
  );
  const entries = [0, 1, 2].map((i) => ({
    EventBusName: bus,
    Source: "keep",
    DetailType: "t",
    Detail: JSON.stringify({ i }),
  }));
  await eb.send(
    new PutEventsCommand({
      Entries: [...entries, { EventBusName: bus, Source: "drop", DetailType: "t", Detail: "{}" }],
    }),
  );
  const d = await eb.send(new DescribeArchiveCommand({ ArchiveName: archive }));
  assert.equal(d.EventCount, 3);
  assert.ok(d.SizeBytes! > 0);

  const q = await newQueue(sqs);
  const rule = unique("rule");
  await eb.send(new PutRuleCommand({ Name: rule, EventBusName: bus, EventPattern: '{"source": ["keep"]}' }));
  await eb.send(new PutTargetsCommand({ Rule: rule, EventBusName: bus, Targets: [{ Id: "q", Arn: q.arn }] }));
  const now = vigil.server.clock.now();
  const replay = unique("rep");
  const started = await eb.send(
    new StartReplayCommand({
      ReplayName: replay,
      EventSourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:archive/${archive}`,
      EventStartTime: new Date(now - 3600_000),
      EventEndTime: new Date(now + 1000),
      Destination: { Arn: busArn(bus) },
    }),
  );
  assert.equal(started.State, "STARTING");
  const got = await drainQueue(vigil, sqs, q.url, 3);
  const events = got.map((m) => JSON.parse(m.Body!));
  assert.deepEqual(events.map((e) => e.detail.i).sort(), [0, 1, 2]);
  assert.ok(events.every((e) => e["replay-name"] === replay));
  let state = "";
  for (let i = 0; i < 50 && state !== "COMPLETED"; i++) {
    state = (await eb.send(new DescribeReplayCommand({ ReplayName: replay }))).State!;
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(state, "COMPLETED");
  assert.equal(
    (await eb.send(new DescribeArchiveCommand({ ArchiveName: archive }))).EventCount,
    3,
    "replayed events are not archived again",
  );
  const list = await eb.send(new ListReplaysCommand({ NamePrefix: replay }));
  assert.deepEqual(
    list.Replays?.map((r) => [r.ReplayName, r.State]),
    [[replay, "COMPLETED"]],
  );
  await rejects(
    eb.send(
      new StartReplayCommand({
        ReplayName: replay,
        EventSourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:archive/${archive}`,
        EventStartTime: new Date(now - 1000),
        EventEndTime: new Date(now),
        Destination: { Arn: busArn(bus) },
      }),
    ),
    "ResourceAlreadyExistsException",
    `Replay ${replay} already exists.`,
  );
});

test("StartReplay validation: unknown archive, cross-bus destination, end before start; unknown replay", async () => {
  const bus = unique("bus");
  await eb.send(new CreateEventBusCommand({ Name: bus }));
  const archive = unique("arch");
  await eb.send(new CreateArchiveCommand({ ArchiveName: archive, EventSourceArn: busArn(bus) }));
  const archiveArn = `arn:aws:events:us-east-1:${ACCOUNT}:archive/${archive}`;
  const t = vigil.server.clock.now();
  const base = {
    ReplayName: unique("r"),
    EventStartTime: new Date(t - 1000),
    EventEndTime: new Date(t),
    Destination: { Arn: busArn(bus) },
  };
  await rejects(
    eb.send(new StartReplayCommand({ ...base, EventSourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:archive/nope` })),
    "ValidationException",
    "Parameter EventSourceArn is not valid. Reason: Archive nope does not exist.",
  );
  await rejects(
    eb.send(new StartReplayCommand({ ...base, EventSourceArn: archiveArn, Destination: { Arn: busArn("default") } })),
    "ValidationException",
    "Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.",
  );
  await rejects(
    eb.send(new StartReplayCommand({ ...base, EventSourceArn: archiveArn, EventEndTime: new Date(t - 1000) })),
    "ValidationException",
    "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.",
  );
  await rejects(
    eb.send(new DescribeReplayCommand({ ReplayName: "nope" })),
    "ResourceNotFoundException",
    "Replay nope does not exist.",
  );
});
