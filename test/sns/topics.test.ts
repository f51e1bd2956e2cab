/**
 * SNS topics through the JS SDK: CreateTopic (standard, FIFO, names, idempotency), Get/SetTopicAttributes with the
 * attributes AWS answers (default Policy, EffectiveDeliveryPolicy, counts), ListTopics pages, tags, DeleteTopic, and
 * the recorded errors.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  SetTopicAttributesCommand,
  SNSClient,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-sns";
import { unique, type Vigil } from "../helpers/vigil.js";
import { ACCOUNT, newTopic, rejects, startSnsVigil } from "./helpers.js";

let vigil: Vigil;
let sns: SNSClient;
before(async () => {
  vigil = await startSnsVigil();
  sns = vigil.client(SNSClient);
});
after(() => vigil.close());

test("a standard topic answers the attributes AWS answers, the default policy included", async () => {
  const { arn, name } = await newTopic(sns);
  assert.equal(arn, `arn:aws:sns:us-east-1:${ACCOUNT}:${name}`);
  const { Attributes: a } = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
  assert.deepEqual(Object.keys(a!).sort(), [
    "DisplayName",
    "EffectiveDeliveryPolicy",
    "Owner",
    "Policy",
    "SubscriptionsConfirmed",
    "SubscriptionsDeleted",
    "SubscriptionsPending",
    "TopicArn",
  ]);
  assert.equal(a!.Owner, ACCOUNT);
  assert.equal(a!.DisplayName, "");
  assert.deepEqual(JSON.parse(a!.Policy!), {
    Version: "2008-10-17",
    Id: "__default_policy_ID",
    Statement: [
      {
        Sid: "__default_statement_ID",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: [
          "SNS:GetTopicAttributes",
          "SNS:SetTopicAttributes",
          "SNS:AddPermission",
          "SNS:RemovePermission",
          "SNS:DeleteTopic",
          "SNS:Subscribe",
          "SNS:ListSubscriptionsByTopic",
          "SNS:Publish",
        ],
        Resource: arn,
        Condition: { StringEquals: { "AWS:SourceOwner": ACCOUNT } },
      },
    ],
  });
  assert.deepEqual(JSON.parse(a!.EffectiveDeliveryPolicy!), {
    http: {
      defaultHealthyRetryPolicy: {
        minDelayTarget: 20,
        maxDelayTarget: 20,
        numRetries: 3,
        numMaxDelayRetries: 0,
        numNoDelayRetries: 0,
        numMinDelayRetries: 0,
        backoffFunction: "linear",
      },
      disableSubscriptionOverrides: false,
      defaultRequestPolicy: { headerContentType: "text/plain; charset=UTF-8" },
    },
  });
});

test("a FIFO topic with attributes; the DeliveryPolicy merges into EffectiveDeliveryPolicy", async () => {
  const { arn } = await newTopic(sns, { DisplayName: "TestTopic", SignatureVersion: "2" }, { fifo: true });
  await sns.send(
    new SetTopicAttributesCommand({
      TopicArn: arn,
      AttributeName: "DeliveryPolicy",
      AttributeValue: JSON.stringify({
        http: { defaultHealthyRetryPolicy: { minDelayTarget: 5, maxDelayTarget: 6, numRetries: 1 } },
      }),
    }),
  );
  const { Attributes: a } = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
  assert.equal(a!.FifoTopic, "true");
  assert.equal(a!.ContentBasedDeduplication, "false");
  assert.equal(a!.DisplayName, "TestTopic");
  assert.equal(a!.SignatureVersion, "2");
  const eff = JSON.parse(a!.EffectiveDeliveryPolicy!) as {
    http: { defaultHealthyRetryPolicy: Record<string, unknown> };
  };
  assert.equal(eff.http.defaultHealthyRetryPolicy.minDelayTarget, 5);
  assert.equal(eff.http.defaultHealthyRetryPolicy.maxDelayTarget, 6);
  assert.equal(eff.http.defaultHealthyRetryPolicy.numRetries, 1);
  assert.equal(eff.http.defaultHealthyRetryPolicy.backoffFunction, "linear");
  await rejects(
    sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: "FifoTopic", AttributeValue: "false" })),
    "InvalidParameterException",
    "Invalid parameter: AttributeName",
  );
});

test("topic names: length, characters, .fifo only for FIFO topics", async () => {
  for (const name of ["", "a".repeat(257), "bad name", "bad.fifo", "bad$"]) {
    await rejects(
      sns.send(new CreateTopicCommand({ Name: name })),
      "InvalidParameterException",
      "Invalid parameter: Topic Name",
    );
  }
  await rejects(
    sns.send(new CreateTopicCommand({ Name: unique("nofifo"), Attributes: { FifoTopic: "true" } })),
    "InvalidParameterException",
    "Invalid parameter: Topic Name",
  );
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "a".repeat(256) }));
  assert.ok(TopicArn!.endsWith("a".repeat(256)));
});

test("CreateTopic is idempotent with the same attributes and refuses different attributes or tags", async () => {
  const name = unique("idem");
  const first = await sns.send(
    new CreateTopicCommand({ Name: name, Attributes: { DisplayName: "x" }, Tags: [{ Key: "k", Value: "v" }] }),
  );
  const again = await sns.send(
    new CreateTopicCommand({ Name: name, Attributes: { DisplayName: "x" }, Tags: [{ Key: "k", Value: "v" }] }),
  );
  assert.equal(again.TopicArn, first.TopicArn);
  await rejects(
    sns.send(new CreateTopicCommand({ Name: name, Attributes: { DisplayName: "y" } })),
    "InvalidParameterException",
    "Invalid parameter: Attributes Reason: Topic already exists with different attributes",
  );
  await rejects(
    sns.send(new CreateTopicCommand({ Name: name, Tags: [{ Key: "k", Value: "other" }] })),
    "InvalidParameterException",
    "Invalid parameter: Tags Reason: Topic already exists with different tags",
  );
});

test("tags: add, list, remove; duplicated keys refused; unknown topic", async () => {
  const { arn } = await newTopic(sns);
  await sns.send(
    new TagResourceCommand({
      ResourceArn: arn,
      Tags: [
        { Key: "a", Value: "1" },
        { Key: "b", Value: "2" },
      ],
    }),
  );
  await sns.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["a"] }));
  const { Tags } = await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
  assert.deepEqual(Tags, [{ Key: "b", Value: "2" }]);
  await rejects(
    sns.send(
      new TagResourceCommand({
        ResourceArn: arn,
        Tags: [
          { Key: "a", Value: "1" },
          { Key: "a", Value: "2" },
        ],
      }),
    ),
    "InvalidParameterException",
    "Invalid parameter: Duplicated keys are not allowed.",
  );
  await rejects(
    sns.send(new ListTagsForResourceCommand({ ResourceArn: arn + "-gone" })),
    "ResourceNotFoundException",
    "Resource does not exist",
  );
});

test("unknown and malformed topic ARNs", async () => {
  await rejects(
    sns.send(new GetTopicAttributesCommand({ TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:${unique("none")}` })),
    "NotFoundException",
    "Topic does not exist",
  );
  await rejects(
    sns.send(new GetTopicAttributesCommand({ TopicArn: "not-an-arn" })),
    "InvalidParameterException",
    "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1",
  );
  await rejects(
    sns.send(new DeleteTopicCommand({ TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:${unique("none")}` })),
    "NotFoundException",
    "Topic does not exist",
  );
});

test("ListTopics pages by 100 and DeleteTopic removes the topic", async () => {
  const key = "AKIA" + "PAGE".padEnd(16, "0");
  const other = vigil.client(SNSClient, { credentials: { accessKeyId: "111122223333", secretAccessKey: "x" } });
  const made: string[] = [];
  for (let i = 0; i < 105; i++) made.push((await other.send(new CreateTopicCommand({ Name: `page-${i}` }))).TopicArn!);
  const first = await other.send(new ListTopicsCommand({}));
  assert.equal(first.Topics!.length, 100);
  assert.ok(first.NextToken);
  const second = await other.send(new ListTopicsCommand({ NextToken: first.NextToken }));
  assert.equal(second.Topics!.length, 5);
  assert.equal(second.NextToken, undefined);
  assert.deepEqual([...first.Topics!, ...second.Topics!].map((t) => t.TopicArn).sort(), made.sort());
  await other.send(new DeleteTopicCommand({ TopicArn: made[0] }));
  const after = await other.send(new ListTopicsCommand({}));
  assert.ok(!after.Topics!.some((t) => t.TopicArn === made[0]));
  void key;
});
