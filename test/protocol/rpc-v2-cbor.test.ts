/** rpcv2Cbor codec: unit tests on wire requests and bytes, and round trips through @aws-sdk/client-cloudwatch on CBOR. */
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Decoder, Encoder, Tag } from "cbor-x";
import fc from "fast-check";
import {
  CloudWatchClient,
  GetMetricDataCommand,
  DeleteDashboardsCommand,
  DescribeAlarmsCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from "@aws-sdk/client-cloudwatch";
import { AwsSmithyRpcV2CborProtocol } from "@aws-sdk/core/protocols";
import { encodeCbor, rpcv2Cbor } from "../../src/protocol/rpc-v2-cbor.js";
import { loadModel, type ServiceModel } from "../../src/protocol/model.js";
import type { ProtocolCodec, WireRequest } from "../../src/protocol/types.js";
import { awsError, isAwsError, type AwsError } from "../../src/errors/index.js";

const cloudwatch = loadModel("cloudwatch");
const decoder = new Decoder({ mapsAsObjects: true, useRecords: false });
const encoder = new Encoder({ useRecords: false, tagUint8Array: false });
const PATH = "/service/GraniteServiceVersion20100801/operation/";

function req(path: string, body: unknown, raw = false): WireRequest {
  return {
    method: "POST",
    path,
    query: new URLSearchParams(),
    headers: { "smithy-protocol": "rpc-v2-cbor", "content-type": "application/cbor" },
    body: raw ? (body as Buffer) : body === undefined ? Buffer.alloc(0) : encoder.encode(body),
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

describe("rpcv2Cbor decode", () => {
  test("the operation comes from the path; any service segment and a path prefix are accepted", () => {
    for (const path of [`${PATH}DescribeAlarms`, "/prefix/x/service/Anything/operation/DescribeAlarms"]) {
      const { operation, input } = rpcv2Cbor.decode(req(path, { MaxRecords: 5 }), cloudwatch, "ValidationError");
      assert.equal(operation, "DescribeAlarms");
      assert.deepEqual(input, { MaxRecords: 5 });
    }
  });

  for (const path of [
    "/",
    `${PATH}NoSuchOperation`,
    "/service/X/operations/DescribeAlarms",
    "/service/X/operation/DescribeAlarms/extra",
    "/service//operation/DescribeAlarms",
    `${PATH}toString`,
  ]) {
    test(`${path} is UnknownOperationException`, () => {
      const e = thrown(() => rpcv2Cbor.decode(req(path, {}), cloudwatch, "ValidationError"));
      assert.equal(e.code, "UnknownOperationException");
    });
  }

  test("tag-1 timestamps, float and integer epoch seconds become Dates; NaN stays a float", () => {
    const { input } = rpcv2Cbor.decode(
      req(`${PATH}PutMetricData`, {
        Namespace: "ns",
        MetricData: [
          { MetricName: "a", Timestamp: new Tag(1700000000.25, 1), Value: NaN },
          { MetricName: "b", Timestamp: 1700000001, Value: Infinity, StorageResolution: 1 },
        ],
      }),
      cloudwatch,
      "ValidationError",
    );
    const md = input.MetricData as Record<string, unknown>[];
    assert.deepEqual(md[0]!.Timestamp, new Date(1700000000250));
    assert.ok(Number.isNaN(md[0]!.Value));
    assert.deepEqual(md[1]!.Timestamp, new Date(1700000001000));
    assert.equal(md[1]!.Value, Infinity);
  });

  test("an empty body is an empty input, then validated", () => {
    const e = thrown(() => rpcv2Cbor.decode(req(`${PATH}DeleteAlarms`, undefined), cloudwatch, "ValidationError"));
    assert.equal(e.code, "ValidationError");
    assert.equal(
      e.message,
      "1 validation error detected: Value null at 'alarmNames' failed to satisfy constraint: Member must not be null",
    );
  });

  const bad: [string, Buffer][] = [
    ["truncated CBOR", Buffer.from([0xa1, 0x63, 0x61])],
    ["an array at top level", encoder.encode([1, 2])],
    ["a string at top level", encoder.encode("x")],
  ];
  for (const [name, body] of bad) {
    test(`${name} is SerializationException`, () => {
      const e = thrown(() => rpcv2Cbor.decode(req(`${PATH}DescribeAlarms`, body, true), cloudwatch, "ValidationError"));
      assert.equal(e.code, "SerializationException");
      assert.equal(e.httpStatus, 400);
    });
  }

  test("wrong member types are SerializationException", () => {
    const e = thrown(() =>
      rpcv2Cbor.decode(req(`${PATH}DescribeAlarms`, { MaxRecords: "5" }), cloudwatch, "ValidationError"),
    );
    assert.equal(e.code, "SerializationException");
    assert.equal(e.message, "class java.lang.String can not be converted to an Integer");
  });

  test("validation uses AWS's message", () => {
    const e = thrown(() =>
      rpcv2Cbor.decode(
        req(`${PATH}SetAlarmState`, { AlarmName: "a", StateValue: "INVALID", StateReason: "r" }),
        cloudwatch,
        "ValidationError",
      ),
    );
    assert.equal(
      e.message,
      "1 validation error detected: Value 'INVALID' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]",
    );
  });
});

describe("rpcv2Cbor encode", () => {
  const ctx = { requestId: "rid" };

  test("headers and a typed body: tag 1 timestamps, floats for doubles, unknown and null members dropped", () => {
    const res = rpcv2Cbor.encode(
      cloudwatch,
      "GetMetricData",
      {
        MetricDataResults: [
          { Id: "m", Timestamps: [new Date(1700000000500), 1700000060000], Values: [1, 2.5], Label: null, bogus: 1 },
        ],
        NextToken: undefined,
      },
      ctx,
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.headers, {
      "smithy-protocol": "rpc-v2-cbor",
      "content-type": "application/cbor",
      "x-amzn-requestid": "rid",
    });
    const body = res.body as Buffer;
    assert.deepEqual(decoder.decode(body), {
      MetricDataResults: [
        { Id: "m", Timestamps: [new Date(1700000000500), new Date(1700000060000)], Values: [1, 2.5] },
      ],
    });
    // Values [1, 2.5] are float64 (0xfb) even when integral; timestamps are tag 1 (0xc1) + float64.
    const hex = body.toString("hex");
    assert.ok(hex.includes("82fb3ff0000000000000fb4004000000000000"), hex);
    assert.ok(hex.includes("c1fb41d954fc40200000c1"), hex);
  });

  test("empty output is an empty map", () => {
    assert.deepEqual([...(rpcv2Cbor.encode(cloudwatch, "DeleteAlarms", undefined, ctx).body as Buffer)], [0xa0]);
    assert.deepEqual([...(rpcv2Cbor.encode(cloudwatch, "DescribeAlarms", {}, ctx).body as Buffer)], [0xa0]);
  });

  test("container heads stay minimal when items are dropped (24+ items shrinking below 24)", () => {
    const values = Array.from({ length: 30 }, (_, i) => (i < 20 ? i : null));
    const body = encodeCbor(cloudwatch, "GetMetricDataOutput", { MetricDataResults: [{ Id: "x", Values: values }] });
    const decoded = decoder.decode(body);
    assert.deepEqual(decoded.MetricDataResults[0].Values, values.slice(0, 20));
    assert.ok(body.toString("hex").includes("6656616c756573" + "94"), "array head 0x94 for 20 items");
  });

  test("property: encoded structures decode to the same values", () => {
    const alarm = fc.record(
      {
        AlarmName: fc.string(),
        AlarmArn: fc.string({ unit: "grapheme", maxLength: 40 }),
        ActionsEnabled: fc.boolean(),
        StateUpdatedTimestamp: fc.date({ min: new Date(0), max: new Date(4102444800000), noInvalidDate: true }),
        Period: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        EvaluationPeriods: fc.integer({ min: 0, max: 1000 }),
        Threshold: fc.double({ noNaN: true }),
        AlarmActions: fc.array(fc.string(), { maxLength: 30 }),
        Dimensions: fc.array(fc.record({ Name: fc.string(), Value: fc.string() }), { maxLength: 30 }),
      },
      { requiredKeys: ["AlarmName"] },
    );
    fc.assert(
      fc.property(fc.array(alarm, { maxLength: 5 }), (generated) => {
        const alarms = generated.map((a) => ({
          ...a,
          ...(a.Dimensions ? { Dimensions: a.Dimensions.map((d) => ({ ...d })) } : {}),
        }));
        const decoded = decoder.decode(encodeCbor(cloudwatch, "DescribeAlarmsOutput", { MetricAlarms: alarms }));
        assert.deepEqual(decoded, { MetricAlarms: alarms });
      }),
      { numRuns: 200 },
    );
  });
});

describe("rpcv2Cbor encodeError", () => {
  test("__type and message in a CBOR map, status from the error", () => {
    const res = rpcv2Cbor.encodeError(cloudwatch, "DeleteDashboards", awsError("ResourceNotFound", "gone", 404), {
      requestId: "r",
    });
    assert.equal(res.status, 404);
    assert.equal(res.headers["smithy-protocol"], "rpc-v2-cbor");
    assert.deepEqual(decoder.decode(res.body as Buffer), { __type: "ResourceNotFound", message: "gone" });
    assert.equal(res.headers["x-amzn-query-error"], undefined);
  });

  test("query mode adds x-amzn-query-error with the Query code", () => {
    const res = rpcv2Cbor.encodeError(cloudwatch, "X", awsError("InvalidParameterValueException", "bad"), {
      requestId: "r",
      queryCompatible: true,
    });
    assert.equal(res.headers["x-amzn-query-error"], "InvalidParameterValue;Sender");
    assert.deepEqual(decoder.decode(res.body as Buffer), { __type: "InvalidParameterValueException", message: "bad" });
  });

  test("extras are written typed by the error shape", () => {
    const res = rpcv2Cbor.encodeError(
      cloudwatch,
      "PutDashboard",
      awsError("DashboardInvalidInputError", "bad", 400, {
        dashboardValidationMessages: [{ DataPath: "/a", Message: "m" }],
      }),
      { requestId: "r" },
    );
    assert.deepEqual(decoder.decode(res.body as Buffer), {
      __type: "DashboardInvalidInputError",
      message: "bad",
      dashboardValidationMessages: [{ DataPath: "/a", Message: "m" }],
    });
  });
});

// ---- Round trips through @aws-sdk/client-cloudwatch forced onto CBOR ----

type Handler = (operation: string, input: Record<string, unknown>) => unknown;

interface Harness {
  endpoint: string;
  seen: {
    operation: string;
    input: Record<string, unknown>;
    headers: Record<string, string | undefined>;
    path: string;
  }[];
  handler: Handler;
  close(): Promise<void>;
}

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
      const ctx = { requestId: "cbor-request-id", queryCompatible: headers["x-amzn-query-mode"] === "true" };
      let operation: string | undefined;
      let out;
      try {
        const decoded = codec.decode(wire, model, validationErrorCode);
        operation = decoded.operation;
        h.seen.push({ operation, input: decoded.input, headers, path: url.pathname });
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

describe("rpcv2Cbor round trip with @aws-sdk/client-cloudwatch", () => {
  let h: Harness;
  let client: CloudWatchClient;
  before(async () => {
    h = await serve(cloudwatch, rpcv2Cbor, "ValidationError");
    client = new CloudWatchClient({
      endpoint: h.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
      maxAttempts: 1,
      protocol: AwsSmithyRpcV2CborProtocol,
    });
  });
  after(async () => {
    client.destroy();
    await h.close();
  });

  test("GetMetricData: Dates, nested structures and doubles survive both ways", async () => {
    const start = new Date(1700000000000);
    const end = new Date(1700003600500);
    h.handler = (_op, input) => ({
      MetricDataResults: [
        {
          Id: (input.MetricDataQueries as Record<string, unknown>[])[0]!.Id,
          Label: "lbl",
          Timestamps: [input.StartTime, new Date(1700000060250)],
          Values: [1.25, 3, NaN],
          StatusCode: "Complete",
        },
      ],
      Messages: [{ Code: "c", Value: "v" }],
    });
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
          },
        ],
      }),
    );
    const seen = h.seen.at(-1)!;
    assert.equal(seen.path, "/service/GraniteServiceVersion20100801/operation/GetMetricData");
    assert.equal(seen.headers["smithy-protocol"], "rpc-v2-cbor");
    assert.equal(seen.headers["content-type"], "application/cbor");
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
        },
      ],
    });
    const r = res.MetricDataResults![0]!;
    assert.deepEqual(r.Timestamps, [start, new Date(1700000060250)]);
    assert.deepEqual(r.Values!.slice(0, 2), [1.25, 3]);
    assert.ok(Number.isNaN(r.Values![2]));
    assert.equal(r.Label, "lbl");
    assert.deepEqual(res.Messages, [{ Code: "c", Value: "v" }]);
    assert.equal(res.$metadata.requestId, "cbor-request-id");
  });

  test("PutMetricData with no output and DescribeAlarms with an empty output", async () => {
    h.handler = () => undefined;
    await client.send(
      new PutMetricDataCommand({
        Namespace: "App",
        MetricData: [{ MetricName: "m", Value: 0.1, Timestamp: new Date(1700000000001), Unit: "Seconds" }],
      }),
    );
    const md = (h.seen.at(-1)!.input.MetricData as Record<string, unknown>[])[0]!;
    assert.deepEqual(md, { MetricName: "m", Value: 0.1, Timestamp: new Date(1700000000001), Unit: "Seconds" });
    h.handler = () => ({});
    const res = await client.send(new DescribeAlarmsCommand({}));
    assert.equal(res.MetricAlarms, undefined);
  });

  test("a modelled error reaches the client by name, message and status", async () => {
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

  test("ResourceNotFound 404", async () => {
    h.handler = () => {
      throw awsError("ResourceNotFound", "The specified dashboard does not exist.", 404);
    };
    await assert.rejects(client.send(new DeleteDashboardsCommand({ DashboardNames: ["d"] })), (e: SdkError) => {
      assert.equal(e.name, "ResourceNotFound");
      assert.equal(e.message, "The specified dashboard does not exist.");
      assert.equal(e.$metadata.httpStatusCode, 404);
      return true;
    });
  });

  test("validation errors reach the client with AWS's message", async () => {
    await assert.rejects(
      client.send(new SetAlarmStateCommand({ AlarmName: "a", StateValue: "INVALID" as "OK", StateReason: "r" })),
      (e: SdkError) => {
        assert.equal(e.name, "ValidationException");
        assert.equal(e.Code, "ValidationError");
        assert.equal(
          e.message,
          "1 validation error detected: Value 'INVALID' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]",
        );
        return true;
      },
    );
  });

  test("server faults", async () => {
    h.handler = () => {
      throw awsError("InternalServiceFault", "boom", 500);
    };
    await assert.rejects(client.send(new DescribeAlarmsCommand({})), (e: SdkError) => {
      assert.equal(e.name, "InternalServiceFault");
      assert.equal(e.$metadata.httpStatusCode, 500);
      assert.equal(e.$fault, "server");
      return true;
    });
  });
});
