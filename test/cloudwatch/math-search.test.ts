/**
 * SEARCH() through GetMetricData on every protocol: schemas, terms and boolean operators over stored metrics, the
 * statistic and period of the call, labels, dynamic labels, math over the results, the two-week window, the
 * request's 500-metric budget and the errors.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  GetMetricDataCommand,
  PutMetricDataCommand,
  type CloudWatchClient,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import { unique, type Vigil } from "../helpers/vigil.js";
import { cwOn, PROTOCOLS, rejects, START, startMetricsVigil, type ProtocolName } from "./metrics-helpers.js";

let vigil: Vigil;
before(async () => (vigil = await startMetricsVigil()));
after(() => vigil.close());

const at = (offsetS: number) => new Date(START + offsetS * 1000);

/**
 * In a fresh namespace: CPUUtilization per InstanceId (i-1: 10 then 20, i-2: 30), per InstanceType (t2.micro: 5),
 * without dimensions (7); NetworkIn of i-1 (100, 300); and DiskReadOps of i-3, last sent two hours ago.
 */
async function seed(cw: CloudWatchClient): Promise<string> {
  const ns = unique("Vigil/Search");
  const d = (name: string, dims: Record<string, string>, value: number, offsetS: number) => ({
    MetricName: name,
    Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
    Value: value,
    Timestamp: at(offsetS),
  });
  await cw.send(
    new PutMetricDataCommand({
      Namespace: ns,
      MetricData: [
        d("CPUUtilization", { InstanceId: "i-1" }, 10, -120),
        d("CPUUtilization", { InstanceId: "i-1" }, 20, -60),
        d("CPUUtilization", { InstanceId: "i-2" }, 30, -60),
        d("CPUUtilization", { InstanceType: "t2.micro" }, 5, -60),
        d("CPUUtilization", {}, 7, -60),
        d("NetworkIn", { InstanceId: "i-1" }, 100, -120),
        d("NetworkIn", { InstanceId: "i-1" }, 300, -60),
        d("DiskReadOps", { InstanceId: "i-3" }, 1, -7200),
      ],
    }),
  );
  return ns;
}

const get = (cw: CloudWatchClient, queries: MetricDataQuery[]) =>
  cw.send(
    new GetMetricDataCommand({
      MetricDataQueries: queries,
      StartTime: at(-600),
      EndTime: at(0),
      ScanBy: "TimestampAscending",
    }),
  );

const rows = (r: Awaited<ReturnType<typeof get>>) => r.MetricDataResults!.map((x) => [x.Id, x.Label, x.Values]);

for (const protocol of Object.keys(PROTOCOLS) as ProtocolName[]) {
  test(`${protocol}: SEARCH finds metrics by schema and term and reads them with its statistic and period`, async () => {
    const cw = cwOn(vigil, protocol);
    const ns = await seed(cw);
    const r = await get(cw, [
      { Id: "byid", Expression: `SEARCH('{${ns},InstanceId} MetricName="CPUUtilization"', 'Average', 60)` },
      // One 5-minute period: i-1's two datapoints summed; the matches differ in metric name, which joins the label.
      { Id: "i1", Expression: `SEARCH('{${ns},InstanceId} "i-1"', 'Sum', 300)` },
      { Id: "nodims", Expression: `SEARCH('{${ns}} MetricName="CPUUtilization"', 'Maximum', 60)` },
      { Id: "total", Expression: `SUM(SEARCH('{${ns},InstanceId} MetricName="CPUUtilization"', 'Sum', 60))` },
    ]);
    assert.deepEqual(r.Messages, []);
    assert.deepEqual(rows(r), [
      ["byid", "i-1", [10, 20]],
      ["byid", "i-2", [30]],
      ["i1", "i-1 CPUUtilization", [30]],
      ["i1", "i-1 NetworkIn", [400]],
      ["nodims", "CPUUtilization", [7]],
      ["total", "total", [10, 50]],
    ]);
    // 5-minute periods start at StartTime (START - 10 min), as MetricStat periods do: both datapoints fall in the
    // second one.
    const i1 = r.MetricDataResults!.find((x) => x.Id === "i1")!;
    assert.deepEqual(
      i1.Timestamps!.map((t) => t.getTime()),
      [START - 300_000],
    );
  });

  test(`${protocol}: SEARCH terms, boolean operators and designators`, async () => {
    const cw = cwOn(vigil, protocol);
    const ns = await seed(cw);
    const labels = async (search: string) =>
      (await get(cw, [{ Id: "s", Expression: `SEARCH('${search}', 'Maximum', 60)` }])).MetricDataResults!.map(
        (x) => x.Label,
      );
    const inNs = `Namespace="${ns}"`;
    assert.deepEqual(await labels(`${inNs} (micro OR "i-2") NOT NetworkIn`), ["i-2", "t2.micro"]);
    assert.deepEqual(await labels(`${inNs} InstanceType=micro`), ["t2.micro"]);
    assert.deepEqual(await labels(`${inNs} network`), ["i-1"]);
    assert.deepEqual(await labels(`${inNs} cpu NOT InstanceId=i`), ["CPUUtilization", "t2.micro"]);
    assert.deepEqual(await labels(`${inNs} "cpuutilization"`), []);
    assert.deepEqual(await labels(`{${ns},InstanceId} Disk OR Network`), ["i-1 NetworkIn", "i-3 DiskReadOps"]);
  });

  test(`${protocol}: SEARCH results take dynamic labels, feed math and may be empty in the range`, async () => {
    const cw = cwOn(vigil, protocol);
    const ns = await seed(cw);
    const s = `SEARCH('{${ns},InstanceId}', 'Maximum', 60)`;
    const r = await get(cw, [
      { Id: "s", Expression: s, Label: "${PROP('MetricName')} of ${PROP('Dim.InstanceId')} max ${MAX}" },
      { Id: "full", Expression: `REMOVE_EMPTY(${s}) * 2`, Label: "${LABEL} doubled" },
      { Id: "n", Expression: `TIME_SERIES(METRIC_COUNT(${s}))`, Period: 300 },
    ]);
    // In the order of their default labels (i-1 CPUUtilization, i-1 NetworkIn, i-2 ..., i-3 ...).
    assert.deepEqual(rows(r), [
      ["s", "CPUUtilization of i-1 max 20", [10, 20]],
      ["s", "NetworkIn of i-1 max 300", [100, 300]],
      ["s", "CPUUtilization of i-2 max 30", [30]],
      // DiskReadOps received data two hours ago: found, with no datapoints in the last ten minutes.
      ["s", "DiskReadOps of i-3 max ", []],
      ["full", "i-1 CPUUtilization doubled", [20, 40]],
      ["full", "i-1 NetworkIn doubled", [200, 600]],
      ["full", "i-2 CPUUtilization doubled", [60]],
      ["n", "n", [4, 4]],
    ]);
  });

  test(`${protocol}: SEARCH errors`, async () => {
    const cw = cwOn(vigil, protocol);
    const bad = (expression: string) => get(cw, [{ Id: "e1", Expression: expression }]);
    await rejects(
      bad(`SEARCH('{AWS/EC2,InstanceId} (a OR b', 'Average', 300)`),
      "ValidationError",
      "Error in expression 'e1': Missing ')' in the search expression",
    );
    await rejects(
      bad(`SEARCH('{AWS/EC2', 'Average', 300)`),
      "ValidationError",
      "Error in expression 'e1': The metric schema is missing its closing '}'",
    );
    await rejects(
      bad(`SEARCH('  ', 'Average', 300)`),
      "ValidationError",
      "Error in expression 'e1': The search expression must contain a metric schema, a search term or both",
    );
    await rejects(
      bad(`SEARCH('${"x".repeat(1025)}', 'Average', 300)`),
      "ValidationError",
      "Error in expression 'e1': The search expression must be at most 1024 characters long",
    );
    await rejects(
      bad(`SEARCH('{AWS/EC2}', 'Avg', 300)`),
      "ValidationError",
      "Error in expression 'e1': Invalid statistic 'Avg' in SEARCH",
    );
    await rejects(
      bad(`SEARCH('{AWS/EC2}', 'Average', 45)`),
      "ValidationError",
      "Error in expression 'e1': Invalid period 45 in SEARCH: the period must be 1, 5, 10, 20, 30, 60, or any multiple of 60",
    );
    await rejects(
      bad(`SEARCH('{AWS/EC2}', 'Average')`),
      "ValidationError",
      /^Error in expression 'e1': SEARCH expects a search expression, a statistic and a period/,
    );
  });
}

test("SEARCH finds only metrics that received data in the last two weeks", async () => {
  const v = await startMetricsVigil();
  try {
    const cw = cwOn(v, "json");
    const ns = unique("Vigil/SearchAge");
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [{ MetricName: "Old", Value: 1 }] }));
    await v.server.advance(10 * 24 * 3600);
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [{ MetricName: "Recent", Value: 1 }] }));
    await v.server.advance(5 * 24 * 3600);
    const now = v.server.clock.now();
    const r = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: [{ Id: "s", Expression: `SEARCH('{${ns}}', 'Sum', 3600)` }],
        StartTime: new Date(now - 3600_000),
        EndTime: new Date(now),
      }),
    );
    // "Old" was last sent 15 days ago; "Recent" 5 days ago.
    assert.deepEqual(
      r.MetricDataResults!.map((x) => x.Label),
      ["Recent"],
    );
  } finally {
    await v.close();
  }
});

test("searches share the request's budget of 500 metrics and say so when they find more", async () => {
  const cw = cwOn(vigil, "json");
  const ns = unique("Vigil/SearchMany");
  const hosts = Array.from({ length: 501 }, (_, i) => `h${String(i).padStart(3, "0")}`);
  await cw.send(
    new PutMetricDataCommand({
      Namespace: ns,
      MetricData: hosts.map((h) => ({ MetricName: "Load", Dimensions: [{ Name: "Host", Value: h }], Value: 1 })),
    }),
  );
  const search = { Id: "s", Expression: `SEARCH('{${ns},Host} Load', 'Sum', 60)` };
  const r = await get(cw, [search]);
  assert.equal(r.MetricDataResults!.length, 500);
  assert.deepEqual(r.MetricDataResults![0].Label, "h000");
  assert.deepEqual(r.MetricDataResults![499].Label, "h499");
  assert.deepEqual(r.Messages, [{ Code: "MaxMetricsExceeded", Value: "Maximum number of allowed metrics exceeded" }]);
  // A MetricStat query takes one of the 500.
  const withStat = await get(cw, [
    {
      Id: "m",
      MetricStat: {
        Metric: { Namespace: ns, MetricName: "Load", Dimensions: [{ Name: "Host", Value: "h000" }] },
        Period: 60,
        Stat: "Sum",
      },
    },
    search,
  ]);
  assert.equal(withStat.MetricDataResults!.filter((x) => x.Id === "s").length, 499);
  // A narrower search stays within the budget: no message.
  const narrow = await get(cw, [{ Id: "s", Expression: `SEARCH('{${ns},Host} Host="h007"', 'Sum', 60)` }]);
  assert.deepEqual(
    narrow.MetricDataResults!.map((x) => x.Label),
    ["h007"],
  );
  assert.deepEqual(narrow.Messages, []);
});
