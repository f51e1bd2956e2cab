/**
 * Bus resource policies: PutPermission statements as recorded (Principal account root or "*", events:PutEvents, the
 * bus ARN), RemovePermission by Sid or all, DescribeEventBus's Policy, and enforcement for another account's
 * PutEvents. Also the AWS/Events metrics handed to CloudWatch.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemovePermissionCommand,
} from "@aws-sdk/client-eventbridge";
import { SQSClient } from "@aws-sdk/client-sqs";
import { internal, type MetricDatumInput } from "../../src/services/internal.js";
import { flushEventsMetrics } from "../../src/services/events/metrics.js";
import { unique, type Vigil } from "../helpers/vigil.js";
import { accountKey, ACCOUNT, drainQueue, newQueue, rejects, startEventsVigil } from "./helpers.js";

let vigil: Vigil;
let eb: EventBridgeClient;
before(async () => {
  vigil = await startEventsVigil();
  eb = vigil.client(EventBridgeClient);
});
after(() => vigil.close());

const OTHER = "222222222222";

test("PutPermission builds the recorded statements; RemovePermission removes one or all", async () => {
  const bus = unique("bus");
  const { EventBusArn } = await eb.send(new CreateEventBusCommand({ Name: bus }));
  await eb.send(
    new PutPermissionCommand({ EventBusName: bus, Action: "events:PutEvents", Principal: OTHER, StatementId: "s1" }),
  );
  await eb.send(
    new PutPermissionCommand({ EventBusName: bus, Action: "events:PutEvents", Principal: "*", StatementId: "s2" }),
  );
  const d = await eb.send(new DescribeEventBusCommand({ Name: bus }));
  assert.deepEqual(JSON.parse(d.Policy!), {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "s1",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
        Action: "events:PutEvents",
        Resource: EventBusArn,
      },
      { Sid: "s2", Effect: "Allow", Principal: "*", Action: "events:PutEvents", Resource: EventBusArn },
    ],
  });
  await eb.send(new RemovePermissionCommand({ EventBusName: bus, StatementId: "s2" }));
  assert.deepEqual(
    JSON.parse((await eb.send(new DescribeEventBusCommand({ Name: bus }))).Policy!).Statement.map(
      (s: { Sid: string }) => s.Sid,
    ),
    ["s1"],
  );
  await rejects(
    eb.send(new RemovePermissionCommand({ EventBusName: bus, StatementId: "nope" })),
    "ResourceNotFoundException",
    "Statement with the provided id does not exist.",
  );
  await eb.send(new RemovePermissionCommand({ EventBusName: bus, RemoveAllPermissions: true }));
  assert.equal((await eb.send(new DescribeEventBusCommand({ Name: bus }))).Policy, undefined);
  await rejects(
    eb.send(
      new PutPermissionCommand({
        EventBusName: `${bus}-x`,
        Action: "events:PutEvents",
        Principal: OTHER,
        StatementId: "s",
      }),
    ),
    "ResourceNotFoundException",
    `Event bus ${bus}-x does not exist.`,
  );
});

test("another account's PutEvents to the bus is refused per entry until the policy allows it", async () => {
  const bus = unique("bus");
  const { EventBusArn } = await eb.send(new CreateEventBusCommand({ Name: bus }));
  const sqs = vigil.client(SQSClient);
  const q = await newQueue(sqs);
  const source = unique("src");
  await eb.send(
    new PutRuleCommand({ Name: unique("r"), EventBusName: bus, EventPattern: JSON.stringify({ source: [source] }) }),
  );
  const rules = await eb.send(
    new PutRuleCommand({ Name: unique("r"), EventBusName: bus, EventPattern: JSON.stringify({ source: [source] }) }),
  );
  await eb.send(
    new PutTargetsCommand({
      Rule: rules.RuleArn!.split("/").pop()!,
      EventBusName: bus,
      Targets: [{ Id: "q", Arn: q.arn }],
    }),
  );
  const other = vigil.client(EventBridgeClient, accountKey(OTHER));
  const entry = { EventBusName: EventBusArn, Source: source, DetailType: "t", Detail: "{}" };
  const denied = await other.send(new PutEventsCommand({ Entries: [entry] }));
  assert.equal(denied.FailedEntryCount, 1);
  assert.equal(denied.Entries![0]!.ErrorCode, "AccessDeniedException");
  await eb.send(
    new PutPermissionCommand({ EventBusName: bus, Action: "events:PutEvents", Principal: OTHER, StatementId: "o" }),
  );
  const ok = await other.send(new PutEventsCommand({ Entries: [entry] }));
  assert.equal(ok.FailedEntryCount, 0);
  const [m] = await drainQueue(vigil, sqs, q.url);
  assert.equal(JSON.parse(m!.Body!).account, OTHER, "the event carries the sender's account");
});

test("AWS/Events metrics: MatchedEvents, TriggeredRules and Invocations reach CloudWatch", async () => {
  const got: { account: string; datums: MetricDatumInput[] }[] = [];
  const entries = internal(vigil.server.stores);
  const original = entries.putMetrics;
  entries.putMetrics = async (account, _region, namespace, datums) => {
    if (namespace === "AWS/Events") got.push({ account, datums });
  };
  try {
    const sqs = vigil.client(SQSClient);
    const q = await newQueue(sqs);
    const source = unique("src");
    const rule = unique("r");
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }));
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: "q", Arn: q.arn }] }));
    await eb.send(
      new PutEventsCommand({ Entries: [0, 1].map(() => ({ Source: source, DetailType: "t", Detail: "{}" })) }),
    );
    await drainQueue(vigil, sqs, q.url, 2);
    const sum = (metric: string, dim?: string) =>
      got
        .flatMap((g) => g.datums)
        .filter(
          (d) => d.MetricName === metric && (dim === undefined ? !d.Dimensions : d.Dimensions?.[0]?.Value === dim),
        )
        .reduce((a, d) => a + d.StatisticValues!.Sum, 0);
    // A delivery's outcome is recorded just after the queue has the message: wait for it.
    for (let i = 0; i < 100 && sum("Invocations", rule) < 2; i++) {
      await new Promise((r) => setTimeout(r, 5));
      flushEventsMetrics(vigil.server.stores);
    }
    assert.equal(sum("TriggeredRules", rule), 2);
    assert.equal(sum("Invocations", rule), 2);
    assert.ok(sum("MatchedEvents") >= 2);
    assert.ok(got.every((g) => g.account === ACCOUNT));
  } finally {
    entries.putMetrics = original;
  }
});
