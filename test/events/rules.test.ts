/** Rules and targets: PutRule, DescribeRule, ListRules, Enable/DisableRule, DeleteRule, PutTargets and friends. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CreateEventBusCommand,
  DeleteRuleCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TestEventPatternCommand,
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

const PATTERN = JSON.stringify({
  source: ["core.update-account-command"],
  "detail-type": ["core.update-account-command"],
});

test("PutRule on the default bus, then describe, list, disable, enable, delete", async () => {
  const name = unique("rule");
  const put = await eb.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN, Description: "d" }));
  const arn = `arn:aws:events:us-east-1:${ACCOUNT}:rule/${name}`;
  assert.equal(put.RuleArn, arn);
  const d = await eb.send(new DescribeRuleCommand({ Name: name }));
  assert.deepEqual(
    {
      Name: d.Name,
      Arn: d.Arn,
      EventPattern: d.EventPattern,
      State: d.State,
      Description: d.Description,
      EventBusName: d.EventBusName,
      CreatedBy: d.CreatedBy,
    },
    {
      Name: name,
      Arn: arn,
      EventPattern: PATTERN,
      State: "ENABLED",
      Description: "d",
      EventBusName: "default",
      CreatedBy: ACCOUNT,
    },
  );
  const list = await eb.send(new ListRulesCommand({ NamePrefix: name }));
  assert.deepEqual(
    list.Rules?.map((r) => [r.Name, r.Arn, r.State, r.EventBusName]),
    [[name, arn, "ENABLED", "default"]],
  );
  await eb.send(new DisableRuleCommand({ Name: name }));
  assert.equal((await eb.send(new DescribeRuleCommand({ Name: name }))).State, "DISABLED");
  await eb.send(new EnableRuleCommand({ Name: name }));
  assert.equal((await eb.send(new DescribeRuleCommand({ Name: name }))).State, "ENABLED");
  await eb.send(new DeleteRuleCommand({ Name: name }));
  assert.deepEqual((await eb.send(new ListRulesCommand({ NamePrefix: name }))).Rules, []);
  await rejects(
    eb.send(new DescribeRuleCommand({ Name: name })),
    "ResourceNotFoundException",
    `Rule ${name} does not exist on EventBus default.`,
  );
});

test("a rule on a custom bus has the bus in its ARN; re-putting replaces it; ListRules pages", async () => {
  const bus = unique("bus");
  await eb.send(new CreateEventBusCommand({ Name: bus }));
  const prefix = unique("r");
  for (let i = 0; i < 5; i++) {
    const r = await eb.send(new PutRuleCommand({ Name: `${prefix}-${i}`, EventBusName: bus, EventPattern: PATTERN }));
    assert.equal(r.RuleArn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/${bus}/${prefix}-${i}`);
  }
  await eb.send(
    new PutRuleCommand({ Name: `${prefix}-0`, EventBusName: bus, EventPattern: PATTERN, State: "DISABLED" }),
  );
  const p1 = await eb.send(new ListRulesCommand({ EventBusName: bus, NamePrefix: prefix, Limit: 3 }));
  assert.deepEqual(
    p1.Rules?.map((r) => r.Name),
    [0, 1, 2].map((i) => `${prefix}-${i}`),
  );
  assert.equal(p1.Rules?.[0]?.State, "DISABLED");
  const p2 = await eb.send(
    new ListRulesCommand({ EventBusName: bus, NamePrefix: prefix, Limit: 3, NextToken: p1.NextToken }),
  );
  assert.deepEqual(
    p2.Rules?.map((r) => r.Name),
    [3, 4].map((i) => `${prefix}-${i}`),
  );
  assert.equal(p2.NextToken, undefined);
  await rejects(
    eb.send(new DescribeRuleCommand({ Name: "nope", EventBusName: bus })),
    "ResourceNotFoundException",
    `Rule nope does not exist on EventBus ${bus}.`,
  );
  await rejects(
    eb.send(new PutRuleCommand({ Name: "x", EventBusName: `${bus}-missing`, EventPattern: PATTERN })),
    "ResourceNotFoundException",
    `Event bus ${bus}-missing does not exist.`,
  );
});

test("PutRule validation: pattern or schedule required, invalid patterns and schedules", async () => {
  await rejects(
    eb.send(new PutRuleCommand({ Name: unique("r") })),
    "ValidationException",
    "Parameter(s) EventPattern or ScheduleExpression must be specified.",
  );
  await rejects(
    eb.send(new PutRuleCommand({ Name: unique("r"), ScheduleExpression: "rate(1 minutes)" })),
    "ValidationException",
    "Parameter ScheduleExpression is not valid.",
  );
  await rejects(
    eb.send(new PutRuleCommand({ Name: unique("r"), ScheduleExpression: "cron(0 12 * * * *)" })),
    "ValidationException",
    "Parameter ScheduleExpression is not valid.",
  );
  const err = await rejects(
    eb.send(new PutRuleCommand({ Name: unique("r"), EventPattern: '{"source": "aws.ec2"}' })),
    "InvalidEventPatternException",
    /./,
  );
  assert.ok(err.message.length > 0);
  const bus = unique("bus");
  await eb.send(new CreateEventBusCommand({ Name: bus }));
  await rejects(
    eb.send(new PutRuleCommand({ Name: unique("r"), EventBusName: bus, ScheduleExpression: "rate(5 minutes)" })),
    "ValidationException",
    "ScheduleExpression is supported only on the default event bus.",
  );
});

test("targets: put, list (pages), replace by Id, remove; at most 5 per rule; DeleteRule needs Force", async () => {
  const rule = unique("rule");
  await eb.send(new PutRuleCommand({ Name: rule, EventPattern: PATTERN, Tags: [{ Key: "k", Value: "v" }] }));
  const arn = `arn:aws:sqs:us-east-1:${ACCOUNT}:${unique("q")}`;
  const put = await eb.send(
    new PutTargetsCommand({ Rule: rule, Targets: [0, 1, 2, 3, 4].map((i) => ({ Id: `t${i}`, Arn: arn })) }),
  );
  assert.deepEqual([put.FailedEntryCount, put.FailedEntries], [0, []]);
  const p1 = await eb.send(new ListTargetsByRuleCommand({ Rule: rule, Limit: 3 }));
  assert.deepEqual(
    p1.Targets,
    [0, 1, 2].map((i) => ({ Id: `t${i}`, Arn: arn })),
  );
  const p2 = await eb.send(new ListTargetsByRuleCommand({ Rule: rule, Limit: 3, NextToken: p1.NextToken }));
  assert.deepEqual(
    p2.Targets?.map((t) => t.Id),
    ["t3", "t4"],
  );
  await rejects(
    eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: "t5", Arn: arn }] })),
    "LimitExceededException",
    "The requested resource exceeds the maximum number allowed.",
  );
  await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: "t0", Arn: arn, InputPath: "$.detail" }] }));
  assert.deepEqual((await eb.send(new ListTargetsByRuleCommand({ Rule: rule }))).Targets?.[0], {
    Id: "t0",
    Arn: arn,
    InputPath: "$.detail",
  });
  assert.deepEqual((await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: arn }))).RuleNames, [rule]);
  await rejects(
    eb.send(new DeleteRuleCommand({ Name: rule })),
    "ValidationException",
    "Rule can't be deleted since it has targets.",
  );
  const removed = await eb.send(new RemoveTargetsCommand({ Rule: rule, Ids: ["t1", "t2"] }));
  assert.equal(removed.FailedEntryCount, 0);
  assert.deepEqual(
    (await eb.send(new ListTargetsByRuleCommand({ Rule: rule }))).Targets?.map((t) => t.Id),
    ["t0", "t3", "t4"],
  );
  const tags = await eb.send(
    new ListTagsForResourceCommand({ ResourceARN: `arn:aws:events:us-east-1:${ACCOUNT}:rule/${rule}` }),
  );
  assert.deepEqual(tags.Tags, [{ Key: "k", Value: "v" }]);
  await eb.send(new DeleteRuleCommand({ Name: rule, Force: true }));
  assert.deepEqual((await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: arn }))).RuleNames, []);
  await rejects(
    eb.send(new ListTargetsByRuleCommand({ Rule: rule })),
    "ResourceNotFoundException",
    `Rule ${rule} does not exist on EventBus default.`,
  );
});

test("PutTargets validation: target ids, one input member, template placeholders, FIFO queues", async () => {
  const rule = unique("rule");
  await eb.send(new PutRuleCommand({ Name: rule, EventPattern: PATTERN }));
  await rejects(
    eb.send(
      new PutTargetsCommand({ Rule: rule, Targets: [{ Id: "!@#$@!#$", Arn: "arn:aws:sqs:us-east-1:000000000000:q" }] }),
    ),
    "ValidationException",
    "1 validation error detected: Value '!@#$@!#$' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
  );
  await rejects(
    eb.send(
      new PutTargetsCommand({ Rule: rule, Targets: [{ Id: "t", Arn: "a", InputPath: "$.detail", Input: "{}" }] }),
    ),
    "ValidationException",
    "Only one of Input, InputPath, or InputTransformer must be provided for target t.",
  );
  await rejects(
    eb.send(
      new PutTargetsCommand({
        Rule: rule,
        Targets: [
          {
            Id: "t",
            Arn: "a",
            InputTransformer: { InputPathsMap: { a: "$.detail" }, InputTemplate: '{"x": <notdefinedkey>}' },
          },
        ],
      }),
    ),
    "ValidationException",
    "InputTemplate for target t contains invalid placeholder notdefinedkey.",
  );
  await rejects(
    eb.send(
      new PutTargetsCommand({ Rule: rule, Targets: [{ Id: "t", Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:q.fifo` }] }),
    ),
    "ValidationException",
    "Parameter(s) SqsParameters must be specified for target: t.",
  );
});

test("TestEventPattern answers whether the event matches", async () => {
  const event = JSON.stringify({
    id: "1",
    account: ACCOUNT,
    source: "core.update-account-command",
    time: "2026-03-01T10:00:00Z",
    region: "us-east-1",
    "detail-type": "core.update-account-command",
    resources: [],
    detail: {},
  });
  assert.equal((await eb.send(new TestEventPatternCommand({ EventPattern: PATTERN, Event: event }))).Result, true);
  const other = JSON.stringify({ ...JSON.parse(event), source: "other" });
  assert.equal((await eb.send(new TestEventPatternCommand({ EventPattern: PATTERN, Event: other }))).Result, false);
});
