/** Event buses: create, describe, list (prefix, pagination), update, delete, the implicit default bus, tags. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateEventBusCommand,
} from "@aws-sdk/client-eventbridge";
import { unique, type Vigil } from "../helpers/vigil.js";
import { ACCOUNT, rejects, startEventsVigil } from "./helpers.js";

let vigil: Vigil;
let eb: EventBridgeClient;
before(async () => {
  vigil = await startEventsVigil();
  eb = vigil.client(EventBridgeClient);
});
after(() => vigil.close());

test("create, describe, list and delete a custom bus", async () => {
  const name = unique("bus");
  const created = await eb.send(new CreateEventBusCommand({ Name: name, Description: "test bus" }));
  assert.equal(created.EventBusArn, `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${name}`);
  assert.equal(created.Description, "test bus");
  const d = await eb.send(new DescribeEventBusCommand({ Name: name }));
  assert.equal(d.Name, name);
  assert.equal(d.Arn, created.EventBusArn);
  assert.equal(d.Description, "test bus");
  assert.ok(d.CreationTime instanceof Date && d.LastModifiedTime instanceof Date);
  const byArn = await eb.send(new DescribeEventBusCommand({ Name: created.EventBusArn }));
  assert.equal(byArn.Name, name);
  const list = await eb.send(new ListEventBusesCommand({ NamePrefix: name }));
  assert.deepEqual(
    list.EventBuses?.map((b) => [b.Name, b.Arn, b.Description]),
    [[name, created.EventBusArn, "test bus"]],
  );
  await eb.send(new DeleteEventBusCommand({ Name: name }));
  assert.deepEqual((await eb.send(new ListEventBusesCommand({ NamePrefix: name }))).EventBuses, []);
  await rejects(
    eb.send(new DescribeEventBusCommand({ Name: name })),
    "ResourceNotFoundException",
    `Event bus ${name} does not exist.`,
  );
  await rejects(
    eb.send(new DeleteEventBusCommand({ Name: name })),
    "ResourceNotFoundException",
    `Event bus ${name} does not exist.`,
  );
});

test("a bus name is unique; the default bus exists, is listed and cannot be deleted", async () => {
  const name = unique("bus");
  await eb.send(new CreateEventBusCommand({ Name: name }));
  await rejects(
    eb.send(new CreateEventBusCommand({ Name: name })),
    "ResourceAlreadyExistsException",
    `Event bus ${name} already exists.`,
  );
  await rejects(
    eb.send(new CreateEventBusCommand({ Name: "default" })),
    "ResourceAlreadyExistsException",
    "Event bus default already exists.",
  );
  const d = await eb.send(new DescribeEventBusCommand({}));
  assert.equal(d.Name, "default");
  assert.equal(d.Arn, `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`);
  await vigil.server.advance(60);
  const again = await eb.send(new DescribeEventBusCommand({ Name: "default" }));
  assert.equal(again.CreationTime?.getTime(), d.CreationTime?.getTime(), "the default bus keeps its CreationTime");
  const list = await eb.send(new ListEventBusesCommand({ NamePrefix: "def" }));
  assert.deepEqual(
    list.EventBuses?.map((b) => b.Name),
    ["default"],
  );
  await rejects(
    eb.send(new DeleteEventBusCommand({ Name: "default" })),
    "ValidationException",
    "Cannot delete event bus default.",
  );
});

test("ListEventBuses pages with Limit and NextToken", async () => {
  const prefix = unique("page");
  for (let i = 0; i < 6; i++) await eb.send(new CreateEventBusCommand({ Name: `${prefix}-${i}` }));
  const first = await eb.send(new ListEventBusesCommand({ NamePrefix: prefix, Limit: 3 }));
  assert.deepEqual(
    first.EventBuses?.map((b) => b.Name),
    [0, 1, 2].map((i) => `${prefix}-${i}`),
  );
  assert.ok(first.NextToken);
  const second = await eb.send(new ListEventBusesCommand({ NamePrefix: prefix, Limit: 3, NextToken: first.NextToken }));
  assert.deepEqual(
    second.EventBuses?.map((b) => b.Name),
    [3, 4, 5].map((i) => `${prefix}-${i}`),
  );
  assert.equal(second.NextToken, undefined);
});

test("UpdateEventBus changes the description", async () => {
  const name = unique("bus");
  await eb.send(new CreateEventBusCommand({ Name: name, Description: "a" }));
  const u = await eb.send(new UpdateEventBusCommand({ Name: name, Description: "b" }));
  assert.equal(u.Description, "b");
  assert.equal((await eb.send(new DescribeEventBusCommand({ Name: name }))).Description, "b");
});

test("tags on buses (custom and default): tag, list, untag; unknown buses answer ResourceNotFoundException", async () => {
  const name = unique("bus");
  const { EventBusArn } = await eb.send(
    new CreateEventBusCommand({ Name: name, Tags: [{ Key: "tag1", Value: "value1" }] }),
  );
  for (const arn of [EventBusArn!, `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`]) {
    await eb.send(
      new TagResourceCommand({
        ResourceARN: arn,
        Tags: [
          { Key: "tag1", Value: "value1" },
          { Key: "tag2", Value: "value2" },
        ],
      }),
    );
    const tags = await eb.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
    assert.deepEqual(tags.Tags, [
      { Key: "tag1", Value: "value1" },
      { Key: "tag2", Value: "value2" },
    ]);
    await eb.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ["tag2", "absent"] }));
    assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, [
      { Key: "tag1", Value: "value1" },
    ]);
  }
  const missing = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${name}-x`;
  await rejects(
    eb.send(new ListTagsForResourceCommand({ ResourceARN: missing })),
    "ResourceNotFoundException",
    `Event bus ${name}-x does not exist.`,
  );
});
