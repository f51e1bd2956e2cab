/**
 * Subscriptions through the JS SDK: Subscribe (protocols, endpoints, idempotency, attributes), the subscription
 * attributes and their recorded errors, filter policies on MessageAttributes and MessageBody deciding what reaches a
 * queue, ListSubscriptions / ByTopic, Unsubscribe (also through the unsigned UnsubscribeURL).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Vigil } from "../helpers/vigil.js";
import { ACCOUNT, deliverAndReceive, newQueue, newTopic, rejects, startSnsVigil, topicWithQueue } from "./helpers.js";

let vigil: Vigil;
let sns: SNSClient;
let sqs: SQSClient;
before(async () => {
  vigil = await startSnsVigil();
  sns = vigil.client(SNSClient);
  sqs = vigil.client(SQSClient);
});
after(() => vigil.close());

test("an SQS subscription is confirmed at once and answers the recorded attributes", async () => {
  const { topic, queue, subscriptionArn } = await topicWithQueue(sns, sqs, { RawMessageDelivery: "true" });
  assert.match(subscriptionArn, new RegExp(`^${topic.arn}:[0-9a-f-]{36}$`));
  const { Attributes: a } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }));
  assert.deepEqual(a, {
    ConfirmationWasAuthenticated: "true",
    Endpoint: queue.arn,
    Owner: ACCOUNT,
    PendingConfirmation: "false",
    Protocol: "sqs",
    RawMessageDelivery: "true",
    SubscriptionArn: subscriptionArn,
    SubscriptionPrincipal: `arn:aws:iam::${ACCOUNT}:user/vigil`,
    TopicArn: topic.arn,
  });
  const t = await sns.send(new GetTopicAttributesCommand({ TopicArn: topic.arn }));
  assert.equal(t.Attributes!.SubscriptionsConfirmed, "1");
  // The same subscription again is the same ARN; different attributes are refused.
  const again = await sns.send(
    new SubscribeCommand({
      TopicArn: topic.arn,
      Protocol: "sqs",
      Endpoint: queue.arn,
      Attributes: { RawMessageDelivery: "true" },
    }),
  );
  assert.equal(again.SubscriptionArn, subscriptionArn);
  await rejects(
    sns.send(
      new SubscribeCommand({
        TopicArn: topic.arn,
        Protocol: "sqs",
        Endpoint: queue.arn,
        Attributes: { RawMessageDelivery: "false" },
      }),
    ),
    "InvalidParameterException",
    "Invalid parameter: Attributes Reason: Subscription already exists with different attributes",
  );
});

test("Subscribe errors as AWS words them", async () => {
  const { arn } = await newTopic(sns);
  await rejects(
    sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: "test-protocol", Endpoint: "x" })),
    "InvalidParameterException",
    "Invalid parameter: Amazon SNS does not support this protocol string: test-protocol",
  );
  await rejects(
    sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: "sqs", Endpoint: "not-an-arn" })),
    "InvalidParameterException",
    "Invalid parameter: SQS endpoint ARN",
  );
  await rejects(
    sns.send(
      new SubscribeCommand({ TopicArn: arn, Protocol: "sqs", Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:q.fifo` }),
    ),
    "InvalidParameterException",
    "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics",
  );
  await rejects(
    sns.send(
      new SubscribeCommand({
        TopicArn: arn,
        Protocol: "sqs",
        Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:q`,
        Attributes: { RawMessageDelivery: "wrongvalue" },
      }),
    ),
    "InvalidParameterException",
    "Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [wrongvalue]. Must be true or false.",
  );
  await rejects(
    sns.send(
      new SubscribeCommand({
        TopicArn: arn,
        Protocol: "sqs",
        Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:q`,
        Attributes: { FilterPolicy: "invalid" },
      }),
    ),
    "InvalidParameterException",
    "Invalid parameter: Attributes Reason: FilterPolicy: failed to parse JSON. Unrecognized token 'invalid': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 8]",
  );
  await rejects(
    sns.send(
      new SubscribeCommand({ TopicArn: arn + "x", Protocol: "sqs", Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:q` }),
    ),
    "NotFoundException",
    "Topic does not exist",
  );
});

test("subscription attribute errors as AWS words them", async () => {
  const { subscriptionArn } = await topicWithQueue(sns, sqs);
  const set = (AttributeName: string, AttributeValue: string) =>
    sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn, AttributeName, AttributeValue }));
  const cases: [string, string, string][] = [
    ["Fake", "x", "Invalid parameter: AttributeName"],
    [
      "RawMessageDelivery",
      "test-ValUe",
      "Invalid parameter: RawMessageDelivery: Invalid value [test-ValUe]. Must be true or false.",
    ],
    [
      "RedrivePolicy",
      '{"deadLetterTargetArn": "fake-arn"}',
      "Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn",
    ],
    [
      "RedrivePolicy",
      "{invalid json}",
      "Invalid parameter: RedrivePolicy: failed to parse JSON. Unexpected character ('i' (code 105)): was expecting double-quote to start field name\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 2]",
    ],
    [
      "FilterPolicyScope",
      "RandomValue",
      "Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes",
    ],
    [
      "FilterPolicy",
      '{"key_a":"value_one"}',
      'Invalid parameter: FilterPolicy: "key_a" must be an object or an array\n at [Source: (String)"{"key_a":"value_one"}"; line: 1, column: 11]',
    ],
    [
      "FilterPolicy",
      '{"a":[1],"b":[1],"c":[1],"d":[1],"e":[1],"f":[1]}',
      "Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys",
    ],
    [
      "FilterPolicy",
      JSON.stringify({ a: Array.from({ length: 20 }, (_, i) => i), b: Array.from({ length: 10 }, (_, i) => i) }),
      "Invalid parameter: FilterPolicy: Filter policy is too complex",
    ],
    [
      "FilterPolicy",
      '{"a":{"b":["c"]}}',
      "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy",
    ],
    [
      "FilterPolicy",
      '{"key":[{"anything-but":{"suffix":"test"}}]}',
      "Invalid parameter: FilterPolicy: Unsupported anything-but pattern: suffix",
    ],
  ];
  for (const [name, value, message] of cases) await rejects(set(name, value), "InvalidParameterException", message);
  await rejects(
    sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn + "0" })),
    "NotFoundException",
    "Subscription does not exist",
  );
  await rejects(
    sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: "arn:aws:sns:us-east-1:x" })),
    "InvalidParameterException",
    "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 5",
  );
});

test("a MessageAttributes filter policy decides what reaches the queue", async () => {
  const policy = { color: ["red", { prefix: "bl" }], size: [{ numeric: [">", 0, "<=", 100] }], tags: ["urgent"] };
  const { topic, queue } = await topicWithQueue(sns, sqs, { FilterPolicy: JSON.stringify(policy) });
  const publish = (Message: string, attrs: Record<string, [string, string]>) =>
    sns.send(
      new PublishCommand({
        TopicArn: topic.arn,
        Message,
        MessageAttributes: Object.fromEntries(
          Object.entries(attrs).map(([k, [DataType, StringValue]]) => [k, { DataType, StringValue }]),
        ),
      }),
    );
  await publish("match-red", {
    color: ["String", "red"],
    size: ["Number", "99.12"],
    tags: ["String.Array", '["x","urgent"]'],
  });
  await publish("match-blue", {
    color: ["String", "blue"],
    size: ["Number", "1"],
    tags: ["String.Array", '["urgent"]'],
  });
  await publish("too-big", { color: ["String", "red"], size: ["Number", "101"], tags: ["String.Array", '["urgent"]'] });
  await publish("wrong-color", {
    color: ["String", "green"],
    size: ["Number", "5"],
    tags: ["String.Array", '["urgent"]'],
  });
  await publish("missing-tag", { color: ["String", "red"], size: ["Number", "5"] });
  await publish("size-as-string", {
    color: ["String", "red"],
    size: ["String", "5"],
    tags: ["String.Array", '["urgent"]'],
  });
  const msgs = await deliverAndReceive(vigil, sqs, queue.url);
  assert.deepEqual(msgs.map((m) => (JSON.parse(m.Body!) as { Message: string }).Message).sort(), [
    "match-blue",
    "match-red",
  ]);
});

test("a MessageBody filter policy matches nested keys of a JSON message", async () => {
  const { topic, queue, subscriptionArn } = await topicWithQueue(sns, sqs, {
    FilterPolicyScope: "MessageBody",
    FilterPolicy: JSON.stringify({ order: { status: ["shipped"], total: [{ numeric: [">=", 10] }] } }),
  });
  for (const body of [
    { order: { status: "shipped", total: 12 } },
    { order: { status: "pending", total: 12 } },
    { order: { status: "shipped", total: 5 } },
  ])
    await sns.send(new PublishCommand({ TopicArn: topic.arn, Message: JSON.stringify(body) }));
  await sns.send(new PublishCommand({ TopicArn: topic.arn, Message: "not json" }));
  const msgs = await deliverAndReceive(vigil, sqs, queue.url);
  assert.equal(msgs.length, 1);
  assert.deepEqual(JSON.parse((JSON.parse(msgs[0]!.Body!) as { Message: string }).Message), {
    order: { status: "shipped", total: 12 },
  });
  const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }));
  assert.equal(Attributes!.FilterPolicyScope, "MessageBody");
});

test("list, unsubscribe (also through the unsigned UnsubscribeURL), and DeleteTopic removes subscriptions", async () => {
  const { topic, queue, subscriptionArn } = await topicWithQueue(sns, sqs);
  const q2 = await newQueue(sqs);
  const s2 = await sns.send(new SubscribeCommand({ TopicArn: topic.arn, Protocol: "sqs", Endpoint: q2.arn }));
  const byTopic = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic.arn }));
  assert.deepEqual(
    byTopic.Subscriptions!.map((s) => s.SubscriptionArn).sort(),
    [subscriptionArn, s2.SubscriptionArn].sort(),
  );
  assert.equal(byTopic.Subscriptions![0]!.Protocol, "sqs");
  const all = await sns.send(new ListSubscriptionsCommand({}));
  assert.ok(all.Subscriptions!.some((s) => s.SubscriptionArn === subscriptionArn));

  await sns.send(new PublishCommand({ TopicArn: topic.arn, Message: "hello" }));
  const [m] = await deliverAndReceive(vigil, sqs, queue.url);
  const url = (JSON.parse(m!.Body!) as { UnsubscribeURL: string }).UnsubscribeURL;
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /UnsubscribeResponse/);
  await rejects(
    sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn })),
    "NotFoundException",
    "Subscription does not exist",
  );
  // Unsubscribe is idempotent.
  await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
  await sns.send(new DeleteTopicCommand({ TopicArn: topic.arn }));
  await rejects(
    sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: s2.SubscriptionArn })),
    "NotFoundException",
    "Subscription does not exist",
  );
});
