/**
 * Every codec proven through the running server with real clients: the JS SDK on CloudWatch's three protocols,
 * boto3 on each of them (through model variants that list one protocol), the AWS CLI, and S3 both path-style and
 * virtual-hosted. The operations are test handlers (handlerOverrides), so this tests the wire, not a service.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import {
  CloudWatchClient,
  DescribeInsightRulesCommand,
  GetMetricDataCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from "@aws-sdk/client-cloudwatch";
import { GetObjectCommand, ListBucketsCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol, AwsJson1_0Protocol } from "@aws-sdk/core/protocols";
import { awsError } from "../../src/errors/index.js";
import type { Handler } from "../../src/services/types.js";
import { awsCli, awsEnv, python, startVigil, type Vigil } from "../helpers/vigil.js";

let vigil: Vigil;
const received: { protocol: string; input: Record<string, unknown> }[] = [];
const objects = new Map<string, { body: Buffer; metadata: Record<string, string> }>();

const T0 = new Date("2026-11-23T10:00:00.000Z");

const cloudwatch: Record<string, Handler> = {
  PutMetricData: (input, ctx) => {
    received.push({ protocol: ctx.userAgent, input });
    return {};
  },
  GetMetricData: (input: { MetricDataQueries: { Id: string }[] }) => ({
    MetricDataResults: input.MetricDataQueries.map((q, i) => ({
      Id: q.Id,
      Label: `label ${q.Id} <&>`,
      Timestamps: [T0, new Date(T0.getTime() + 60_000)],
      Values: [1.5, -2.25e-7 * (i + 1)],
      StatusCode: "Complete",
    })),
    Messages: [],
  }),
  SetAlarmState: (input: { AlarmName: string }) => {
    throw awsError("ResourceNotFound", `Alarm ${input.AlarmName} not found`, 404);
  },
};

const s3: Record<string, Handler> = {
  ListBuckets: () => ({
    Buckets: [{ Name: "vigil-bucket", CreationDate: T0 }],
    Owner: { ID: "owner", DisplayName: "me" },
  }),
  PutObject: (input: { Bucket: string; Key: string; Body: Buffer; Metadata?: Record<string, string> }) => {
    objects.set(`${input.Bucket}/${input.Key}`, { body: Buffer.from(input.Body), metadata: input.Metadata ?? {} });
    return { ETag: '"etag"' };
  },
  GetObject: (input: { Bucket: string; Key: string }) => {
    const o = objects.get(`${input.Bucket}/${input.Key}`);
    if (!o) throw awsError("NoSuchKey", "The specified key does not exist.", 404, { Key: input.Key });
    return { Body: o.body, Metadata: o.metadata, ContentLength: o.body.length, LastModified: T0 };
  },
};

before(async () => (vigil = await startVigil({ handlerOverrides: { cloudwatch, s3 } })));
after(() => vigil.close());

const PROTOCOLS = { json: AwsJson1_0Protocol, query: AwsQueryProtocol, cbor: AwsSmithyRpcV2CborProtocol } as const;

for (const [name, protocol] of Object.entries(PROTOCOLS)) {
  test(`CloudWatch over ${name} (JS SDK): nested input, timestamps, doubles and errors survive the round trip`, async () => {
    const cw = vigil.client(CloudWatchClient, { protocol });
    received.length = 0;
    await cw.send(
      new PutMetricDataCommand({
        Namespace: "Vigil/Test",
        MetricData: [
          {
            MetricName: "Latency",
            Dimensions: [
              { Name: "Service", Value: "api" },
              { Name: "Stage", Value: "prod" },
            ],
            Timestamp: T0,
            Values: [1, 2.5],
            Counts: [3, 1],
            Unit: "Milliseconds",
            StorageResolution: 1,
          },
        ],
      }),
    );
    assert.equal(received.length, 1);
    assert.deepEqual(received[0]!.input, {
      Namespace: "Vigil/Test",
      MetricData: [
        {
          MetricName: "Latency",
          Dimensions: [
            { Name: "Service", Value: "api" },
            { Name: "Stage", Value: "prod" },
          ],
          Timestamp: T0,
          Values: [1, 2.5],
          Counts: [3, 1],
          Unit: "Milliseconds",
          StorageResolution: 1,
        },
      ],
    });
    const res = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          { Id: "a", Expression: "SUM(METRICS())" },
          { Id: "b", Expression: "1" },
        ],
        StartTime: T0,
        EndTime: new Date(T0.getTime() + 3600_000),
      }),
    );
    assert.deepEqual(
      res.MetricDataResults!.map((r) => [r.Id, r.Label, r.Timestamps, r.Values, r.StatusCode]),
      [
        ["a", "label a <&>", [T0, new Date(T0.getTime() + 60_000)], [1.5, -2.25e-7], "Complete"],
        ["b", "label b <&>", [T0, new Date(T0.getTime() + 60_000)], [1.5, -4.5e-7], "Complete"],
      ],
    );
    const err = (await cw
      .send(new SetAlarmStateCommand({ AlarmName: "nope", StateValue: "ALARM", StateReason: "r" }))
      .catch((e) => e)) as Error & { $metadata: { httpStatusCode: number } };
    assert.equal(err.name, "ResourceNotFound");
    assert.equal(err.message, "Alarm nope not found");
    assert.equal(err.$metadata.httpStatusCode, 404);
    const invalid = (await cw
      .send(new SetAlarmStateCommand({ AlarmName: "x", StateValue: "INVALID" as "OK", StateReason: "r" }))
      .catch((e) => e)) as Error;
    assert.match(invalid.name, /^Validation(Error|Exception)$/);
    assert.match(
      invalid.message,
      /^1 validation error detected: Value 'INVALID' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: \[/,
    );
  });
}

test("CloudWatch operations without a handler answer NotImplemented on every protocol", async () => {
  for (const protocol of Object.values(PROTOCOLS)) {
    const cw = vigil.client(CloudWatchClient, { protocol });
    const err = (await cw.send(new DescribeInsightRulesCommand({})).catch((e) => e)) as Error & {
      $metadata: { httpStatusCode: number };
    };
    assert.equal(err.name, "NotImplemented");
    assert.equal(err.$metadata.httpStatusCode, 501);
  }
});

/** A botocore data directory whose CloudWatch model lists only `protocol`, so boto3 speaks it. */
function modelVariant(protocol: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `vigil-model-${protocol}-`));
  const model = JSON.parse(readFileSync(new URL("../../models/cloudwatch.json", import.meta.url), "utf8"));
  model.metadata.protocol = protocol;
  model.metadata.protocols = [protocol];
  mkdirSync(path.join(dir, "cloudwatch", "2010-08-01"), { recursive: true });
  writeFileSync(path.join(dir, "cloudwatch", "2010-08-01", "service-2.json"), JSON.stringify(model));
  return dir;
}

for (const protocol of ["json", "query", "smithy-rpc-v2-cbor"]) {
  test(`boto3 speaks CloudWatch ${protocol} to Vigil`, async () => {
    const out = await python(
      `
import boto3, json, datetime
cw = boto3.client("cloudwatch")
assert cw.meta.service_model.resolved_protocol == ${JSON.stringify(protocol)}, cw.meta.service_model.resolved_protocol
cw.put_metric_data(Namespace="Vigil/Boto", MetricData=[{"MetricName": "m", "Value": 4.5, "Timestamp": datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.timezone.utc), "Dimensions": [{"Name": "d", "Value": "v"}]}])
r = cw.get_metric_data(MetricDataQueries=[{"Id": "q", "Expression": "1"}], StartTime=datetime.datetime(2026, 11, 23), EndTime=datetime.datetime(2026, 11, 24))
res = r["MetricDataResults"][0]
try:
    cw.set_alarm_state(AlarmName="nope", StateValue="ALARM", StateReason="r")
    err = None
except cw.exceptions.ClientError as e:
    err = [e.response["Error"]["Code"], e.response["Error"]["Message"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
print(json.dumps({"id": res["Id"], "label": res["Label"], "ts": [t.isoformat() for t in res["Timestamps"]], "values": res["Values"], "err": err}))
`,
      { ...awsEnv(vigil.url), AWS_DATA_PATH: modelVariant(protocol) },
    );
    assert.deepEqual(JSON.parse(out), {
      id: "q",
      label: "label q <&>",
      ts: ["2026-11-23T10:00:00+00:00", "2026-11-23T10:01:00+00:00"],
      values: [1.5, -2.25e-7],
      err: ["ResourceNotFound", "Alarm nope not found", 404],
    });
    const last = received.at(-1)!.input as { MetricData: { Value: number; Timestamp: Date }[] };
    assert.equal(last.MetricData[0]!.Value, 4.5);
    assert.deepEqual(last.MetricData[0]!.Timestamp, T0);
  });
}

for (const protocol of ["json", "query", "smithy-rpc-v2-cbor"]) {
  test(`the AWS CLI speaks CloudWatch ${protocol} to Vigil`, async () => {
    const env = protocol === "json" ? {} : { AWS_DATA_PATH: modelVariant(protocol) };
    const out = JSON.parse(
      await awsCli(
        vigil.url,
        [
          "cloudwatch",
          "get-metric-data",
          "--metric-data-queries",
          '[{"Id":"cli","Expression":"1"}]',
          "--start-time",
          "2026-11-23T00:00:00Z",
          "--end-time",
          "2026-11-24T00:00:00Z",
        ],
        undefined,
        env,
      ),
    ) as { MetricDataResults: { Id: string; Values: number[] }[] };
    assert.deepEqual(
      out.MetricDataResults.map((r) => [r.Id, r.Values]),
      [["cli", [1.5, -2.25e-7]]],
    );
  });
}

test("boto3 speaks CloudTrail (JSON 1.1) to Vigil", async () => {
  const out = await python(
    `
import boto3, json
ct = boto3.client("cloudtrail")
events = ct.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "SetAlarmState"}], MaxResults=1)["Events"]
print(json.dumps({"name": events[0]["EventName"], "source": events[0]["EventSource"], "time": events[0]["EventTime"].timestamp()}))
`,
    awsEnv(vigil.url),
  );
  const got = JSON.parse(out) as { name: string; source: string; time: number };
  assert.deepEqual([got.name, got.source], ["SetAlarmState", "monitoring.amazonaws.com"]);
  assert.ok(Number.isInteger(got.time) && Math.abs(got.time - Date.now() / 1000) < 300, `EventTime ${got.time}`);
});

for (const style of ["path", "virtual-hosted"] as const) {
  test(`S3 REST-XML (JS SDK, ${style}): objects with metadata round trip, and NoSuchKey is S3's XML error`, async () => {
    const endpoint = style === "path" ? vigil.url : vigil.url.replace("127.0.0.1", "localhost");
    // glibc does not resolve `<bucket>.localhost`; the agent sends every name to loopback as a browser would.
    const lookup = (
      _h: string,
      o: unknown,
      cb: (e: null, a: string | { address: string; family: number }[], f?: number) => void,
    ) => ((o as { all?: boolean }).all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4));
    const client = vigil.client(S3Client, {
      endpoint,
      forcePathStyle: style === "path",
      requestHandler: { httpAgent: new http.Agent({ lookup: lookup as never }) },
    });
    const key = `dir/../odd key+${style}.txt`;
    await client.send(
      new PutObjectCommand({ Bucket: "vigil-bucket", Key: key, Body: "hello", Metadata: { Owner: "Vigil" } }),
    );
    assert.deepEqual(objects.get(`vigil-bucket/${key}`)?.body.toString(), "hello");
    const got = await client.send(new GetObjectCommand({ Bucket: "vigil-bucket", Key: key }));
    assert.equal(await got.Body!.transformToString(), "hello");
    assert.deepEqual(got.Metadata, { owner: "Vigil" });
    const listed = await client.send(new ListBucketsCommand({}));
    assert.deepEqual(listed.Buckets, [{ Name: "vigil-bucket", CreationDate: T0 }]);
    const err = (await client
      .send(new GetObjectCommand({ Bucket: "vigil-bucket", Key: "missing" }))
      .catch((e) => e)) as Error & {
      $metadata: { httpStatusCode: number };
      Key?: string;
    };
    assert.equal(err.name, "NoSuchKey");
    assert.equal(err.$metadata.httpStatusCode, 404);
  });
}

test("boto3 and the AWS CLI speak S3 REST-XML to Vigil", async () => {
  const out = await python(
    `
import boto3, json
s3 = boto3.client("s3")
s3.put_object(Bucket="vigil-bucket", Key="boto/key.txt", Body=b"from boto3")
body = s3.get_object(Bucket="vigil-bucket", Key="boto/key.txt")["Body"].read().decode()
print(json.dumps({"body": body, "buckets": [b["Name"] for b in s3.list_buckets()["Buckets"]]}))
`,
    awsEnv(vigil.url),
  );
  assert.deepEqual(JSON.parse(out), { body: "from boto3", buckets: ["vigil-bucket"] });
  const cli = JSON.parse(await awsCli(vigil.url, ["s3api", "list-buckets"])) as { Buckets: { Name: string }[] };
  assert.deepEqual(
    cli.Buckets.map((b) => b.Name),
    ["vigil-bucket"],
  );
});
