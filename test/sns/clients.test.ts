/**
 * SNS through boto3 and the AWS CLI v1 (both speak Query): topics, subscriptions, publish with attributes, errors;
 * and the envelope's signature verified in Python with the `cryptography` package against the certificate fetched
 * from SigningCertURL.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { SQSClient } from "@aws-sdk/client-sqs";
import { awsCli, awsEnv, python, unique, type Vigil } from "../helpers/vigil.js";
import { deliverAndReceive, newQueue, startSnsVigil } from "./helpers.js";

let vigil: Vigil;
let sqs: SQSClient;
before(async () => {
  vigil = await startSnsVigil();
  sqs = vigil.client(SQSClient);
});
after(() => vigil.close());

test("boto3: create, subscribe, publish; the signature verifies in Python", async () => {
  const q = await newQueue(sqs);
  const name = unique("boto");
  const out = await python(
    `
import boto3, json
sns = boto3.client("sns", endpoint_url=${JSON.stringify(vigil.url)})
arn = sns.create_topic(Name=${JSON.stringify(name)}, Attributes={"SignatureVersion": "2"}, Tags=[{"Key": "k", "Value": "v"}])["TopicArn"]
sub = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=${JSON.stringify(q.arn)}, Attributes={"FilterPolicy": json.dumps({"n": [{"numeric": [">", 5]}]})}, ReturnSubscriptionArn=True)["SubscriptionArn"]
ids = []
for v in ["3", "7"]:
    ids.append(sns.publish(TopicArn=arn, Message="n=" + v, MessageAttributes={"n": {"DataType": "Number", "StringValue": v}})["MessageId"])
try:
    sns.publish(TopicArn=arn, Message="")
except sns.exceptions.InvalidParameterException as e:
    err = [e.response["Error"]["Code"], e.response["Error"]["Message"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
attrs = sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
print(json.dumps({"arn": arn, "sub": sub, "ids": ids, "err": err, "tags": sns.list_tags_for_resource(ResourceArn=arn)["Tags"], "policy": attrs["FilterPolicy"]}))
`,
    awsEnv(vigil.url),
  );
  const r = JSON.parse(out) as {
    arn: string;
    sub: string;
    ids: string[];
    err: unknown[];
    tags: unknown;
    policy: string;
  };
  assert.deepEqual(r.err, ["InvalidParameter", "Invalid parameter: Empty message", 400]);
  assert.deepEqual(r.tags, [{ Key: "k", Value: "v" }]);
  assert.deepEqual(JSON.parse(r.policy), { n: [{ numeric: [">", 5] }] });
  const msgs = await deliverAndReceive(vigil, sqs, q.url);
  assert.equal(msgs.length, 1);
  const body = msgs[0]!.Body!;
  assert.equal((JSON.parse(body) as { MessageId: string }).MessageId, r.ids[1]);
  const verified = await python(
    `
import json, sys, urllib.request, base64
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
m = json.loads(sys.stdin.read() if False else ${JSON.stringify(body)})
cert = x509.load_pem_x509_certificate(urllib.request.urlopen(m["SigningCertURL"]).read())
keys = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
s = "".join(f"{k}\\n{m[k]}\\n" for k in keys if k in m)
h = hashes.SHA256() if m["SignatureVersion"] == "2" else hashes.SHA1()
cert.public_key().verify(base64.b64decode(m["Signature"]), s.encode(), padding.PKCS1v15(), h)
print("verified", m["SignatureVersion"])
`,
    awsEnv(vigil.url),
  );
  assert.equal(verified.trim(), "verified 2");
});

test("AWS CLI v1: topics, subscriptions, publish, attributes and an error", async () => {
  const q = await newQueue(sqs);
  const name = unique("cli");
  const { TopicArn } = JSON.parse(await awsCli(vigil.url, ["sns", "create-topic", "--name", name])) as {
    TopicArn: string;
  };
  const { SubscriptionArn } = JSON.parse(
    await awsCli(vigil.url, [
      "sns",
      "subscribe",
      "--topic-arn",
      TopicArn,
      "--protocol",
      "sqs",
      "--notification-endpoint",
      q.arn,
      "--attributes",
      "RawMessageDelivery=true",
    ]),
  ) as { SubscriptionArn: string };
  const { MessageId } = JSON.parse(
    await awsCli(vigil.url, ["sns", "publish", "--topic-arn", TopicArn, "--message", "from the cli", "--subject", "S"]),
  ) as { MessageId: string };
  assert.match(MessageId, /^[0-9a-f-]{36}$/);
  const [m] = await deliverAndReceive(vigil, sqs, q.url);
  assert.equal(m!.Body, "from the cli");
  const topics = JSON.parse(await awsCli(vigil.url, ["sns", "list-topics"])) as { Topics: { TopicArn: string }[] };
  assert.ok(topics.Topics.some((t) => t.TopicArn === TopicArn));
  const subs = JSON.parse(await awsCli(vigil.url, ["sns", "list-subscriptions-by-topic", "--topic-arn", TopicArn])) as {
    Subscriptions: { SubscriptionArn: string; Protocol: string }[];
  };
  assert.deepEqual(
    subs.Subscriptions.map((s) => [s.SubscriptionArn, s.Protocol]),
    [[SubscriptionArn, "sqs"]],
  );
  const attrs = JSON.parse(await awsCli(vigil.url, ["sns", "get-topic-attributes", "--topic-arn", TopicArn])) as {
    Attributes: Record<string, string>;
  };
  assert.equal(attrs.Attributes.SubscriptionsConfirmed, "1");
  await assert.rejects(
    awsCli(vigil.url, ["sns", "get-topic-attributes", "--topic-arn", TopicArn + "-none"]),
    (e: Error) => /\(NotFound\) when calling the GetTopicAttributes operation.*: Topic does not exist/.test(e.message),
  );
  await awsCli(vigil.url, ["sns", "unsubscribe", "--subscription-arn", SubscriptionArn]);
  await awsCli(vigil.url, ["sns", "delete-topic", "--topic-arn", TopicArn]);
});
