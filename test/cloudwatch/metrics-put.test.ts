/**
 * PutMetricData and GetMetricStatistics through the JS SDK on JSON 1.0, Query and CBOR: every datum form, units,
 * timestamps, the documented errors (recorded messages where AWS was recorded), and the period rules.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CloudWatchClient, GetMetricStatisticsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { unique, type Vigil } from "../helpers/vigil.js";
import { boto, cwOn, PROTOCOLS, rejects, START, startMetricsVigil, type ProtocolName } from "./metrics-helpers.js";

let vigil: Vigil;
before(async () => (vigil = await startMetricsVigil()));
after(() => vigil.close());

const at = (offsetS: number) => new Date(START + offsetS * 1000);

async function stats(cw: CloudWatchClient, ns: string, name: string, extra: Record<string, unknown> = {}) {
  const r = await cw.send(
    new GetMetricStatisticsCommand({
      Namespace: ns,
      MetricName: name,
      StartTime: at(-3600),
      EndTime: at(60),
      Period: 3600,
      Statistics: ["SampleCount", "Sum", "Average", "Minimum", "Maximum"],
      ...extra,
    }),
  );
  return r;
}

for (const protocol of Object.keys(PROTOCOLS) as ProtocolName[]) {
  test(`${protocol}: Value, Values + Counts and StatisticValues merge into one period`, async () => {
    const cw = cwOn(vigil, protocol);
    const ns = unique("Vigil/Put");
    await cw.send(
      new PutMetricDataCommand({
        Namespace: ns,
        MetricData: [
          { MetricName: "m", Value: 10, Unit: "Count", Timestamp: at(-600) },
          { MetricName: "m", Values: [1, 2, 3], Counts: [1, 2, 3], Unit: "Count", Timestamp: at(-300) },
          {
            MetricName: "m",
            StatisticValues: { SampleCount: 4, Sum: 20, Minimum: 0.5, Maximum: 11 },
            Unit: "Count",
            Timestamp: at(-30),
          },
        ],
      }),
    );
    const r = await stats(cw, ns, "m");
    assert.equal(r.Label, "m");
    assert.equal(r.Datapoints!.length, 1);
    const d = r.Datapoints![0];
    assert.deepEqual(
      { n: d.SampleCount, s: d.Sum, a: d.Average, lo: d.Minimum, hi: d.Maximum, u: d.Unit },
      { n: 11, s: 10 + 14 + 20, a: 44 / 11, lo: 0.5, hi: 11, u: "Count" },
    );
    assert.equal(d.Timestamp!.getTime(), START - 3600_000);
  });

  test(`${protocol}: a metric is its exact dimension set, in any order`, async () => {
    const cw = cwOn(vigil, protocol);
    const ns = unique("Vigil/Dims");
    const a = { Name: "a", Value: "1" };
    const b = { Name: "b", Value: "2" };
    await cw.send(
      new PutMetricDataCommand({
        Namespace: ns,
        MetricData: [
          { MetricName: "m", Value: 1, Dimensions: [a, b] },
          { MetricName: "m", Value: 2, Dimensions: [b, a] },
          { MetricName: "m", Value: 100, Dimensions: [a] },
          { MetricName: "m", Value: 1000 },
        ],
      }),
    );
    const both = await stats(cw, ns, "m", { Dimensions: [b, a] });
    assert.equal(both.Datapoints![0].Sum, 3);
    const one = await stats(cw, ns, "m", { Dimensions: [a] });
    assert.equal(one.Datapoints![0].Sum, 100);
    const none = await stats(cw, ns, "m");
    assert.equal(none.Datapoints![0].Sum, 1000);
    const other = await stats(cw, ns, "m", { Dimensions: [{ Name: "a", Value: "9" }] });
    assert.deepEqual(other.Datapoints, []);
  });

  test(`${protocol}: a datapoint per unit, and the Unit filter`, async () => {
    const cw = cwOn(vigil, protocol);
    const ns = unique("Vigil/Units");
    await cw.send(
      new PutMetricDataCommand({
        Namespace: ns,
        MetricData: [
          { MetricName: "m", Value: 10 },
          { MetricName: "m", Value: 5, Unit: "Count" },
          { MetricName: "m", Value: 1, Unit: "Seconds" },
        ],
      }),
    );
    const all = await stats(cw, ns, "m", { Statistics: ["Average"] });
    assert.deepEqual(all.Datapoints!.map((d) => [d.Unit, d.Average]).sort(), [
      ["Count", 5],
      ["None", 10],
      ["Seconds", 1],
    ]);
    const secs = await stats(cw, ns, "m", { Statistics: ["Average"], Unit: "Seconds" });
    assert.deepEqual(
      secs.Datapoints!.map((d) => [d.Unit, d.Average]),
      [["Seconds", 1]],
    );
  });

  test(`${protocol}: percentiles from Values, none from statistic sets with spread`, async () => {
    const cw = cwOn(vigil, protocol);
    const ns = unique("Vigil/Pct");
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [{ MetricName: "m", Values: values }] }));
    await cw.send(
      new PutMetricDataCommand({
        Namespace: ns,
        MetricData: [{ MetricName: "s", StatisticValues: { SampleCount: 3, Sum: 6, Minimum: 1, Maximum: 3 } }],
      }),
    );
    const r = await stats(cw, ns, "m", {
      Statistics: undefined,
      ExtendedStatistics: ["p50", "p99", "p100", "tm90", "IQR"],
    });
    const e = r.Datapoints![0].ExtendedStatistics!;
    assert.ok(Math.abs(e.p50 - 50.5) / 50.5 <= 0.03, `p50 ${e.p50}`);
    assert.ok(Math.abs(e.p99 - 99) / 99 <= 0.02, `p99 ${e.p99}`);
    assert.equal(e.p100, 100);
    assert.ok(Math.abs(e.tm90 - 45.5) / 45.5 <= 0.03, `tm90 ${e.tm90}`);
    assert.ok(Math.abs(e.IQR - 50.5) / 50.5 <= 0.03, `IQR ${e.IQR}`);
    const s = await stats(cw, ns, "s", { Statistics: undefined, ExtendedStatistics: ["p50"] });
    assert.deepEqual(s.Datapoints![0].ExtendedStatistics ?? {}, {});
  });

  test(`${protocol}: concurrent requests on one metric and minute add up as if put one by one`, async () => {
    const cw = cwOn(vigil, protocol);
    const ns = unique("Vigil/Concurrent");
    // 40 requests in flight at once: committed together, their rows merge. Values 400..1 across them (the extremes
    // in later requests than the first), plus a statistic set in some, and a datum of another unit in others.
    const requests = Array.from({ length: 40 }, (_, r) =>
      cw.send(
        new PutMetricDataCommand({
          Namespace: ns,
          MetricData: [
            {
              MetricName: "m",
              Values: Array.from({ length: 10 }, (_, k) => (39 - r) * 10 + k + 1),
              Timestamp: at(-30),
            },
            ...(r % 4 === 3
              ? [
                  {
                    MetricName: "m",
                    StatisticValues: { SampleCount: 2, Sum: 1000, Minimum: 500, Maximum: 500 },
                    Timestamp: at(-20),
                  },
                ]
              : []),
            ...(r % 5 === 0 ? [{ MetricName: "m", Value: 7, Unit: "Seconds" as const, Timestamp: at(-40) }] : []),
          ],
        }),
      ),
    );
    await Promise.all(requests);
    const all = await stats(cw, ns, "m", { Unit: "None" });
    assert.equal(all.Datapoints!.length, 1);
    const d = all.Datapoints![0];
    // 400 values summing to 80,200, and 10 statistic sets of 2 samples at 500.
    assert.equal(d.SampleCount, 420);
    assert.equal(d.Sum, 80_200 + 10 * 1000);
    assert.equal(d.Minimum, 1);
    assert.equal(d.Maximum, 500);
    const seconds = await stats(cw, ns, "m", { Unit: "Seconds" });
    assert.deepEqual(
      seconds.Datapoints!.map((p) => [p.SampleCount, p.Sum]),
      [[8, 56]],
    );
    const pct = await stats(cw, ns, "m", { Unit: "None", Statistics: undefined, ExtendedStatistics: ["p50", "p99"] });
    // Ranks over 1..400 and 20 samples at 500: p50 is about 210, p99 is 500.
    const e = pct.Datapoints![0].ExtendedStatistics!;
    assert.ok(Math.abs(e.p50 - 210.5) / 210.5 <= 0.02, `p50 ${e.p50}`);
    assert.ok(Math.abs(e.p99 - 500) / 500 <= 0.01, `p99 ${e.p99}`);
  });

  test(`${protocol}: PutMetricData errors as AWS words them`, async () => {
    const cw = cwOn(vigil, protocol);
    const put = (d: Record<string, unknown>, ns = "Vigil/Errors") =>
      cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [{ MetricName: "m", ...d }] }));
    await rejects(
      put({ Value: 1, Values: [1] }),
      "InvalidParameterCombination",
      "The parameters MetricData.member.1.Value and MetricData.member.1.Values are mutually exclusive and you have specified both.",
    );
    await rejects(
      put({ Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }),
      "InvalidParameterCombination",
      "The parameters MetricData.member.1.Value and MetricData.member.1.StatisticValues are mutually exclusive and you have specified both.",
    );
    await rejects(
      put({ Values: [1, 2], Counts: [1] }),
      "InvalidParameterValue",
      "The parameters MetricData.member.1.Values and MetricData.member.1.Counts must be of the same size.",
    );
    await rejects(
      put({ Value: 1, Timestamp: at(-15 * 86400) }),
      "InvalidParameterValue",
      "The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks.",
    );
    await rejects(
      put({ Value: 1, Timestamp: at(3 * 3600) }),
      "InvalidParameterValue",
      "The parameter MetricData.member.1.Timestamp must specify a time no more than two hours in the future.",
    );
    await rejects(
      put({ Values: Array.from({ length: 151 }, () => 1) }),
      "InvalidParameterValue",
      "The collection MetricData.member.1.Values must not have a size greater than 150.",
    );
    await rejects(
      put({ Value: 1, StorageResolution: 30 }),
      "InvalidParameterValue",
      "The value 30 for parameter MetricData.member.1.StorageResolution is invalid.",
    );
    await rejects(
      put({
        Value: 1,
        Dimensions: [
          { Name: "a", Value: "1" },
          { Name: "a", Value: "2" },
        ],
      }),
      "InvalidParameterValue",
      "No metric may have duplicate dimension names.",
    );
    await rejects(
      put({ Value: 1 }, "AWS/EC2"),
      "InvalidParameterValue",
      "The value AWS/EC2 for parameter Namespace is invalid.",
    );
    // The JS SDK's CBOR client never sends a gzip-compressed request this large, not even to a bare HTTP server
    // (SDK-side; boto3 covers CBOR below).
    if (protocol !== "cbor")
      await rejects(
        cw.send(
          new PutMetricDataCommand({
            Namespace: "Vigil/Errors",
            MetricData: Array.from({ length: 1001 }, () => ({ MetricName: "m", Value: 1 })),
          }),
        ),
        "InvalidParameterValue",
        "The collection MetricData must not have a size greater than 1000.",
      );
  });

  test(`${protocol}: GetMetricStatistics errors and the period rules`, async () => {
    const cw = cwOn(vigil, protocol);
    const base = { Namespace: "Vigil/Gms", MetricName: "m", StartTime: at(-86400), EndTime: at(0), Period: 1 };
    await rejects(
      cw.send(new GetMetricStatisticsCommand({ ...base, Statistics: ["Sum"] })),
      "InvalidParameterCombination",
      "You have requested up to 86400 datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.",
    );
    await rejects(
      cw.send(new GetMetricStatisticsCommand({ ...base, StartTime: at(0), Period: 60, Statistics: ["Sum"] })),
      "InvalidParameterValue",
      "The parameter StartTime must be less than the parameter EndTime.",
    );
    await rejects(
      cw.send(new GetMetricStatisticsCommand({ ...base, Period: 60, Statistics: ["Sum"], ExtendedStatistics: ["p9"] })),
      "InvalidParameterCombination",
      "The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both.",
    );
    await rejects(
      cw.send(new GetMetricStatisticsCommand({ ...base, Period: 61, Statistics: ["Sum"] })),
      "InvalidParameterValue",
      "The parameter Period must be 1, 5, 10, 20, 30, 60, or any multiple of 60.",
    );
    // Older than 3 hours: sub-minute periods answer no datapoints.
    const ns = unique("Vigil/Age");
    await cw.send(
      new PutMetricDataCommand({
        Namespace: ns,
        MetricData: [{ MetricName: "m", Value: 1, Timestamp: at(-5 * 3600) }],
      }),
    );
    const r = await cw.send(
      new GetMetricStatisticsCommand({
        ...base,
        Namespace: ns,
        StartTime: at(-5 * 3600 - 60),
        EndTime: at(-5 * 3600 + 300),
        Period: 10,
        Statistics: ["Sum"],
      }),
    );
    assert.deepEqual(r.Datapoints, []);
  });
}

test("high-resolution data answer 1-second periods; standard data land on the minute", async () => {
  const cw = cwOn(vigil, "json");
  const ns = unique("Vigil/HiRes");
  await cw.send(
    new PutMetricDataCommand({
      Namespace: ns,
      MetricData: [
        { MetricName: "m", Value: 1, Timestamp: at(-118), StorageResolution: 1 },
        { MetricName: "m", Value: 2, Timestamp: at(-117), StorageResolution: 1 },
        { MetricName: "m", Value: 4, Timestamp: at(-95) },
      ],
    }),
  );
  const sums = async (Period: number) => {
    const r = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: ns,
        MetricName: "m",
        StartTime: at(-120),
        EndTime: at(0),
        Period,
        Statistics: ["Sum"],
      }),
    );
    return r.Datapoints!.map((d) => [d.Timestamp!.getTime() - START, d.Sum]).sort((x, y) => x[0]! - y[0]!);
  };
  assert.deepEqual(await sums(1), [
    [-120_000, 4],
    [-118_000, 1],
    [-117_000, 2],
  ]);
  // 20-second periods too (the API reference lists 1, 5, 10, 20, 30, 60 for high-resolution data).
  assert.deepEqual(await sums(20), [[-120_000, 7]]);
});

for (const protocol of Object.keys(PROTOCOLS) as ProtocolName[]) {
  test(`boto3 on ${protocol}: 1,000 datums (gzip-compressed) are taken, 1,001 refused; NaN refused`, async () => {
    const ns = unique("Vigil/Boto");
    const out = await boto(
      vigil,
      protocol,
      `
t = datetime.datetime.fromtimestamp(${START / 1000} - 60, timezone.utc)
cw.put_metric_data(Namespace="${ns}", MetricData=[{"MetricName": "m", "Value": i, "Timestamp": t} for i in range(1000)])
r = cw.get_metric_statistics(Namespace="${ns}", MetricName="m", StartTime=t - datetime.timedelta(minutes=1), EndTime=t + datetime.timedelta(minutes=1), Period=60, Statistics=["SampleCount", "Sum"])
too_many = err(lambda: cw.put_metric_data(Namespace="${ns}", MetricData=[{"MetricName": "m", "Value": 1}] * 1001))
nan = err(lambda: cw.put_metric_data(Namespace="${ns}", MetricData=[{"MetricName": "m", "Value": float("nan")}]))
inf = err(lambda: cw.put_metric_data(Namespace="${ns}", MetricData=[{"MetricName": "m", "Values": [1, float("inf")]}]))
print(json.dumps({"n": r["Datapoints"][0]["SampleCount"], "sum": r["Datapoints"][0]["Sum"], "tooMany": too_many, "nan": nan, "inf": inf}))`,
    );
    assert.deepEqual(out, {
      n: 1000,
      sum: 499500,
      tooMany: ["InvalidParameterValue", "The collection MetricData must not have a size greater than 1000."],
      nan: ["InvalidParameterValue", "The value NaN for parameter MetricData.member.1.Value is invalid."],
      inf: ["InvalidParameterValue", "The value Infinity for parameter MetricData.member.1.Values is invalid."],
    });
  });
}

for (const protocol of Object.keys(PROTOCOLS) as ProtocolName[]) {
  test(`${protocol}: EntityMetricData datums are stored with MetricData's, checked and counted together`, async () => {
    const cw = cwOn(vigil, protocol);
    const ns = unique("Vigil/Entity");
    const entity = { KeyAttributes: { Type: "Service", Name: "checkout", Environment: "prod" } };
    await cw.send(
      new PutMetricDataCommand({
        Namespace: ns,
        MetricData: [{ MetricName: "m", Value: 1, Timestamp: at(-30) }],
        EntityMetricData: [
          { Entity: entity, MetricData: [{ MetricName: "m", Value: 2, Timestamp: at(-30) }] },
          { Entity: entity, MetricData: [{ MetricName: "m", Values: [3, 4], Timestamp: at(-30) }] },
        ],
      }),
    );
    const r = await stats(cw, ns, "m");
    assert.deepEqual(
      r.Datapoints!.map((d) => [d.SampleCount, d.Sum]),
      [[4, 10]],
    );
    // Entity datums alone are enough.
    await cw.send(
      new PutMetricDataCommand({
        Namespace: ns,
        EntityMetricData: [{ Entity: entity, MetricData: [{ MetricName: "e", Value: 5, Timestamp: at(-30) }] }],
      }),
    );
    assert.equal((await stats(cw, ns, "e")).Datapoints![0].Sum, 5);
    await rejects(
      cw.send(
        new PutMetricDataCommand({
          Namespace: ns,
          MetricData: [{ MetricName: "m", Value: 1 }],
          EntityMetricData: [
            { Entity: entity, MetricData: [{ MetricName: "m", Value: 1 }] },
            { Entity: entity, MetricData: [{ MetricName: "m", Value: 1, Values: [1] }] },
          ],
        }),
      ),
      "InvalidParameterCombination",
      "The parameters EntityMetricData.member.2.MetricData.member.1.Value and EntityMetricData.member.2.MetricData.member.1.Values are mutually exclusive and you have specified both.",
    );
    // The JS SDK's CBOR client never sends a compressed body of 600 or more datums (the boto3 test covers CBOR).
    if (protocol === "cbor") return;
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ MetricName: `m${i}`, Value: 1 }));
    await rejects(
      cw.send(
        new PutMetricDataCommand({
          Namespace: ns,
          MetricData: many(600),
          EntityMetricData: [{ Entity: entity, MetricData: many(401) }],
        }),
      ),
      "InvalidParameterValue",
      "The collection MetricData must not have a size greater than 1000.",
    );
  });
}

test("a PutMetricData body over 1 MB as sent is refused with 413; gzip-compressed, the same datums are taken", async () => {
  const ns = unique("Vigil/Big");
  // 1,000 datums with five 250-character dimension values: about 1.3 MB of JSON.
  const MetricData = Array.from({ length: 1000 }, (_, i) => ({
    MetricName: `m${i % 10}`,
    Dimensions: Array.from({ length: 5 }, (_, k) => ({ Name: `D${k}`, Value: `${i}-${k}-`.padEnd(250, "v") })),
    Value: i,
    Timestamp: at(-30),
  }));
  const plain = vigil.client(CloudWatchClient, { protocol: PROTOCOLS.json, disableRequestCompression: true });
  const err = await rejects(
    plain.send(new PutMetricDataCommand({ Namespace: ns, MetricData })),
    "RequestEntityTooLarge",
    /^Request size \d+ bytes exceeds the limit of 1048576 bytes\.$/,
  );
  assert.equal((err as Error & { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 413);
  // The JS SDK gzips PutMetricData bodies over 10 KB by default.
  const gzip = cwOn(vigil, "json");
  await gzip.send(new PutMetricDataCommand({ Namespace: ns, MetricData }));
  const r = await gzip.send(
    new GetMetricStatisticsCommand({
      Namespace: ns,
      MetricName: "m3",
      Dimensions: MetricData[3].Dimensions,
      StartTime: at(-3600),
      EndTime: at(60),
      Period: 3600,
      Statistics: ["Sum"],
    }),
  );
  assert.equal(r.Datapoints![0].Sum, 3);
});
