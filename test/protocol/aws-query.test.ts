/** awsQuery codec round trips through real clients (JS SDK v3 STS, SNS, CloudWatch forced onto Query; boto3). */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { AddressInfo } from "node:net";
import { STSClient, GetCallerIdentityCommand, AssumeRoleCommand } from "@aws-sdk/client-sts";
import {
  SNSClient,
  PublishCommand,
  ListTopicsCommand,
  GetTopicAttributesCommand,
  DeleteTopicCommand,
} from "@aws-sdk/client-sns";
import { CloudWatchClient, PutMetricDataCommand, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { AwsQueryProtocol } from "@aws-sdk/core/protocols";
import { awsQuery, queryErrorCode } from "../../src/protocol/aws-query.js";
import { loadModel, type ServiceModel } from "../../src/protocol/model.js";
import { awsError, isAwsError } from "../../src/errors/index.js";

const execFileAsync = promisify(execFile);

type Handler = (input: Record<string, unknown>) => unknown;

/** Per-service handlers the tiny server dispatches to; each test installs its own. */
const handlers = new Map<string, Handler>();
const seen: { operation: string; input: Record<string, unknown> }[] = [];
let url = "";
let server: http.Server;
let requestCounter = 0;

const models: Record<string, ServiceModel> = {
  sts: loadModel("sts"),
  sns: loadModel("sns"),
  monitoring: loadModel("cloudwatch"),
};
const validationCode: Record<string, string> = {
  sts: "ValidationError",
  sns: "ValidationError",
  monitoring: "ValidationError",
};

/** Picks the service from the SigV4 credential scope, as the gateway does. */
function serviceOf(req: http.IncomingMessage): string {
  const m = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? "");
  return m?.[1] ?? "sts";
}

before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const service = serviceOf(req);
      const model = models[service]!;
      const u = new URL(req.url ?? "/", "http://x");
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(",") : v;
      const ctx = { requestId: `req-${++requestCounter}` };
      let operation: string | undefined;
      let out;
      try {
        const decoded = awsQuery.decode(
          {
            method: req.method ?? "GET",
            path: u.pathname,
            query: u.searchParams,
            headers,
            body: Buffer.concat(chunks),
          },
          model,
          validationCode[service]!,
        );
        operation = decoded.operation;
        seen.push(decoded);
        const handler = handlers.get(`${service}:${operation}`);
        if (!handler) throw awsError("NotImplemented", `no test handler for ${operation}`, 501);
        out = awsQuery.encode(model, operation, handler(decoded.input), ctx);
      } catch (e) {
        if (!isAwsError(e)) throw e;
        out = awsQuery.encodeError(model, operation, e, ctx);
      }
      res.writeHead(out.status, out.headers);
      res.end(out.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const clientConfig = () => ({
  endpoint: url,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  maxAttempts: 1,
});

function lastInput(operation: string): Record<string, unknown> {
  const found = [...seen].reverse().find((s) => s.operation === operation);
  assert.ok(found, `the server saw ${operation}`);
  return found.input;
}

// ---------------------------------------------------------------------------------------------------
// STS

test("STS GetCallerIdentity round-trips through the JS SDK", async () => {
  handlers.set("sts:GetCallerIdentity", () => ({
    UserId: "AIDAEXAMPLE",
    Account: "000000000000",
    Arn: "arn:aws:iam::000000000000:root",
  }));
  const sts = new STSClient(clientConfig());
  const res = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(res.UserId, "AIDAEXAMPLE");
  assert.equal(res.Account, "000000000000");
  assert.equal(res.Arn, "arn:aws:iam::000000000000:root");
  assert.match(res.$metadata.requestId ?? "", /^req-\d+$/);
  assert.equal(res.$metadata.httpStatusCode, 200);
});

test("STS AssumeRole: nested lists in, nested structures and a timestamp out", async () => {
  const expiration = new Date("2026-11-23T01:02:03.000Z");
  handlers.set("sts:AssumeRole", () => ({
    Credentials: {
      AccessKeyId: "ASIAEXAMPLE",
      SecretAccessKey: "s&<>\"'",
      SessionToken: "tok",
      Expiration: expiration,
    },
    AssumedRoleUser: { AssumedRoleId: "AROA:sess", Arn: "arn:aws:sts::000000000000:assumed-role/r/sess" },
    PackedPolicySize: 7,
  }));
  const sts = new STSClient(clientConfig());
  const res = await sts.send(
    new AssumeRoleCommand({
      RoleArn: "arn:aws:iam::000000000000:role/r",
      RoleSessionName: "sess",
      DurationSeconds: 900,
      PolicyArns: [{ arn: "arn:aws:iam::aws:policy/A" }, { arn: "arn:aws:iam::aws:policy/B" }],
      Tags: [
        { Key: "team", Value: "a b+c=d:/@" },
        { Key: "env", Value: "ünï" },
      ],
      TransitiveTagKeys: ["team"],
    }),
  );
  assert.deepEqual(lastInput("AssumeRole"), {
    RoleArn: "arn:aws:iam::000000000000:role/r",
    RoleSessionName: "sess",
    DurationSeconds: 900,
    PolicyArns: [{ arn: "arn:aws:iam::aws:policy/A" }, { arn: "arn:aws:iam::aws:policy/B" }],
    Tags: [
      { Key: "team", Value: "a b+c=d:/@" },
      { Key: "env", Value: "ünï" },
    ],
    TransitiveTagKeys: ["team"],
  });
  assert.deepEqual(res.Credentials, {
    AccessKeyId: "ASIAEXAMPLE",
    SecretAccessKey: "s&<>\"'",
    SessionToken: "tok",
    Expiration: expiration,
  });
  assert.deepEqual(res.AssumedRoleUser, {
    AssumedRoleId: "AROA:sess",
    Arn: "arn:aws:sts::000000000000:assumed-role/r/sess",
  });
  assert.equal(res.PackedPolicySize, 7);
});

test("an error shape's error.code goes on the wire and the SDK maps it back to the exception", async () => {
  handlers.set("sts:AssumeRole", () => {
    throw awsError("MalformedPolicyDocumentException", "The policy is not valid JSON.", 400);
  });
  const sts = new STSClient(clientConfig());
  await assert.rejects(
    sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/r", RoleSessionName: "sess" })),
    (e: Error & { $metadata: { httpStatusCode: number; requestId?: string }; Code?: string; $fault?: string }) => {
      assert.equal(e.name, "MalformedPolicyDocumentException");
      assert.equal(e.message, "The policy is not valid JSON.");
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.equal(e.$fault, "client");
      assert.match(e.$metadata.requestId ?? "", /^req-\d+$/);
      return true;
    },
  );
  assert.equal(queryErrorCode(models.sts!, "MalformedPolicyDocumentException"), "MalformedPolicyDocument");
});

test("a server fault is Type Receiver with its status", async () => {
  handlers.set("sts:GetCallerIdentity", () => {
    throw awsError("InternalFailure", "boom", 500);
  });
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "Action=GetCallerIdentity&Version=2011-06-15",
  });
  assert.equal(res.status, 500);
  assert.equal(res.headers.get("content-type"), "text/xml");
  assert.match(res.headers.get("x-amzn-requestid") ?? "", /^req-\d+$/);
  const body = await res.text();
  assert.match(
    body,
    /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Receiver<\/Type><Code>InternalFailure<\/Code><Message>boom<\/Message><\/Error><RequestId>req-\d+<\/RequestId><\/ErrorResponse>$/,
  );
});

test("an unknown Action is InvalidAction 400 with AWS's message; a missing one is MissingAction", async () => {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "Action=NoSuchThing&Version=2011-06-15",
  });
  assert.equal(res.status, 400);
  const body = await res.text();
  assert.match(
    body,
    /<Code>InvalidAction<\/Code><Message>The action NoSuchThing is not valid for this web service\.<\/Message>/,
  );
  const missing = await fetch(`${url}/?Version=2011-06-15`);
  assert.equal(missing.status, 400);
  assert.match(await missing.text(), /<Code>MissingAction<\/Code>/);
});

test("GET with the query string works like a form POST", async () => {
  handlers.set("sts:GetCallerIdentity", () => ({ Account: "123456789012" }));
  const res = await fetch(`${url}/?Action=GetCallerIdentity&Version=2011-06-15`);
  assert.equal(res.status, 200);
  const body = await res.text();
  assert.match(
    body,
    /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><GetCallerIdentityResult><Account>123456789012<\/Account><\/GetCallerIdentityResult><ResponseMetadata><RequestId>req-\d+<\/RequestId><\/ResponseMetadata><\/GetCallerIdentityResponse>$/,
  );
});

test("form decoding: + is a space, %2B a plus, malformed escapes kept; body wins over the query string", () => {
  const { operation, input } = awsQuery.decode(
    {
      method: "POST",
      path: "/",
      query: new URLSearchParams("Action=ListTopics&Message=from-query"),
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body: Buffer.from(
        "Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At&Message=a+b%2Bc%ZZ%C3%BC&Subject=",
      ),
    },
    models.sns!,
    "ValidationError",
  );
  assert.equal(operation, "Publish");
  assert.deepEqual(input, { TopicArn: "arn:aws:sns:us-east-1:000000000000:t", Message: "a b+c%ZZü", Subject: "" });
});

test("a value of the wrong type is the service's validation error", async () => {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Fr&RoleSessionName=sess&DurationSeconds=abc",
  });
  assert.equal(res.status, 400);
  const body = await res.text();
  assert.match(body, /<Code>ValidationError<\/Code>/);
  assert.match(
    body,
    /Value &apos;abc&apos; at &apos;durationSeconds&apos; failed to satisfy constraint: Member must be a number/,
  );
});

test("decoded input is validated against the model (required member missing)", async () => {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "Action=AssumeRole&Version=2011-06-15&RoleSessionName=sess",
  });
  assert.equal(res.status, 400);
  const body = await res.text();
  assert.match(body, /<Code>ValidationError<\/Code>/);
  assert.match(body, /roleArn/);
});

// ---------------------------------------------------------------------------------------------------
// SNS

test("SNS Publish: a MessageAttributes map with String and Binary values; control characters survive", async () => {
  handlers.set("sns:Publish", () => ({ MessageId: "mid-1", SequenceNumber: "10000000000000000001" }));
  const sns = new SNSClient(clientConfig());
  const message = "line1\r\nline2\ttab & <tag> \"q\" 'a' ü 😀";
  const res = await sns.send(
    new PublishCommand({
      TopicArn: "arn:aws:sns:us-east-1:000000000000:t",
      Message: message,
      Subject: "subj",
      MessageAttributes: {
        color: { DataType: "String", StringValue: "blue" },
        "weird.name-1": { DataType: "Number", StringValue: "3.14" },
        bin: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 2, 255]) },
      },
    }),
  );
  assert.equal(res.MessageId, "mid-1");
  assert.equal(res.SequenceNumber, "10000000000000000001");
  const input = lastInput("Publish");
  assert.equal(input.Message, message);
  assert.equal(input.Subject, "subj");
  const attrs = input.MessageAttributes as Record<
    string,
    { DataType: string; StringValue?: string; BinaryValue?: Buffer }
  >;
  assert.deepEqual(Object.keys(attrs).sort(), ["bin", "color", "weird.name-1"]);
  assert.deepEqual(attrs.color, { DataType: "String", StringValue: "blue" });
  assert.deepEqual(attrs["weird.name-1"], { DataType: "Number", StringValue: "3.14" });
  assert.equal(attrs.bin!.DataType, "Binary");
  assert.deepEqual([...attrs.bin!.BinaryValue!], [0, 1, 2, 255]);
});

test("SNS ListTopics: a list of structures and a token; GetTopicAttributes: a map out", async () => {
  handlers.set("sns:ListTopics", (input) => ({
    Topics: [
      { TopicArn: "arn:aws:sns:us-east-1:000000000000:a" },
      { TopicArn: "arn:aws:sns:us-east-1:000000000000:b" },
    ],
    NextToken: `after-${String(input.NextToken)}`,
  }));
  const sns = new SNSClient(clientConfig());
  const res = await sns.send(new ListTopicsCommand({ NextToken: "t0" }));
  assert.deepEqual(res.Topics, [
    { TopicArn: "arn:aws:sns:us-east-1:000000000000:a" },
    { TopicArn: "arn:aws:sns:us-east-1:000000000000:b" },
  ]);
  assert.equal(res.NextToken, "after-t0");

  handlers.set("sns:ListTopics", () => ({ Topics: [] }));
  const empty = await sns.send(new ListTopicsCommand({}));
  assert.deepEqual(empty.Topics, []);

  handlers.set("sns:GetTopicAttributes", () => ({
    Attributes: { DisplayName: "d & n", Policy: '{"Version":"2012-10-17"}', SubscriptionsConfirmed: "0" },
  }));
  const attrs = await sns.send(new GetTopicAttributesCommand({ TopicArn: "arn:aws:sns:us-east-1:000000000000:a" }));
  assert.deepEqual(attrs.Attributes, {
    DisplayName: "d & n",
    Policy: '{"Version":"2012-10-17"}',
    SubscriptionsConfirmed: "0",
  });
});

test("SNS: an operation without output answers ResponseMetadata only; NotFound maps to NotFoundException", async () => {
  handlers.set("sns:DeleteTopic", () => undefined);
  const sns = new SNSClient(clientConfig());
  const ok = await sns.send(new DeleteTopicCommand({ TopicArn: "arn:aws:sns:us-east-1:000000000000:a" }));
  assert.equal(ok.$metadata.httpStatusCode, 200);

  handlers.set("sns:GetTopicAttributes", () => {
    throw awsError("NotFoundException", "Topic does not exist", 404);
  });
  await assert.rejects(
    sns.send(new GetTopicAttributesCommand({ TopicArn: "arn:aws:sns:us-east-1:000000000000:nope" })),
    (e: Error & { $metadata: { httpStatusCode: number } }) => {
      assert.equal(e.name, "NotFoundException");
      assert.equal(e.message, "Topic does not exist");
      assert.equal(e.$metadata.httpStatusCode, 404);
      return true;
    },
  );
});

// ---------------------------------------------------------------------------------------------------
// CloudWatch on Query

function cloudWatchOnQuery(): CloudWatchClient {
  // The client builds its default protocol from `protocol` + its own protocolSettings (runtimeConfig.shared.js);
  // passing the Query class makes it send form-encoded Query with the same settings.
  return new CloudWatchClient({ ...clientConfig(), protocol: AwsQueryProtocol });
}

test("CloudWatch PutMetricData over Query: structures with Dimensions lists, timestamps, doubles, Values/Counts", async () => {
  handlers.set("monitoring:PutMetricData", () => undefined);
  const cw = cloudWatchOnQuery();
  const ts = new Date("2026-11-23T01:02:03.000Z");
  await cw.send(
    new PutMetricDataCommand({
      Namespace: "App/Test",
      MetricData: [
        {
          MetricName: "Latency",
          Dimensions: [
            { Name: "Service", Value: "api" },
            { Name: "Stage", Value: "prod" },
          ],
          Timestamp: ts,
          Value: 12.5,
          Unit: "Milliseconds",
          StorageResolution: 1,
        },
        { MetricName: "Hist", Values: [1, 2.5, 1e-7], Counts: [3, 1, 2], Timestamp: ts },
        {
          MetricName: "Stats",
          StatisticValues: { SampleCount: 2, Sum: 3, Minimum: 1, Maximum: 2 },
          Dimensions: [],
        },
      ],
    }),
  );
  const input = lastInput("PutMetricData");
  assert.deepEqual(input, {
    Namespace: "App/Test",
    MetricData: [
      {
        MetricName: "Latency",
        Dimensions: [
          { Name: "Service", Value: "api" },
          { Name: "Stage", Value: "prod" },
        ],
        Timestamp: ts,
        Value: 12.5,
        Unit: "Milliseconds",
        StorageResolution: 1,
      },
      { MetricName: "Hist", Values: [1, 2.5, 1e-7], Counts: [3, 1, 2], Timestamp: ts },
      { MetricName: "Stats", StatisticValues: { SampleCount: 2, Sum: 3, Minimum: 1, Maximum: 2 }, Dimensions: [] },
    ],
  });
});

test("CloudWatch GetMetricData over Query: timestamps and doubles lists, enums, messages", async () => {
  const t1 = new Date("2026-11-23T01:00:00.000Z");
  const t2 = new Date("2026-11-23T01:01:00.000Z");
  handlers.set("monitoring:GetMetricData", () => ({
    MetricDataResults: [
      {
        Id: "m1",
        Label: "Latency",
        Timestamps: [t2, t1],
        Values: [1.5, -0.25],
        StatusCode: "Complete",
        Messages: [{ Code: "c", Value: "v" }],
      },
      { Id: "m2", Label: "Empty", Timestamps: [], Values: [], StatusCode: "PartialData" },
    ],
    NextToken: "nt",
    Messages: [],
  }));
  const cw = cloudWatchOnQuery();
  const res = await cw.send(
    new GetMetricDataCommand({
      StartTime: t1,
      EndTime: t2,
      MetricDataQueries: [
        {
          Id: "m1",
          MetricStat: {
            Metric: { Namespace: "App/Test", MetricName: "Latency", Dimensions: [{ Name: "Service", Value: "api" }] },
            Period: 60,
            Stat: "p99",
          },
          ReturnData: true,
        },
        { Id: "m2", Expression: "m1 * 2", ReturnData: false },
      ],
      ScanBy: "TimestampDescending",
    }),
  );
  assert.deepEqual(res.MetricDataResults, [
    {
      Id: "m1",
      Label: "Latency",
      Timestamps: [t2, t1],
      Values: [1.5, -0.25],
      StatusCode: "Complete",
      Messages: [{ Code: "c", Value: "v" }],
    },
    { Id: "m2", Label: "Empty", Timestamps: [], Values: [], StatusCode: "PartialData" },
  ]);
  assert.equal(res.NextToken, "nt");
  const input = lastInput("GetMetricData");
  assert.deepEqual(input.StartTime, t1);
  assert.equal(input.ScanBy, "TimestampDescending");
  assert.deepEqual(input.MetricDataQueries, [
    {
      Id: "m1",
      MetricStat: {
        Metric: { Namespace: "App/Test", MetricName: "Latency", Dimensions: [{ Name: "Service", Value: "api" }] },
        Period: 60,
        Stat: "p99",
      },
      ReturnData: true,
    },
    { Id: "m2", Expression: "m1 * 2", ReturnData: false },
  ]);
});

test("the response XML is what the model says, byte for byte", () => {
  const out = awsQuery.encode(
    models.monitoring!,
    "GetMetricData",
    { MetricDataResults: [{ Id: "a", Timestamps: [new Date(0)], Values: [0.1] }], Messages: [] },
    { requestId: "r1" },
  );
  assert.equal(
    String(out.body),
    '<GetMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><GetMetricDataResult>' +
      "<MetricDataResults><member><Id>a</Id><Timestamps><member>1970-01-01T00:00:00.000Z</member></Timestamps>" +
      "<Values><member>0.1</member></Values></member></MetricDataResults><Messages/></GetMetricDataResult>" +
      "<ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetMetricDataResponse>",
  );
});

test("SQS errors carry the legacy Query codes", () => {
  const sqs = loadModel("sqs");
  assert.equal(queryErrorCode(sqs, "QueueDoesNotExist"), "AWS.SimpleQueueService.NonExistentQueue");
  const out = awsQuery.encodeError(
    sqs,
    "GetQueueUrl",
    awsError("QueueDoesNotExist", "The specified queue does not exist."),
    {
      requestId: "r",
    },
  );
  assert.match(String(out.body), /^<ErrorResponse xmlns="http:\/\/queue\.amazonaws\.com\/doc\/2012-11-05\/">/);
  assert.match(String(out.body), /<Code>AWS\.SimpleQueueService\.NonExistentQueue<\/Code>/);
});

// ---------------------------------------------------------------------------------------------------
// boto3

async function boto3(script: string): Promise<string> {
  const { stdout } = await execFileAsync("python3", ["-c", script], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true",
    },
    timeout: 30_000,
  });
  return stdout.trim();
}

test("boto3: STS GetCallerIdentity, AssumeRole with an error, SNS Publish with attributes", async () => {
  handlers.set("sts:GetCallerIdentity", () => ({
    UserId: "AIDAEXAMPLE",
    Account: "000000000000",
    Arn: "arn:aws:iam::000000000000:root",
  }));
  handlers.set("sts:AssumeRole", () => {
    throw awsError("RegionDisabledException", "STS is not activated in this region.", 403);
  });
  handlers.set("sns:Publish", () => ({ MessageId: "mid-boto" }));
  const out = await boto3(`
import boto3, json, botocore.exceptions, datetime
from botocore.config import Config
cfg = Config(retries={"max_attempts": 1})
sts = boto3.client("sts", endpoint_url=${JSON.stringify(url)}, config=cfg)
r = sts.get_caller_identity()
res = {"id": [r["UserId"], r["Account"], r["Arn"], r["ResponseMetadata"]["RequestId"]]}
try:
    sts.assume_role(RoleArn="arn:aws:iam::000000000000:role/r", RoleSessionName="sess", DurationSeconds=900,
                    Tags=[{"Key": "k", "Value": "v"}])
except botocore.exceptions.ClientError as e:
    res["err"] = [e.response["Error"]["Code"], e.response["Error"]["Message"], e.response["Error"].get("Type"),
                  e.response["ResponseMetadata"]["HTTPStatusCode"], type(e).__name__]
sns = boto3.client("sns", endpoint_url=${JSON.stringify(url)}, config=cfg)
p = sns.publish(TopicArn="arn:aws:sns:us-east-1:000000000000:t", Message="hi\\r\\nthere",
                MessageAttributes={"a": {"DataType": "String", "StringValue": "x"},
                                   "b": {"DataType": "Binary", "BinaryValue": b"\\x00\\xff"}})
res["pub"] = p["MessageId"]
print(json.dumps(res))
`);
  const res = JSON.parse(out) as { id: string[]; err: unknown[]; pub: string };
  assert.deepEqual(res.id.slice(0, 3), ["AIDAEXAMPLE", "000000000000", "arn:aws:iam::000000000000:root"]);
  assert.match(res.id[3]!, /^req-\d+$/);
  assert.deepEqual(res.err, [
    "RegionDisabledException",
    "STS is not activated in this region.",
    "Sender",
    403,
    "RegionDisabledException",
  ]);
  assert.equal(res.pub, "mid-boto");
  assert.deepEqual(lastInput("AssumeRole").Tags, [{ Key: "k", Value: "v" }]);
  const pub = lastInput("Publish");
  assert.equal(pub.Message, "hi\r\nthere");
  const attrs = pub.MessageAttributes as Record<
    string,
    { DataType: string; StringValue?: string; BinaryValue?: Buffer }
  >;
  assert.deepEqual(attrs.a, { DataType: "String", StringValue: "x" });
  assert.deepEqual([...attrs.b!.BinaryValue!], [0, 255]);
});
