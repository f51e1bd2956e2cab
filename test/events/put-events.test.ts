/** PutEvents: per-entry errors, size limit, the envelope delivered to SQS, matching many rules, input transformation. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type Target,
} from "@aws-sdk/client-eventbridge";
import { SQSClient } from "@aws-sdk/client-sqs";
import { unique, type Vigil } from "../helpers/vigil.js";
import { ACCOUNT, drainQueue, newQueue, receiveNow, rejects, START, startEventsVigil } from "./helpers.js";

let vigil: Vigil;
let eb: EventBridgeClient;
let sqs: SQSClient;
before(async () => {
  vigil = await startEventsVigil();
  eb = vigil.client(EventBridgeClient);
  sqs = vigil.client(SQSClient);
});
after(() => vigil.close());

const DETAIL = { command: "update-account", payload: { acc_id: "0a787ecb-4015", sf_id: "baz" } };

/** A rule on `bus` matching `source`, with the given target(s) built from a fresh queue. */
async function ruleToQueue(bus: string, source: string, target: Partial<Target> = {}, fifo = false) {
  const q = await newQueue(sqs, fifo);
  const rule = unique("rule");
  await eb.send(
    new PutRuleCommand({ Name: rule, EventBusName: bus, EventPattern: JSON.stringify({ source: [source] }) }),
  );
  await eb.send(
    new PutTargetsCommand({ Rule: rule, EventBusName: bus, Targets: [{ Id: "q", Arn: q.arn, ...target }] }),
  );
  return { q, rule };
}

test("per-entry errors are answered with AWS's codes and messages; good entries get EventIds", async () => {
  const res = await eb.send(
    new PutEventsCommand({
      Entries: [
        { DetailType: "t", Detail: "{}" },
        { Source: "s", Detail: "{}" },
        { Source: "s", DetailType: "t" },
        { Source: "s", DetailType: "t", Detail: '"a string"' },
        { Source: "s", DetailType: "t", Detail: "[1]" },
        { Source: "s", DetailType: "t", Detail: "{not json" },
        { Source: "s", DetailType: "t", Detail: '{"a":' + "[".repeat(50_000) + "]".repeat(50_000) + "}" },
        { Source: "s", DetailType: "t", Detail: "{}" },
      ],
    }),
  );
  assert.equal(res.FailedEntryCount, 7);
  const e = res.Entries!;
  assert.deepEqual(e[0], {
    ErrorCode: "InvalidArgument",
    ErrorMessage: "Parameter Source is not valid. Reason: Source is a required argument.",
  });
  assert.deepEqual(e[1], {
    ErrorCode: "InvalidArgument",
    ErrorMessage: "Parameter DetailType is not valid. Reason: DetailType is a required argument.",
  });
  assert.deepEqual(e[2], {
    ErrorCode: "InvalidArgument",
    ErrorMessage: "Parameter Detail is not valid. Reason: Detail is a required argument.",
  });
  // A string, a list, JSON that does not parse, and nesting too deep to deliver.
  for (const i of [3, 4, 5, 6])
    assert.deepEqual(e[i], { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." });
  assert.match(e[7]!.EventId!, /^[0-9a-f-]{36}$/);
});

test("entries over 256 KB in all are refused", async () => {
  const big = JSON.stringify({ x: "a".repeat(262_144) });
  await rejects(
    eb.send(new PutEventsCommand({ Entries: [{ Source: "s", DetailType: "t", Detail: big }] })),
    "ValidationException",
    "Total size of the entries in the request is over the limit.",
  );
});

test("a matching event reaches the queue in the documented envelope; other sources do not", async () => {
  const bus = unique("bus");
  await eb.send(new CreateEventBusCommand({ Name: bus }));
  const source = unique("src");
  const { q } = await ruleToQueue(bus, source);
  const res = await eb.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: bus,
          Source: source,
          DetailType: "core.update-account-command",
          Detail: JSON.stringify(DETAIL),
          Resources: ["arn:x"],
        },
        { EventBusName: bus, Source: "other", DetailType: "t", Detail: "{}" },
      ],
    }),
  );
  assert.equal(res.FailedEntryCount, 0);
  const [m] = await drainQueue(vigil, sqs, q.url);
  assert.deepEqual(JSON.parse(m!.Body!), {
    version: "0",
    id: res.Entries![0]!.EventId,
    "detail-type": "core.update-account-command",
    source,
    account: ACCOUNT,
    time: new Date(START).toISOString().replace(".000Z", "Z"),
    region: "us-east-1",
    resources: ["arn:x"],
    detail: DETAIL,
  });
  assert.deepEqual(await receiveNow(sqs, q.url), []);
});

test("Time is kept to the second; the default bus is used without EventBusName", async () => {
  const source = unique("src");
  const { q } = await ruleToQueue("default", source);
  await eb.send(
    new PutEventsCommand({
      Entries: [{ Source: source, DetailType: "t", Detail: "{}", Time: new Date("2026-02-01T01:02:03.456Z") }],
    }),
  );
  const [m] = await drainQueue(vigil, sqs, q.url);
  assert.equal(JSON.parse(m!.Body!).time, "2026-02-01T01:02:03Z");
});

test("one event matching two rules reaches both targets; a disabled rule does not fire", async () => {
  const bus = unique("bus");
  await eb.send(new CreateEventBusCommand({ Name: bus }));
  const source = unique("src");
  const a = await ruleToQueue(bus, source);
  const b = await ruleToQueue(bus, source);
  const c = await ruleToQueue(bus, source);
  await eb.send(
    new PutRuleCommand({
      Name: c.rule,
      EventBusName: bus,
      EventPattern: JSON.stringify({ source: [source] }),
      State: "DISABLED",
    }),
  );
  await eb.send(
    new PutEventsCommand({ Entries: [{ EventBusName: bus, Source: source, DetailType: "t", Detail: "{}" }] }),
  );
  assert.equal((await drainQueue(vigil, sqs, a.q.url)).length, 1);
  assert.equal((await drainQueue(vigil, sqs, b.q.url)).length, 1);
  assert.deepEqual(await receiveNow(sqs, c.q.url), []);
});

test("Input, InputPath and InputTransformer shape what the target receives (recorded cases)", async () => {
  const bus = unique("bus");
  await eb.send(new CreateEventBusCommand({ Name: bus }));
  const cases: [Partial<Target>, (body: string, ruleArn: string, ruleName: string) => void][] = [
    [{ Input: '{"constant": 1}' }, (b) => assert.deepEqual(JSON.parse(b), { constant: 1 })],
    [{ InputPath: "$.detail" }, (b) => assert.deepEqual(JSON.parse(b), DETAIL)],
    [{ InputPath: "$.detail.payload.sf_id" }, (b) => assert.equal(b, '"baz"')],
    [
      {
        InputTransformer: {
          InputPathsMap: { "detail-type": "$.detail-type", command: "$.detail.command" },
          InputTemplate: '"Event of <detail-type> type, command <command>"',
        },
      },
      (b) => assert.equal(b, '"Event of core.update-account-command type, command update-account"'),
    ],
    [
      {
        InputTransformer: {
          InputPathsMap: { userId: "$.detail.payload.acc_id", payload: "$.detail.payload" },
          InputTemplate: '{"method": "PUT", "path": "users-service/users/<userId>", "id": <userId>, "body": <payload>}',
        },
      },
      (b) =>
        assert.deepEqual(JSON.parse(b), {
          method: "PUT",
          path: "users-service/users/0a787ecb-4015",
          id: "0a787ecb-4015",
          body: DETAIL.payload,
        }),
    ],
    [
      {
        InputTransformer: {
          InputPathsMap: { payload: "$.detail.payload", missing: "$.detail.nothing" },
          InputTemplate: '"Payload of <payload> and <missing>."',
        },
      },
      (b) => assert.equal(b, '"Payload of {acc_id:0a787ecb-4015,sf_id:baz} and ."'),
    ],
    [
      { InputTransformer: { InputTemplate: '"<aws.events.rule-arn> <aws.events.rule-name>"' } },
      (b, arn, name) => assert.equal(b, `"${arn} ${name}"`),
    ],
    [
      { InputTransformer: { InputTemplate: '{"e": <aws.events.event.json>}' } },
      (b) => assert.deepEqual(JSON.parse(b).e.detail, DETAIL),
    ],
  ];
  const source = unique("src");
  const queues = [];
  for (const [target] of cases) queues.push(await ruleToQueue(bus, source, target));
  await eb.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: bus,
          Source: source,
          DetailType: "core.update-account-command",
          Detail: JSON.stringify(DETAIL),
        },
      ],
    }),
  );
  for (let i = 0; i < cases.length; i++) {
    const { q, rule } = queues[i]!;
    const [m] = await drainQueue(vigil, sqs, q.url);
    assert.ok(m, `case ${i} delivered`);
    cases[i]![1](m.Body!, `arn:aws:events:us-east-1:${ACCOUNT}:rule/${bus}/${rule}`, rule);
  }
});

test("a FIFO queue target receives the event in the target's message group", async () => {
  const source = unique("src");
  const { q } = await ruleToQueue("default", source, { SqsParameters: { MessageGroupId: "g1" } }, true);
  await eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: "t", Detail: "{}" }] }));
  const [m] = await drainQueue(vigil, sqs, q.url);
  assert.equal(JSON.parse(m!.Body!).source, source);
});
