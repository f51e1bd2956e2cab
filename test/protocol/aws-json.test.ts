/** awsJson1_0 / awsJson1_1 codec: unit tests on wire requests, and round trips through the real JS SDK v3 clients. */
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  PutLogEventsCommand,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  CloudWatchClient,
  GetMetricDataCommand,
  DeleteDashboardsCommand,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { SQSClient, SendMessageCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { awsJson1_0, awsJson1_1 } from "../../src/protocol/aws-json.js";
import { loadModel, type ServiceModel } from "../../src/protocol/model.js";
import type { ProtocolCodec, WireRequest } from "../../src/protocol/types.js";
import { awsError, isAwsError, type AwsError } from "../../src/errors/index.js";

const logs = loadModel("logs");
const cloudwatch = loadModel("cloudwatch");
const sqs = loadModel("sqs");
const cloudtrail = loadModel("cloudtrail");

function req(target: string | undefined, body: unknown, headers: Record<string, string> = {}): WireRequest {
  const raw =
    body === undefined ? Buffer.alloc(0) : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  return {
    method: "POST",
    path: "/",
    query: new URLSearchParams(),
    headers: { ...(target ? { "x-amz-target": target } : {}), ...headers },
    body: raw,
  };
}

/** The fields of an SDK v3 service exception the tests look at. */
interface SdkError {
  name: string;
  message: string;
  $fault: "client" | "server";
  $metadata: { httpStatusCode?: number };
  Code?: string;
  Type?: string;
}

function thrown(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (e) {
    if (isAwsError(e)) return e;
    throw e;
  }
  assert.fail("expected an AwsError");
}

describe("awsJson decode", () => {
  test("finds the operation from X-Amz-Target and types the input", () => {
    const { operation, input } = awsJson1_1.decode(
      req("Logs_20140328.PutLogEvents", {
        logGroupName: "g",
        logStreamName: "s",
        logEvents: [{ timestamp: 1700000000123, message: "hello" }],
        unknownMember: { anything: 1 },
        sequenceToken: null,
      }),
      logs,
      "InvalidParameterException",
    );
    assert.equal(operation, "PutLogEvents");
    assert.deepEqual(input, {
      logGroupName: "g",
      logStreamName: "s",
      logEvents: [{ timestamp: 1700000000123, message: "hello" }],
    });
  });

  test("target prefixes with dots (CloudTrail) resolve", () => {
    const { operation } = awsJson1_1.decode(
      req("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails", {}),
      cloudtrail,
      "InvalidParameterException",
    );
    assert.equal(operation, "DescribeTrails");
  });

  const unknownTargets: [string, string | undefined][] = [
    ["missing target", undefined],
    ["no dot", "PutLogEvents"],
    ["wrong prefix", "Logs_20990101.PutLogEvents"],
    ["unknown operation", "Logs_20140328.PutSomething"],
    ["prototype name", "Logs_20140328.constructor"],
    ["empty operation", "Logs_20140328."],
  ];
  for (const [name, target] of unknownTargets) {
    test(`${name} is UnknownOperationException`, () => {
      const e = thrown(() => awsJson1_1.decode(req(target, {}), logs, "InvalidParameterException"));
      assert.equal(e.code, "UnknownOperationException");
      assert.equal(e.httpStatus, 400);
    });
  }

  test("an empty body is {} and then fails validation like AWS", () => {
    const e = thrown(() =>
      awsJson1_1.decode(req("Logs_20140328.CreateLogGroup", undefined), logs, "InvalidParameterException"),
    );
    assert.equal(e.code, "InvalidParameterException");
    assert.equal(
      e.message,
      "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null",
    );
  });

  const serializationCases: [string, string, unknown, string][] = [
    ["malformed JSON", "Logs_20140328.CreateLogGroup", "{not json", "The request body is not valid JSON."],
    ["array at top level", "Logs_20140328.CreateLogGroup", [], "Start of list found where not expected"],
    ["number at top level", "Logs_20140328.CreateLogGroup", "5", "Expected a JSON object."],
    [
      "string for an integer",
      "Logs_20140328.DescribeLogGroups",
      { limit: "5" },
      "class java.lang.String can not be converted to an Integer",
    ],
    [
      "structure for a string",
      "Logs_20140328.CreateLogGroup",
      { logGroupName: { a: 1 } },
      "Start of structure or map found where not expected.",
    ],
    [
      "list for a string",
      "Logs_20140328.CreateLogGroup",
      { logGroupName: ["a"] },
      "Start of list found where not expected",
    ],
    [
      "number for a string",
      "Logs_20140328.CreateLogGroup",
      { logGroupName: 5 },
      "class java.lang.Short can not be converted to an String",
    ],
    ["string for a list", "Logs_20140328.PutLogEvents", { logEvents: "x" }, "Expected list or null"],
    ["string for a map", "Logs_20140328.CreateLogGroup", { logGroupName: "g", tags: "x" }, "Expected map or null"],
    ["string for a structure", "Logs_20140328.PutLogEvents", { logEvents: ["x"] }, "Expected null"],
    [
      "boolean for an integer",
      "Logs_20140328.DescribeLogGroups",
      { limit: true },
      "class java.lang.Boolean can not be converted to an Integer",
    ],
    [
      "number for a boolean",
      "Logs_20140328.DescribeLogGroups",
      { includeLinkedAccounts: 1 },
      "class java.lang.Short can not be converted to an Boolean",
    ],
    [
      "int out of range",
      "Logs_20140328.DescribeLogGroups",
      { limit: 3000000000 },
      "Numeric value (3000000000) out of range of int",
    ],
  ];
  for (const [name, target, body, message] of serializationCases) {
    test(`${name} is SerializationException`, () => {
      const e = thrown(() => awsJson1_1.decode(req(target, body), logs, "InvalidParameterException"));
      assert.equal(e.code, "SerializationException");
      assert.equal(e.message, message);
      assert.equal(e.httpStatus, 400);
    });
  }

  test("timestamps accept epoch seconds (fractional) and ISO 8601; doubles accept NaN/Infinity strings", () => {
    const { input } = awsJson1_0.decode(
      req("GraniteServiceVersion20100801.PutMetricData", {
        Namespace: "ns",
        MetricData: [
          { MetricName: "a", Timestamp: 1700000000.5, Value: "NaN" },
          { MetricName: "b", Timestamp: "2023-11-14T22:13:20.250Z", Value: "-Infinity", Values: [1, "Infinity"] },
        ],
      }),
      cloudwatch,
      "InvalidParameterValue",
    );
    const data = input.MetricData as Record<string, unknown>[];
    assert.deepEqual(data[0]!.Timestamp, new Date(1700000000500));
    assert.ok(Number.isNaN(data[0]!.Value));
    assert.deepEqual(data[1]!.Timestamp, new Date(Date.UTC(2023, 10, 14, 22, 13, 20, 250)));
    assert.equal(data[1]!.Value, -Infinity);
    assert.deepEqual(data[1]!.Values, [1, Infinity]);
  });

  test("unparseable timestamps are SerializationException", () => {
    const e = thrown(() =>
      awsJson1_0.decode(
        req("GraniteServiceVersion20100801.GetMetricData", {
          MetricDataQueries: [],
          StartTime: "yesterday",
          EndTime: 1,
        }),
        cloudwatch,
        "ValidationError",
      ),
    );
    assert.equal(e.code, "SerializationException");
  });

  test("blobs are base64 and become Buffers; bad base64 is rejected", () => {
    const { input } = awsJson1_0.decode(
      req("AmazonSQS.SendMessage", {
        QueueUrl: "q",
        MessageBody: "m",
        MessageAttributes: { bin: { DataType: "Binary", BinaryValue: Buffer.from([0, 1, 2, 255]).toString("base64") } },
      }),
      sqs,
      "ValidationException",
    );
    const attrs = input.MessageAttributes as Record<string, { BinaryValue: Buffer }>;
    assert.ok(Buffer.isBuffer(attrs.bin!.BinaryValue));
    assert.deepEqual([...attrs.bin!.BinaryValue], [0, 1, 2, 255]);
    const e = thrown(() =>
      awsJson1_0.decode(
        req("AmazonSQS.SendMessage", {
          QueueUrl: "q",
          MessageBody: "m",
          MessageAttributes: { bin: { DataType: "Binary", BinaryValue: "ab$d" } },
        }),
        sqs,
        "ValidationException",
      ),
    );
    assert.equal(e.message, "'ab$d' can not be converted to a Blob: Invalid Base64 character: '$'");
  });

  test("fractional integers are truncated, as Jackson does", () => {
    const { input } = awsJson1_1.decode(req("Logs_20140328.DescribeLogGroups", { limit: 5.9 }), logs, "X");
    assert.equal(input.limit, 5);
  });

  test("a map key named __proto__ stays data", () => {
    const { input } = awsJson1_1.decode(
      req("Logs_20140328.CreateLogGroup", '{"logGroupName":"g","tags":{"__proto__":"v","k":"w"}}'),
      logs,
      "X",
    );
    const tags = input.tags as Record<string, string>;
    assert.equal(Object.getPrototypeOf(tags), Object.prototype);
    assert.deepEqual(Object.keys(tags), ["__proto__", "k"]);
  });

  test("validation errors use the given code and AWS's message", () => {
    const e = thrown(() =>
      awsJson1_0.decode(
        req("GraniteServiceVersion20100801.SetAlarmState", { AlarmName: "a", StateValue: "INVALID", StateReason: "r" }),
        cloudwatch,
        "ValidationError",
      ),
    );
    assert.equal(e.code, "ValidationError");
    assert.equal(
      e.message,
      "1 validation error detected: Value 'INVALID' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]",
    );
  });
});

describe("awsJson encode", () => {
  const ctx = { requestId: "req-1" };

  test("serializes by the output shape: timestamps as epoch seconds, blobs as base64, extras dropped", () => {
    const res = awsJson1_1.encode(
      logs,
      "DescribeLogGroups",
      {
        logGroups: [
          {
            logGroupName: "g",
            creationTime: 1700000000123,
            retentionInDays: 7,
            bogus: "x",
            arn: undefined,
            kmsKeyId: null,
          },
        ],
        nextToken: undefined,
        notInShape: 1,
      },
      ctx,
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "application/x-amz-json-1.1");
    assert.equal(res.headers["x-amzn-requestid"], "req-1");
    assert.equal(
      res.body.toString(),
      '{"logGroups":[{"logGroupName":"g","creationTime":1700000000123,"retentionInDays":7}]}',
    );
  });

  test("Dates and epoch-millisecond numbers become epoch seconds; non-finite doubles become strings", () => {
    const res = awsJson1_0.encode(
      cloudwatch,
      "GetMetricData",
      {
        MetricDataResults: [
          {
            Id: "m1",
            Timestamps: [new Date(1700000000123), 1700000060000],
            Values: [1.5, NaN, Infinity, -Infinity, 2],
            StatusCode: "Complete",
          },
        ],
      },
      ctx,
    );
    assert.deepEqual(JSON.parse(res.body.toString()), {
      MetricDataResults: [
        {
          Id: "m1",
          Timestamps: [1700000000.123, 1700000060],
          Values: [1.5, "NaN", "Infinity", "-Infinity", 2],
          StatusCode: "Complete",
        },
      ],
    });
    assert.equal(res.headers["content-type"], "application/x-amz-json-1.0");
  });

  test("blobs are base64", () => {
    const res = awsJson1_0.encode(
      sqs,
      "ReceiveMessage",
      {
        Messages: [
          { MessageId: "1", MessageAttributes: { b: { DataType: "Binary", BinaryValue: Buffer.from("hi") } } },
        ],
      },
      ctx,
    );
    assert.deepEqual(JSON.parse(res.body.toString()), {
      Messages: [{ MessageId: "1", MessageAttributes: { b: { DataType: "Binary", BinaryValue: "aGk=" } } }],
    });
  });

  test("empty or missing output is {}", () => {
    assert.equal(awsJson1_1.encode(logs, "DeleteLogGroup", undefined, ctx).body.toString(), "{}");
    assert.equal(awsJson1_1.encode(logs, "DescribeLogGroups", {}, ctx).body.toString(), "{}");
    assert.equal(awsJson1_1.encode(logs, "DescribeLogGroups", null, ctx).body.toString(), "{}");
  });
});

describe("awsJson encodeError", () => {
  test("__type is the bare code, message and extras in the body, status from the error", () => {
    const res = awsJson1_1.encodeError(
      logs,
      "DeleteLogGroup",
      awsError("ResourceNotFoundException", "The specified log group does not exist.", 400),
      { requestId: "r" },
    );
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.body.toString()), {
      __type: "ResourceNotFoundException",
      message: "The specified log group does not exist.",
    });
    assert.equal(res.headers["x-amzn-query-error"], undefined);
  });

  test("empty messages are left out (CloudWatch's ResourceNotFound has none)", () => {
    const res = awsJson1_0.encodeError(cloudwatch, undefined, awsError("ResourceNotFound", "", 404), {
      requestId: "r",
    });
    assert.equal(res.status, 404);
    assert.equal(res.body.toString(), '{"__type":"ResourceNotFound"}');
  });

  test("extras go into the body, typed by the error shape", () => {
    const res = awsJson1_0.encodeError(
      cloudwatch,
      "PutDashboard",
      awsError("InvalidParameterInput", "bad", 400, {
        dashboardValidationMessages: [{ DataPath: "/x", Message: "m" }],
      }),
      { requestId: "r" },
    );
    assert.deepEqual(JSON.parse(res.body.toString()), {
      __type: "DashboardInvalidInputError",
      message: "bad",
      dashboardValidationMessages: [{ DataPath: "/x", Message: "m" }],
    });
  });

  const queryCases: [string, ServiceModel, AwsError, string, string][] = [
    [
      "SQS shape name -> its Query code",
      sqs,
      awsError("QueueDoesNotExist", "The specified queue does not exist.", 400),
      "QueueDoesNotExist",
      "AWS.SimpleQueueService.NonExistentQueue;Sender",
    ],
    [
      "SQS Query code -> its shape name",
      sqs,
      awsError("AWS.SimpleQueueService.NonExistentQueue", "x", 400),
      "QueueDoesNotExist",
      "AWS.SimpleQueueService.NonExistentQueue;Sender",
    ],
    ["SQS QueueNameExists", sqs, awsError("QueueNameExists", "x"), "QueueNameExists", "QueueAlreadyExists;Sender"],
    [
      "framework InvalidParameterValue",
      sqs,
      awsError("InvalidParameterValue", "x"),
      "InvalidParameterValueException",
      "InvalidParameterValue;Sender",
    ],
    [
      "framework validation",
      sqs,
      awsError("ValidationException", "x"),
      "ValidationException",
      "ValidationError;Sender",
    ],
    [
      "CloudWatch error.code",
      cloudwatch,
      awsError("InvalidParameterValueException", "x"),
      "InvalidParameterValueException",
      "InvalidParameterValue;Sender",
    ],
    [
      "CloudWatch shape name beats another shape's code",
      cloudwatch,
      awsError("ResourceNotFound", "x", 404),
      "ResourceNotFound",
      "ResourceNotFound;Sender",
    ],
    [
      "server faults are Receiver",
      cloudwatch,
      awsError("InternalServiceFault", "x", 500),
      "InternalServiceFault",
      "InternalServiceError;Receiver",
    ],
    ["unknown codes pass through", sqs, awsError("Whatever", "x"), "Whatever", "Whatever;Sender"],
  ];
  for (const [name, model, error, type, header] of queryCases) {
    test(`query-compatible: ${name}`, () => {
      const res = awsJson1_0.encodeError(model, "Op", error, { requestId: "r", queryCompatible: true });
      assert.equal(JSON.parse(res.body.toString()).__type, type);
      assert.equal(res.headers["x-amzn-query-error"], header);
    });
  }

  test("no x-amzn-query-error without x-amzn-query-mode, nor for services that never spoke Query", () => {
    const e = awsError("QueueDoesNotExist", "x");
    assert.equal(awsJson1_0.encodeError(sqs, "Op", e, { requestId: "r" }).headers["x-amzn-query-error"], undefined);
    assert.equal(
      awsJson1_1.encodeError(logs, "Op", e, { requestId: "r", queryCompatible: true }).headers["x-amzn-query-error"],
      undefined,
    );
  });
});

// ---- Round trips through the real SDK clients ----

type Handler = (operation: string, input: Record<string, unknown>) => unknown;

interface Harness {
  endpoint: string;
  seen: { operation: string; input: Record<string, unknown>; headers: Record<string, string | undefined> }[];
  handler: Handler;
  close(): Promise<void>;
}

/** A minimal gateway: one service, one codec, the test's handler. */
async function serve(model: ServiceModel, codec: ProtocolCodec, validationErrorCode: string): Promise<Harness> {
  const h: Harness = {
    endpoint: "",
    seen: [],
    handler: () => ({}),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://x");
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v]),
      );
      const wire: WireRequest = {
        method: request.method ?? "POST",
        path: url.pathname,
        query: url.searchParams,
        headers,
        body: Buffer.concat(chunks),
      };
      const ctx = { requestId: "test-request-id", queryCompatible: headers["x-amzn-query-mode"] === "true" };
      let operation: string | undefined;
      let out;
      try {
        const decoded = codec.decode(wire, model, validationErrorCode);
        operation = decoded.operation;
        h.seen.push({ operation, input: decoded.input, headers });
        out = codec.encode(model, operation, h.handler(operation, decoded.input), ctx);
      } catch (e) {
        const err = isAwsError(e) ? e : awsError("InternalFailure", String(e), 500);
        out = codec.encodeError(model, operation, err, ctx);
      }
      response.writeHead(out.status, out.headers);
      response.end(out.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  h.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return h;
}

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  maxAttempts: 1,
});

describe("awsJson1_1 round trip with @aws-sdk/client-cloudwatch-logs", () => {
  let h: Harness;
  let client: CloudWatchLogsClient;
  before(async () => {
    h = await serve(logs, awsJson1_1, "InvalidParameterException");
    client = new CloudWatchLogsClient(clientConfig(h.endpoint));
  });
  after(async () => {
    client.destroy();
    await h.close();
  });

  test("PutLogEvents: the handler sees typed input, the client sees the output", async () => {
    h.handler = () => ({ nextSequenceToken: "tok", rejectedLogEventsInfo: { tooOldLogEventEndIndex: 1 } });
    const res = await client.send(
      new PutLogEventsCommand({
        logGroupName: "grp",
        logStreamName: "str",
        logEvents: [
          { timestamp: 1700000000000, message: "a" },
          { timestamp: 1700000000001, message: "b ünïcødé" },
        ],
      }),
    );
    const last = h.seen.at(-1)!;
    assert.equal(last.operation, "PutLogEvents");
    assert.equal(last.headers["x-amz-target"], "Logs_20140328.PutLogEvents");
    assert.equal(last.headers["content-type"], "application/x-amz-json-1.1");
    assert.deepEqual(last.input, {
      logGroupName: "grp",
      logStreamName: "str",
      logEvents: [
        { timestamp: 1700000000000, message: "a" },
        { timestamp: 1700000000001, message: "b ünïcødé" },
      ],
    });
    assert.equal(res.nextSequenceToken, "tok");
    assert.deepEqual(res.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1 });
    assert.equal(res.$metadata.requestId, "test-request-id");
  });

  test("DescribeLogGroups: lists of structures with longs and booleans", async () => {
    h.handler = () => ({
      logGroups: [
        { logGroupName: "a", creationTime: 1700000000123, retentionInDays: 30, storedBytes: 12, metricFilterCount: 0 },
        { logGroupName: "b", creationTime: 1, deletionProtectionEnabled: true },
      ],
      nextToken: "n",
    });
    const res = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "a", limit: 2 }));
    assert.deepEqual(h.seen.at(-1)!.input, { logGroupNamePrefix: "a", limit: 2 });
    assert.deepEqual(res.logGroups, [
      { logGroupName: "a", creationTime: 1700000000123, retentionInDays: 30, storedBytes: 12, metricFilterCount: 0 },
      { logGroupName: "b", creationTime: 1, deletionProtectionEnabled: true },
    ]);
    assert.equal(res.nextToken, "n");
  });

  test("a handler's error reaches the client with its name, message and status", async () => {
    h.handler = () => {
      throw awsError("ResourceNotFoundException", "The specified log group does not exist.");
    };
    await assert.rejects(client.send(new DeleteLogGroupCommand({ logGroupName: "nope" })), (e: SdkError) => {
      assert.equal(e.name, "ResourceNotFoundException");
      assert.equal(e.message, "The specified log group does not exist.");
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.equal(e.$fault, "client");
      return true;
    });
  });

  test("validation failures reach the client", async () => {
    h.handler = () => ({});
    await assert.rejects(client.send(new CreateLogGroupCommand({ logGroupName: "bad name!" })), (e: SdkError) => {
      assert.equal(e.name, "InvalidParameterException");
      assert.equal(
        e.message,
        "1 validation error detected: Value 'bad name!' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
      );
      return true;
    });
  });

  test("server faults reach the client as server faults", async () => {
    h.handler = () => {
      throw awsError("ServiceUnavailableException", "try later", 503);
    };
    await assert.rejects(client.send(new DeleteLogGroupCommand({ logGroupName: "g" })), (e: SdkError) => {
      assert.equal(e.name, "ServiceUnavailableException");
      assert.equal(e.$metadata.httpStatusCode, 503);
      assert.equal(e.$fault, "server");
      return true;
    });
  });
});

describe("awsJson1_0 round trip with @aws-sdk/client-cloudwatch (query-compatible)", () => {
  let h: Harness;
  let client: CloudWatchClient;
  before(async () => {
    h = await serve(cloudwatch, awsJson1_0, "ValidationError");
    client = new CloudWatchClient(clientConfig(h.endpoint));
  });
  after(async () => {
    client.destroy();
    await h.close();
  });

  test("GetMetricData: Dates, nested structures and doubles survive both ways", async () => {
    const start = new Date(1700000000000);
    const end = new Date(1700003600500);
    h.handler = (_op, input) => {
      const q = (input.MetricDataQueries as Record<string, unknown>[])[0]!;
      return {
        MetricDataResults: [
          {
            Id: q.Id,
            Label: "lbl",
            Timestamps: [input.StartTime, new Date(1700000060250)],
            Values: [1.25, 3],
            StatusCode: "Complete",
          },
        ],
        Messages: [{ Code: "c", Value: "v" }],
      };
    };
    const res = await client.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [
          {
            Id: "m1",
            MetricStat: {
              Metric: { Namespace: "App", MetricName: "Latency", Dimensions: [{ Name: "Host", Value: "h1" }] },
              Period: 60,
              Stat: "p99",
            },
            ReturnData: true,
          },
        ],
      }),
    );
    const seen = h.seen.at(-1)!;
    assert.equal(seen.headers["x-amz-target"], "GraniteServiceVersion20100801.GetMetricData");
    assert.equal(seen.headers["x-amzn-query-mode"], "true");
    assert.deepEqual(seen.input, {
      StartTime: start,
      EndTime: end,
      MetricDataQueries: [
        {
          Id: "m1",
          MetricStat: {
            Metric: { Namespace: "App", MetricName: "Latency", Dimensions: [{ Name: "Host", Value: "h1" }] },
            Period: 60,
            Stat: "p99",
          },
          ReturnData: true,
        },
      ],
    });
    assert.deepEqual(res.MetricDataResults, [
      {
        Id: "m1",
        Label: "lbl",
        Timestamps: [start, new Date(1700000060250)],
        Values: [1.25, 3],
        StatusCode: "Complete",
      },
    ]);
    assert.deepEqual(res.Messages, [{ Code: "c", Value: "v" }]);
  });

  test("PutMetricData: NaN-free doubles and value lists arrive typed", async () => {
    h.handler = () => undefined;
    await client.send(
      new PutMetricDataCommand({
        Namespace: "App",
        MetricData: [
          { MetricName: "m", Values: [0.5, 1e-7, 123456789.25], Counts: [1, 2, 3], Timestamp: new Date(1700000000999) },
        ],
      }),
    );
    const md = (h.seen.at(-1)!.input.MetricData as Record<string, unknown>[])[0]!;
    assert.deepEqual(md.Values, [0.5, 1e-7, 123456789.25]);
    assert.deepEqual(md.Timestamp, new Date(1700000000999));
  });

  test("errors carry x-amzn-query-error and the client resolves the modelled exception", async () => {
    h.handler = () => {
      throw awsError("InvalidParameterValue", "The value x is not valid.");
    };
    await assert.rejects(client.send(new DeleteDashboardsCommand({ DashboardNames: ["d"] })), (e: SdkError) => {
      assert.equal(e.name, "InvalidParameterValueException");
      assert.equal(e.message, "The value x is not valid.");
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.equal(e.Code, "InvalidParameterValue");
      assert.equal(e.Type, "Sender");
      return true;
    });
  });

  test("CloudWatch's ResourceNotFound (404, no message)", async () => {
    h.handler = () => {
      throw awsError("ResourceNotFound", "", 404);
    };
    await assert.rejects(client.send(new DeleteDashboardsCommand({ DashboardNames: ["d"] })), (e: SdkError) => {
      assert.equal(e.name, "ResourceNotFound");
      assert.equal(e.$metadata.httpStatusCode, 404);
      return true;
    });
  });

  test("validation errors carry the Query code ValidationError, which the SDK maps to its ValidationException", async () => {
    await assert.rejects(
      client.send(
        new GetMetricDataCommand({ StartTime: new Date(0), EndTime: new Date(1), MetricDataQueries: [{ Id: "" }] }),
      ),
      (e: SdkError) => {
        assert.equal(e.name, "ValidationException");
        assert.match(e.message, /^1 validation error detected: Value '' at 'metricDataQueries.1.member.id'/);
        assert.equal(e.Code, "ValidationError");
        return true;
      },
    );
  });
});

describe("awsJson1_0 round trip with @aws-sdk/client-sqs (query-compatible)", () => {
  let h: Harness;
  let client: SQSClient;
  before(async () => {
    h = await serve(sqs, awsJson1_0, "ValidationException");
    client = new SQSClient(clientConfig(h.endpoint));
  });
  after(async () => {
    client.destroy();
    await h.close();
  });

  test("SendMessage with message attributes (map of structures, blobs)", async () => {
    h.handler = (_op, input) => ({
      MessageId: "id-1",
      MD5OfMessageBody: createHash("md5")
        .update(input.MessageBody as string)
        .digest("hex"),
    });
    const res = await client.send(
      new SendMessageCommand({
        QueueUrl: `${h.endpoint}/000000000000/q`,
        MessageBody: "hello",
        DelaySeconds: 0,
        MessageAttributes: {
          s: { DataType: "String", StringValue: "v" },
          b: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );
    assert.equal(res.MessageId, "id-1");
    const input = h.seen.at(-1)!.input;
    assert.equal(input.DelaySeconds, 0);
    const attrs = input.MessageAttributes as Record<string, Record<string, unknown>>;
    assert.deepEqual(attrs.s, { DataType: "String", StringValue: "v" });
    assert.deepEqual(attrs.b, { DataType: "Binary", BinaryValue: Buffer.from([1, 2, 3]) });
  });

  test("QueueDoesNotExist travels with its Query code and the client names the modelled exception", async () => {
    h.handler = () => {
      throw awsError("QueueDoesNotExist", "The specified queue does not exist.");
    };
    await assert.rejects(client.send(new GetQueueUrlCommand({ QueueName: "missing" })), (e: SdkError) => {
      assert.equal(e.name, "QueueDoesNotExist");
      assert.equal(e.message, "The specified queue does not exist.");
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.equal(e.Code, "AWS.SimpleQueueService.NonExistentQueue");
      assert.equal(e.Type, "Sender");
      return true;
    });
  });

  test("an error without a modelled shape keeps its Query code as the name", async () => {
    h.handler = () => {
      throw awsError("InvalidParameterValue", "Value 11 for parameter MaxNumberOfMessages is invalid.");
    };
    await assert.rejects(client.send(new GetQueueUrlCommand({ QueueName: "q" })), (e: SdkError) => {
      assert.equal(e.name, "InvalidParameterValue");
      assert.equal(e.message, "Value 11 for parameter MaxNumberOfMessages is invalid.");
      return true;
    });
  });
});
