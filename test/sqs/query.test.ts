/**
 * SQS on the Query protocol: form requests with SQS's Query names (`Attribute.N.Name`, `MessageAttribute.N.Value.*`,
 * `SendMessageBatchRequestEntry.N.*`, ...), sent to `/` or to the queue URL (signed or not, with or without Version),
 * answered with the XML AWS sends (flattened `<Attribute>`, `<Message>`, `<QueueUrl>`, `<Tag>`, batch entries), then
 * boto3 speaking Query from a Query variant of the model (botocore's own Query serializer and parser).
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { SQSClient } from "@aws-sdk/client-sqs";
import { buildQueryModel } from "../../src/services/sqs/query-compat.js";
import { FAKE_AUTH, raw } from "../helpers/raw.js";
import { awsEnv, python, unique, type Vigil } from "../helpers/vigil.js";
import { ACCOUNT, arnOf, attributes, newQueue, START, startSqsVigil } from "./helpers.js";

let vigil: Vigil;
let sqs: SQSClient;
before(async () => {
  vigil = await startSqsVigil();
  sqs = vigil.client(SQSClient);
});
after(() => vigil.close());

const NS = "http://queue.amazonaws.com/doc/2012-11-05/";

/** A Query call: form POST, signed for sqs unless `unsigned`; to `/` unless a queue path is given. */
async function query(
  params: Record<string, string>,
  opts: { path?: string; unsigned?: boolean; method?: "GET" | "POST" } = {},
) {
  const form = new URLSearchParams(params).toString();
  const headers: Record<string, string> = {};
  if (!opts.unsigned) headers.authorization = FAKE_AUTH("sqs");
  if (opts.method === "GET") return raw(vigil.url, { method: "GET", path: `${opts.path ?? "/"}?${form}`, headers });
  headers["content-type"] = "application/x-www-form-urlencoded; charset=utf-8";
  return raw(vigil.url, { method: "POST", path: opts.path ?? "/", headers, body: form });
}

/** The XML with the values that change from call to call replaced. */
const stable = (xml: string) =>
  xml
    .replace(/<RequestId>[^<]+<\/RequestId>/g, "<RequestId>RID</RequestId>")
    .replace(/<MessageId>[^<]+<\/MessageId>/g, "<MessageId>MID</MessageId>")
    .replace(/<ReceiptHandle>[^<]+<\/ReceiptHandle>/g, "<ReceiptHandle>RH</ReceiptHandle>")
    .replace(/<Name>SenderId<\/Name><Value>[^<]+</g, "<Name>SenderId</Name><Value>SENDER<");

test("CreateQueue with Attribute.N and Tag.N, answered as AWS answers it", async () => {
  const name = unique("query");
  const r = await query({
    Action: "CreateQueue",
    Version: "2012-11-05",
    QueueName: name,
    "Attribute.1.Name": "VisibilityTimeout",
    "Attribute.1.Value": "40",
    "Attribute.2.Name": "DelaySeconds",
    "Attribute.2.Value": "0",
    "Tag.1.Key": "team",
    "Tag.1.Value": "core",
  });
  assert.equal(r.status, 200);
  assert.equal(r.headers["content-type"], "text/xml");
  assert.equal(
    stable(r.body),
    `<CreateQueueResponse xmlns="${NS}"><CreateQueueResult><QueueUrl>${vigil.url}/${ACCOUNT}/${name}</QueueUrl>` +
      `</CreateQueueResult><ResponseMetadata><RequestId>RID</RequestId></ResponseMetadata></CreateQueueResponse>`,
  );
  assert.equal(
    (await attributes(sqs, `${vigil.url}/${ACCOUNT}/${name}`, ["VisibilityTimeout"])).VisibilityTimeout,
    "40",
  );
  const tags = await query({ Action: "ListQueueTags", QueueUrl: name });
  assert.match(
    tags.body,
    /<ListQueueTagsResult><Tag><Key>team<\/Key><Value>core<\/Value><\/Tag><\/ListQueueTagsResult>/,
  );
  await query({
    Action: "TagQueue",
    QueueUrl: name,
    "Tag.1.Key": "a",
    "Tag.1.Value": "1",
    "Tag.2.Key": "b",
    "Tag.2.Value": "2",
  });
  await query({ Action: "UntagQueue", QueueUrl: name, "TagKey.1": "team", "TagKey.2": "b" });
  const after = await query({ Action: "ListQueueTags", QueueUrl: name });
  assert.match(after.body, /<ListQueueTagsResult><Tag><Key>a<\/Key><Value>1<\/Value><\/Tag><\/ListQueueTagsResult>/);
});

test("SendMessage and ReceiveMessage to the queue URL, unsigned and without Version, as old clients send them", async () => {
  const { url, name } = await newQueue(sqs);
  const queuePath = `/${ACCOUNT}/${name}`;
  const sent = await query(
    {
      Action: "SendMessage",
      MessageBody: "This is a test message",
      "MessageAttribute.1.Name": "color",
      "MessageAttribute.1.Value.StringValue": "blue",
      "MessageAttribute.1.Value.DataType": "String",
      "MessageAttribute.2.Name": "bytes",
      "MessageAttribute.2.Value.BinaryValue": Buffer.from([0, 1, 255]).toString("base64"),
      "MessageAttribute.2.Value.DataType": "Binary",
      "MessageSystemAttribute.1.Name": "AWSTraceHeader",
      "MessageSystemAttribute.1.Value.StringValue":
        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
      "MessageSystemAttribute.1.Value.DataType": "String",
    },
    { path: queuePath, unsigned: true },
  );
  assert.equal(sent.status, 200, sent.body);
  assert.equal(
    stable(sent.body),
    `<SendMessageResponse xmlns="${NS}"><SendMessageResult>` +
      // The body digest of the API reference's SendMessage example.
      `<MD5OfMessageBody>fafb00f5732ab283681e124bf8747ed1</MD5OfMessageBody>` +
      `<MD5OfMessageAttributes>${/<MD5OfMessageAttributes>([0-9a-f]{32})</.exec(sent.body)![1]}</MD5OfMessageAttributes>` +
      `<MD5OfMessageSystemAttributes>5ae4d5d7636402d80f4eb6d213245a88</MD5OfMessageSystemAttributes>` +
      `<MessageId>MID</MessageId></SendMessageResult><ResponseMetadata><RequestId>RID</RequestId></ResponseMetadata></SendMessageResponse>`,
  );
  const got = await query(
    {
      Action: "ReceiveMessage",
      "AttributeName.1": "SenderId",
      "MessageSystemAttributeName.1": "SentTimestamp",
      "MessageAttributeName.1": "All",
    },
    { path: queuePath, method: "GET", unsigned: true },
  );
  assert.equal(
    stable(got.body),
    `<ReceiveMessageResponse xmlns="${NS}"><ReceiveMessageResult><Message><MessageId>MID</MessageId>` +
      `<ReceiptHandle>RH</ReceiptHandle><MD5OfBody>fafb00f5732ab283681e124bf8747ed1</MD5OfBody><Body>This is a test message</Body>` +
      `<Attribute><Name>SenderId</Name><Value>SENDER</Value></Attribute>` +
      `<Attribute><Name>SentTimestamp</Name><Value>${START}</Value></Attribute>` +
      `<MD5OfMessageAttributes>${/<MD5OfMessageAttributes>([0-9a-f]{32})</.exec(sent.body)![1]}</MD5OfMessageAttributes>` +
      `<MessageAttribute><Name>color</Name><Value><StringValue>blue</StringValue><DataType>String</DataType></Value></MessageAttribute>` +
      `<MessageAttribute><Name>bytes</Name><Value><BinaryValue>AAH/</BinaryValue><DataType>Binary</DataType></Value></MessageAttribute>` +
      `</Message></ReceiveMessageResult><ResponseMetadata><RequestId>RID</RequestId></ResponseMetadata></ReceiveMessageResponse>`,
  );
  const empty = await query({ Action: "ReceiveMessage" }, { path: queuePath, method: "GET" });
  assert.match(empty.body, /<ReceiveMessageResult\/>/);
  // QueueUrl in the parameters wins over the path (AWS-validated).
  const other = await newQueue(sqs);
  const attrs = await query(
    { Action: "GetQueueAttributes", QueueUrl: other.url, "AttributeName.1": "QueueArn" },
    { path: queuePath, method: "GET" },
  );
  assert.match(
    attrs.body,
    new RegExp(`<Attribute><Name>QueueArn</Name><Value>${arnOf(other.name)}</Value></Attribute>`),
  );
  assert.ok(url);
});

test("GetQueueAttributes answers flattened <Attribute> elements; a FIFO queue's include FifoQueue (AWS-validated)", async () => {
  const fifo = await newQueue(sqs, {}, { fifo: true });
  const r = await query(
    { Action: "GetQueueAttributes", "AttributeName.1": "All" },
    { path: `/${ACCOUNT}/${fifo.name}`, method: "GET" },
  );
  assert.match(r.body, /<Attribute><Name>QueueArn<\/Name><Value>arn:aws:sqs:/);
  assert.match(r.body, /<Attribute><Name>VisibilityTimeout<\/Name><Value>30<\/Value><\/Attribute>/);
  assert.match(r.body, /<Name>FifoQueue<\/Name><Value>true<\/Value>/);
  const one = await query(
    { Action: "GetQueueAttributes", "AttributeName.1": "QueueArn" },
    { path: `/${ACCOUNT}/${fifo.name}`, method: "GET" },
  );
  assert.doesNotMatch(one.body, /VisibilityTimeout/);
  const bad = await query(
    { Action: "GetQueueAttributes", "AttributeName.1": "Foobar" },
    { path: `/${ACCOUNT}/${fifo.name}`, method: "GET" },
  );
  assert.equal(bad.status, 400);
  assert.match(
    bad.body,
    /<Type>Sender<\/Type><Code>InvalidAttributeName<\/Code><Message>Unknown Attribute Foobar.<\/Message>/,
  );
});

test("batches use SendMessageBatchRequestEntry.N / DeleteMessageBatchRequestEntry.N and answer their result entries", async () => {
  const { url, name } = await newQueue(sqs);
  const p = `/${ACCOUNT}/${name}`;
  const sent = await query(
    {
      Action: "SendMessageBatch",
      "SendMessageBatchRequestEntry.1.Id": "a",
      "SendMessageBatchRequestEntry.1.MessageBody": "x",
      "SendMessageBatchRequestEntry.1.DelaySeconds": "0",
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Name": "k",
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType": "String",
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue": "x",
      "SendMessageBatchRequestEntry.2.Id": "b",
      "SendMessageBatchRequestEntry.2.MessageBody": "\u0001",
    },
    { path: p },
  );
  assert.equal(
    stable(sent.body),
    `<SendMessageBatchResponse xmlns="${NS}"><SendMessageBatchResult><SendMessageBatchResultEntry><Id>a</Id>` +
      `<MessageId>MID</MessageId><MD5OfMessageBody>9dd4e461268c8034f5c8564e155c67a6</MD5OfMessageBody>` +
      `<MD5OfMessageAttributes>a45daa70926828a2f0a1db3418e6feb4</MD5OfMessageAttributes></SendMessageBatchResultEntry>` +
      `<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>InvalidMessageContents</Code>` +
      `<Message>Invalid binary character &apos;#x1&apos; was found in the message body, the set of allowed characters is ` +
      `#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF</Message></BatchResultErrorEntry>` +
      `</SendMessageBatchResult><ResponseMetadata><RequestId>RID</RequestId></ResponseMetadata></SendMessageBatchResponse>`,
  );
  const got = await query({ Action: "ReceiveMessage", MaxNumberOfMessages: "10" }, { path: p });
  const handle = /<ReceiptHandle>([^<]+)</.exec(got.body)![1]!;
  const changed = await query(
    {
      Action: "ChangeMessageVisibilityBatch",
      "ChangeMessageVisibilityBatchRequestEntry.1.Id": "c1",
      "ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle": handle,
      "ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout": "60",
    },
    { path: p },
  );
  assert.match(
    changed.body,
    /<ChangeMessageVisibilityBatchResult><ChangeMessageVisibilityBatchResultEntry><Id>c1<\/Id><\/ChangeMessageVisibilityBatchResultEntry><\/ChangeMessageVisibilityBatchResult>/,
  );
  const deleted = await query(
    {
      Action: "DeleteMessageBatch",
      "DeleteMessageBatchRequestEntry.1.Id": "d1",
      "DeleteMessageBatchRequestEntry.1.ReceiptHandle": handle,
      "DeleteMessageBatchRequestEntry.2.Id": "d2",
      "DeleteMessageBatchRequestEntry.2.ReceiptHandle": "garbage",
    },
    { path: p },
  );
  assert.equal(
    stable(deleted.body),
    `<DeleteMessageBatchResponse xmlns="${NS}"><DeleteMessageBatchResult><DeleteMessageBatchResultEntry><Id>d1</Id></DeleteMessageBatchResultEntry>` +
      `<BatchResultErrorEntry><Id>d2</Id><SenderFault>true</SenderFault><Code>ReceiptHandleIsInvalid</Code>` +
      `<Message>The input receipt handle &quot;garbage&quot; is not a valid receipt handle.</Message></BatchResultErrorEntry>` +
      `</DeleteMessageBatchResult><ResponseMetadata><RequestId>RID</RequestId></ResponseMetadata></DeleteMessageBatchResponse>`,
  );
  assert.ok(url);
});

test("ListQueues answers flattened <QueueUrl> elements and a NextToken", async () => {
  const prefix = unique("qlist");
  for (const n of ["a", "b", "c"]) await newQueue(sqs, {}, { prefix: `${prefix}-${n}` });
  const r = await query({ Action: "ListQueues", QueueNamePrefix: prefix, MaxResults: "2" });
  assert.match(
    r.body,
    new RegExp(
      `^<ListQueuesResponse xmlns="${NS}"><ListQueuesResult><QueueUrl>[^<]+</QueueUrl><QueueUrl>[^<]+</QueueUrl><NextToken>[^<]+</NextToken></ListQueuesResult>`,
    ),
  );
});

test("AddPermission takes AWSAccountId.N and ActionName.N", async () => {
  const { name } = await newQueue(sqs);
  const r = await query({
    Action: "AddPermission",
    QueueUrl: name,
    Label: "l1",
    "AWSAccountId.1": "111122223333",
    "ActionName.1": "SendMessage",
    "ActionName.2": "ReceiveMessage",
  });
  assert.equal(r.status, 200, r.body);
  const policy = JSON.parse((await attributes(sqs, name, ["Policy"])).Policy!);
  assert.deepEqual(policy.Statement[0].Action, ["SQS:SendMessage", "SQS:ReceiveMessage"]);
  assert.equal(policy.Statement[0].Principal.AWS, "arn:aws:iam::111122223333:root");
});

test("Query errors: AWS's codes and WSDL-era messages in an ErrorResponse", async () => {
  const missing = await query({ Action: "GetQueueUrl", QueueName: unique("nope") });
  assert.equal(missing.status, 400);
  assert.equal(
    stable(missing.body),
    `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>` +
      `<Message>The specified queue does not exist for this wsdl version.</Message></Error><RequestId>RID</RequestId></ErrorResponse>`,
  );
  const { name } = await newQueue(sqs);
  const p = `/${ACCOUNT}/${name}`;
  const cases: [Record<string, string>, string, string][] = [
    [{ Action: "FooBar", Version: "2012-11-05" }, "InvalidAction", "The action FooBar is not valid for this endpoint."],
    [
      { Action: "CreateQueue", QueueName: "x" },
      "InvalidAction",
      "The action CreateQueue is not valid for this endpoint.",
    ],
    [{ Action: "ListQueues" }, "InvalidAction", "The action ListQueues is not valid for this endpoint."],
    [{ Action: "SendMessage" }, "MissingParameter", "The request must contain the parameter MessageBody."],
    [
      { Action: "ReceiveMessage", MaxNumberOfMessages: "11" },
      "InvalidParameterValue",
      "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.",
    ],
    [
      {
        Action: "SendMessageBatch",
        "SendMessageBatchRequestEntry.1.Id": "a:b",
        "SendMessageBatchRequestEntry.1.MessageBody": "x",
      },
      "AWS.SimpleQueueService.InvalidBatchEntryId",
      "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
    ],
  ];
  for (const [params, code, message] of cases) {
    const r = await query(params, { path: p, method: "GET" });
    assert.equal(r.status, 400, r.body);
    assert.match(
      r.body,
      new RegExp(
        `<Error><Type>Sender</Type><Code>${code.replace(/\./g, "\\.")}</Code><Message>${message.replace(/[.()]/g, "\\$&")}</Message></Error>`,
      ),
    );
  }
  const deleted = await newQueue(sqs);
  await query({ Action: "DeleteQueue" }, { path: `/${ACCOUNT}/${deleted.name}`, method: "GET" });
  const gone = await query(
    { Action: "GetQueueAttributes", "AttributeName.1": "QueueArn" },
    { path: `/${ACCOUNT}/${deleted.name}`, method: "GET" },
  );
  assert.equal(gone.status, 400);
  assert.match(
    gone.body,
    /<Code>AWS\.SimpleQueueService\.NonExistentQueue<\/Code><Message>The specified queue does not exist for this wsdl version\.<\/Message>/,
  );
});

/** AWS_DATA_PATH with SQS's model as a Query model (its last botocore form), so botocore speaks Query. */
function queryModelDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-sqs-query-"));
  mkdirSync(path.join(dir, "sqs", "2012-11-05"), { recursive: true });
  writeFileSync(path.join(dir, "sqs", "2012-11-05", "service-2.json"), JSON.stringify(buildQueryModel()));
  return dir;
}

const BOTO_SCRIPT = (queue: string) => `
import boto3, json
sqs = boto3.client("sqs")
out = {"protocol": sqs.meta.service_model.resolved_protocol}
url = sqs.create_queue(QueueName=${JSON.stringify(queue)}, Attributes={"VisibilityTimeout": "45"}, tags={"t": "v"})["QueueUrl"]
sent = sqs.send_message(QueueUrl=url, MessageBody="hi", MessageAttributes={"n": {"DataType": "Number", "StringValue": "12"}, "b": {"DataType": "Binary", "BinaryValue": b"\\x00\\xff"}})
batch = sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "1", "MessageBody": "one"}, {"Id": "2", "MessageBody": "\\x01"}])
got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"], MessageAttributeNames=["All"])["Messages"]
out["sent_md5"] = [sent["MD5OfMessageBody"], sent["MD5OfMessageAttributes"]]
out["batch"] = [[e["Id"] for e in batch["Successful"]], [[e["Id"], e["Code"], e["SenderFault"]] for e in batch["Failed"]]]
out["bodies"] = sorted(m["Body"] for m in got)
out["attrs"] = [sorted(m.get("MessageAttributes", {}).keys()) for m in got if m["Body"] == "hi"][0]
out["binary"] = [m["MessageAttributes"]["b"]["BinaryValue"].hex() for m in got if m["Body"] == "hi"][0]
out["count"] = [m["Attributes"]["ApproximateReceiveCount"] for m in got]
deleted = sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])
out["deleted"] = len(deleted["Successful"])
out["attributes"] = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout", "ApproximateNumberOfMessages"])["Attributes"]
out["tags"] = sqs.list_queue_tags(QueueUrl=url)["Tags"]
out["listed"] = sqs.list_queues(QueueNamePrefix=${JSON.stringify(queue)})["QueueUrls"] == [url]
errors = []
for call in [lambda: sqs.get_queue_url(QueueName="does-not-exist-${queue}"),
             lambda: sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=11),
             lambda: sqs.delete_message(QueueUrl=url, ReceiptHandle="garbage"),
             lambda: sqs.send_message(QueueUrl=url, MessageBody="\\x00"),
             lambda: sqs.create_queue(QueueName=${JSON.stringify(queue)}, Attributes={"VisibilityTimeout": "46"})]:
    try:
        call()
        errors.append(None)
    except sqs.exceptions.ClientError as e:
        errors.append([e.response["Error"]["Code"], e.response["Error"]["Message"], e.response["ResponseMetadata"]["HTTPStatusCode"]])
out["errors"] = errors
print(json.dumps(out))
`;

for (const protocol of ["json", "query"]) {
  test(`boto3 speaks SQS ${protocol} to Vigil`, async () => {
    const queue = unique(`boto-${protocol}`);
    const env = { ...awsEnv(vigil.url), ...(protocol === "query" ? { AWS_DATA_PATH: queryModelDir() } : {}) };
    const out = JSON.parse(await python(BOTO_SCRIPT(queue), env));
    const wsdl = protocol === "query" ? " for this wsdl version" : "";
    assert.deepEqual(out, {
      protocol,
      sent_md5: ["49f68a5c8493ec2c0bf489821c21fc3b", out.sent_md5[1]],
      batch: [["1"], [["2", "InvalidMessageContents", true]]],
      bodies: ["hi", "one"],
      attrs: ["b", "n"],
      binary: "00ff",
      count: ["1", "1"],
      deleted: 2,
      attributes: { VisibilityTimeout: "45", ApproximateNumberOfMessages: "0" },
      tags: { t: "v" },
      listed: true,
      errors: [
        ["AWS.SimpleQueueService.NonExistentQueue", `The specified queue does not exist${wsdl}.`, 400],
        [
          "InvalidParameterValue",
          "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.",
          400,
        ],
        ["ReceiptHandleIsInvalid", 'The input receipt handle "garbage" is not a valid receipt handle.', 400],
        [
          "InvalidMessageContents",
          "Invalid binary character '#x0' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
          400,
        ],
        [
          "QueueAlreadyExists",
          "A queue already exists with the same name and a different value for attribute VisibilityTimeout",
          400,
        ],
      ],
    });
    assert.match(out.sent_md5[1], /^[0-9a-f]{32}$/);
  });
}
