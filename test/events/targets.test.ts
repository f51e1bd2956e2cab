/**
 * Target kinds and failure handling: retries under the target's RetryPolicy then the dead-letter queue with the
 * documented attributes, targets Vigil does not run, CloudWatch Logs log groups, SNS topics, and other buses
 * (same account, another account with and without the bus policy allowing it, another region).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type Target,
} from "@aws-sdk/client-eventbridge";
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { unique, type Vigil } from "../helpers/vigil.js";
import { accountKey, ACCOUNT, drainQueue, newQueue, receiveNow, startEventsVigil } from "./helpers.js";

let vigil: Vigil;
let eb: EventBridgeClient;
let sqs: SQSClient;
before(async () => {
  vigil = await startEventsVigil();
  eb = vigil.client(EventBridgeClient);
  sqs = vigil.client(SQSClient);
});
after(() => vigil.close());

async function rule(client: EventBridgeClient, bus: string, source: string, targets: Target[]) {
  const name = unique("rule");
  await client.send(
    new PutRuleCommand({ Name: name, EventBusName: bus, EventPattern: JSON.stringify({ source: [source] }) }),
  );
  await client.send(new PutTargetsCommand({ Rule: name, EventBusName: bus, Targets: targets }));
  return name;
}

const put = (client: EventBridgeClient, source: string, bus = "default", detail = "{}") =>
  client.send(
    new PutEventsCommand({ Entries: [{ EventBusName: bus, Source: source, DetailType: "t", Detail: detail }] }),
  );

test("a queue that does not exist: the event goes to the dead-letter queue with the documented attributes", async () => {
  const dlq = await newQueue(sqs);
  const source = unique("src");
  const missing = `arn:aws:sqs:us-east-1:${ACCOUNT}:${unique("gone")}`;
  const name = await rule(eb, "default", source, [
    { Id: "t", Arn: missing, DeadLetterConfig: { Arn: dlq.arn }, InputPath: "$.detail" },
  ]);
  const res = await put(eb, source, "default", '{"a": 1}');
  const [m] = await drainQueue(vigil, sqs, dlq.url);
  assert.ok(m, "dead-lettered");
  const body = JSON.parse(m.Body!);
  assert.equal(body.id, res.Entries![0]!.EventId, "the DLQ receives the event itself");
  const attrs = Object.fromEntries(Object.entries(m.MessageAttributes!).map(([k, v]) => [k, v.StringValue]));
  assert.deepEqual(attrs, {
    RULE_ARN: `arn:aws:events:us-east-1:${ACCOUNT}:rule/${name}`,
    TARGET_ARN: missing,
    ERROR_CODE: "RESOURCE_NOT_FOUND",
    ERROR_MESSAGE: `Queue ${missing} does not exist.`,
    EXHAUSTED_RETRY_CONDITION: "PermanentFailure",
    RETRY_ATTEMPTS: "0",
  });
});

test("a Lambda function target fails permanently (Vigil has no Lambda) and is dead-lettered", async () => {
  const dlq = await newQueue(sqs);
  const source = unique("src");
  const fn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:f`;
  await rule(eb, "default", source, [{ Id: "t", Arn: fn, DeadLetterConfig: { Arn: dlq.arn } }]);
  await put(eb, source);
  const [m] = await drainQueue(vigil, sqs, dlq.url);
  assert.equal(m?.MessageAttributes?.ERROR_CODE?.StringValue, "RESOURCE_NOT_FOUND");
  assert.equal(m?.MessageAttributes?.TARGET_ARN?.StringValue, fn);
});

test("a log group target receives the event as a log event", async () => {
  const logs = vigil.client(CloudWatchLogsClient);
  const group = `/aws/events/${unique("g")}`;
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  const source = unique("src");
  await rule(eb, "default", source, [{ Id: "t", Arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${group}` }]);
  const res = await put(eb, source, "default", '{"k": "v"}');
  let events: { message?: string; logStreamName?: string }[] = [];
  for (let i = 0; i < 20 && events.length === 0; i++) {
    await vigil.server.advance(0);
    events = (await logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events ?? [];
  }
  assert.equal(events.length, 1);
  const msg = JSON.parse(events[0]!.message!);
  assert.equal(msg.id, res.Entries![0]!.EventId);
  assert.deepEqual(msg.detail, { k: "v" });
  assert.equal(events[0]!.logStreamName, msg.id);
});

test("an SNS topic target publishes the event as the message", async () => {
  const sns = vigil.client(SNSClient);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: unique("topic") }));
  await sns.send(
    new SetTopicAttributesCommand({
      TopicArn,
      AttributeName: "Policy",
      AttributeValue: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sns:Publish",
            Resource: TopicArn,
          },
        ],
      }),
    }),
  );
  const q = await newQueue(sqs);
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: q.arn }));
  const source = unique("src");
  await rule(eb, "default", source, [{ Id: "t", Arn: TopicArn! }]);
  const res = await put(eb, source);
  const [m] = await drainQueue(vigil, sqs, q.url);
  assert.ok(m, "published");
  const note = JSON.parse(m.Body!);
  assert.equal(note.Type, "Notification");
  assert.equal(JSON.parse(note.Message).id, res.Entries![0]!.EventId);
});

test("bus to bus in the same account keeps the event; another region gives it a new id", async () => {
  const target = unique("bus");
  await eb.send(new CreateEventBusCommand({ Name: target }));
  const source = unique("src");
  const q = await newQueue(sqs);
  await rule(eb, target, source, [{ Id: "q", Arn: q.arn }]);
  await rule(eb, "default", source, [{ Id: "b", Arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${target}` }]);
  const res = await put(eb, source);
  const [m] = await drainQueue(vigil, sqs, q.url);
  assert.equal(JSON.parse(m!.Body!).id, res.Entries![0]!.EventId);

  const west = vigil.client(EventBridgeClient, { region: "us-west-2" });
  const westSqs = vigil.client(SQSClient, { region: "us-west-2" });
  await west.send(new CreateEventBusCommand({ Name: target }));
  const wq = await newQueue(westSqs);
  await rule(west, target, source, [{ Id: "q", Arn: wq.arn }]);
  const source2 = unique("src");
  await rule(west, target, source2, [{ Id: "q", Arn: wq.arn }]);
  await rule(eb, "default", source2, [{ Id: "b", Arn: `arn:aws:events:us-west-2:${ACCOUNT}:event-bus/${target}` }]);
  const res2 = await put(eb, source2);
  const [w] = await drainQueue(vigil, westSqs, wq.url);
  const ev = JSON.parse(w!.Body!);
  assert.notEqual(ev.id, res2.Entries![0]!.EventId);
  assert.equal(ev.region, "us-west-2");
  assert.equal(ev.account, ACCOUNT);
});

test("another account's bus takes events only when its policy allows; the original account is kept", async () => {
  const other = "111111111111";
  const ebOther = vigil.client(EventBridgeClient, accountKey(other));
  const sqsOther = vigil.client(SQSClient, accountKey(other));
  const bus = unique("bus");
  await ebOther.send(new CreateEventBusCommand({ Name: bus }));
  const q = await newQueue(sqsOther);
  const source = unique("src");
  await rule(ebOther, bus, source, [{ Id: "q", Arn: q.arn }]);
  const dlq = await newQueue(sqs);
  const busArn = `arn:aws:events:us-east-1:${other}:event-bus/${bus}`;
  await rule(eb, "default", source, [{ Id: "b", Arn: busArn, DeadLetterConfig: { Arn: dlq.arn } }]);

  await put(eb, source);
  const [denied] = await drainQueue(vigil, sqs, dlq.url);
  assert.equal(denied?.MessageAttributes?.ERROR_CODE?.StringValue, "NO_PERMISSIONS");
  assert.deepEqual(await receiveNow(sqsOther, q.url), []);

  await ebOther.send(
    new PutPermissionCommand({ EventBusName: bus, Action: "events:PutEvents", Principal: ACCOUNT, StatementId: "s1" }),
  );
  const res = await put(eb, source);
  const [m] = await drainQueue(vigil, sqsOther, q.url);
  const ev = JSON.parse(m!.Body!);
  assert.equal(ev.account, ACCOUNT);
  assert.equal(ev.id, res.Entries![0]!.EventId);

  // PutEvents straight to the other account's bus by ARN, allowed by the same policy.
  const direct = await eb.send(
    new PutEventsCommand({ Entries: [{ EventBusName: busArn, Source: source, DetailType: "t", Detail: "{}" }] }),
  );
  assert.equal(direct.FailedEntryCount, 0);
  const [d] = await drainQueue(vigil, sqsOther, q.url);
  assert.equal(JSON.parse(d!.Body!).account, ACCOUNT);
});

test("an SNS topic that does not exist fails permanently and is dead-lettered at once", async () => {
  const dlq = await newQueue(sqs);
  const source = unique("src");
  const missingTopic = `arn:aws:sns:us-east-1:${ACCOUNT}:${unique("nope")}`;
  await rule(eb, "default", source, [
    {
      Id: "t",
      Arn: missingTopic,
      DeadLetterConfig: { Arn: dlq.arn },
      RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 },
    },
  ]);
  await put(eb, source);
  const [m] = await drainQueue(vigil, sqs, dlq.url);
  assert.equal(m?.MessageAttributes?.TARGET_ARN?.StringValue, missingTopic);
  assert.equal(m?.MessageAttributes?.ERROR_CODE?.StringValue, "RESOURCE_NOT_FOUND");
  assert.equal(m?.MessageAttributes?.EXHAUSTED_RETRY_CONDITION?.StringValue, "PermanentFailure");
});
