/**
 * GetMetricData through the JS SDK on every protocol: MetricStat queries, labels as AWS generates them (recorded),
 * MultipleUnits messages, expressions, ReturnData, ScanBy, MaxDatapoints paging and the validation errors.
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

/** m = 1..5 at minutes -5..-1, in Seconds; n = 10 each minute. */
async function seed(cw: CloudWatchClient): Promise<string> {
  const ns = unique("Vigil/Gmd");
  await cw.send(
    new PutMetricDataCommand({
      Namespace: ns,
      MetricData: [1, 2, 3, 4, 5].flatMap((v, i) => [
        { MetricName: "m", Value: v, Unit: "Seconds", Timestamp: at(-300 + i * 60) },
        { MetricName: "n", Value: 10, Timestamp: at(-300 + i * 60) },
      ]),
    }),
  );
  return ns;
}

const stat = (ns: string, name: string, Stat = "Sum", Period = 60, extra: Record<string, unknown> = {}) => ({
  MetricStat: { Metric: { Namespace: ns, MetricName: name }, Period, Stat, ...extra },
});

const get = (cw: CloudWatchClient, queries: MetricDataQuery[], extra: Record<string, unknown> = {}) =>
  cw.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: at(-600), EndTime: at(0), ...extra }));

for (const protocol of Object.keys(PROTOCOLS) as ProtocolName[]) {
  test(`${protocol}: MetricStat and expressions, newest first by default`, async () => {
    const cw = cwOn(vigil, protocol);
    const ns = await seed(cw);
    const r = await get(cw, [
      { Id: "m", ...stat(ns, "m"), ReturnData: false },
      { Id: "n", ...stat(ns, "n") },
      { Id: "e1", Expression: "m * 2 + n", Label: "double" },
      { Id: "e2", Expression: "SUM(METRICS())" },
    ]);
    assert.deepEqual(r.Messages, []);
    assert.deepEqual(
      r.MetricDataResults!.map((x) => [x.Id, x.Label, x.StatusCode, x.Values]),
      [
        ["n", "n", "Complete", [10, 10, 10, 10, 10]],
        ["e1", "double", "Complete", [20, 18, 16, 14, 12]],
        ["e2", "e2", "Complete", [15, 14, 13, 12, 11]],
      ],
    );
    const ts = r.MetricDataResults![0].Timestamps!.map((t) => (t.getTime() - START) / 1000);
    assert.deepEqual(ts, [-60, -120, -180, -240, -300]);
    const asc = await get(cw, [{ Id: "m", ...stat(ns, "m", "Maximum") }], { ScanBy: "TimestampAscending" });
    assert.deepEqual(asc.MetricDataResults![0].Values, [1, 2, 3, 4, 5]);
  });

  test(`${protocol}: METRICS('x') keeps the MetricStat queries whose Id contains x`, async () => {
    const cw = cwOn(vigil, protocol);
    const ns = await seed(cw);
    // The labels are the metric names (m, n); the filter looks at the Ids, as the user guide says.
    const r = await get(cw, [
      { Id: "errors_a", ...stat(ns, "m"), ReturnData: false },
      { Id: "errors_b", ...stat(ns, "n"), ReturnData: false },
      { Id: "requests", ...stat(ns, "n"), ReturnData: false },
      { Id: "e", Expression: "SUM(METRICS('errors'))" },
      { Id: "c", Expression: "TIME_SERIES(METRIC_COUNT(METRICS('n')))" },
    ]);
    assert.deepEqual(
      r.MetricDataResults!.map((x) => [x.Id, x.Values]),
      [
        ["e", [15, 14, 13, 12, 11]],
        ["c", Array(10).fill(0)],
      ],
    );
  });

  test(`${protocol}: labels add the statistic and period where queries differ (recorded)`, async () => {
    const cw = cwOn(vigil, protocol);
    const ns = await seed(cw);
    const labels = async (qs: MetricDataQuery[]) => (await get(cw, qs)).MetricDataResults!.map((x) => x.Label);
    assert.deepEqual(
      await labels([
        { Id: "a", ...stat(ns, "m", "Sum", 60) },
        { Id: "b", ...stat(ns, "m", "Minimum", 300) },
      ]),
      ["m Sum 60", "m Minimum 300"],
    );
    assert.deepEqual(
      await labels([
        { Id: "a", ...stat(ns, "m", "Sum") },
        { Id: "b", ...stat(ns, "m", "Minimum") },
      ]),
      ["m Sum", "m Minimum"],
    );
    assert.deepEqual(
      await labels([
        { Id: "a", ...stat(ns, "m", "Sum", 60) },
        { Id: "b", ...stat(ns, "m", "Sum", 300) },
      ]),
      ["m 60", "m 300"],
    );
    assert.deepEqual(
      await labels([
        { Id: "a", ...stat(ns, "m", "Sum", 60, { Unit: "Seconds" }) },
        { Id: "b", ...stat(ns, "m", "Sum", 60, { Unit: "Milliseconds" }) },
      ]),
      ["m", "m"],
    );
    assert.deepEqual(await labels([{ Id: "a", ...stat(ns, "m"), Label: "${PROP('MetricName')} max ${MAX}" }]), [
      "m max 5",
    ]);
  });

  test(`${protocol}: several units without a Unit answer a MultipleUnits message`, async () => {
    const cw = cwOn(vigil, protocol);
    const ns = unique("Vigil/MultiUnit");
    await cw.send(
      new PutMetricDataCommand({
        Namespace: ns,
        MetricData: [
          { MetricName: "m", Value: 1, Unit: "Seconds", Timestamp: at(-30) },
          { MetricName: "m", Value: 2, Unit: "Milliseconds", Timestamp: at(-30) },
        ],
      }),
    );
    const r = await get(cw, [{ Id: "m", ...stat(ns, "m") }]);
    assert.deepEqual(r.MetricDataResults![0].Messages, [
      { Code: "MultipleUnits", Value: "Multiple units returned: '[Milliseconds, Seconds]'" },
    ]);
    assert.deepEqual(r.MetricDataResults![0].Values, [3]);
    const one = await get(cw, [{ Id: "m", ...stat(ns, "m", "Sum", 60, { Unit: "Milliseconds" }) }]);
    assert.deepEqual(one.MetricDataResults![0].Values, [2]);
    assert.equal(one.MetricDataResults![0].Messages, undefined);
  });

  test(`${protocol}: GetMetricData validation errors`, async () => {
    const cw = cwOn(vigil, protocol);
    const ns = "Vigil/GmdErrors";
    await rejects(
      get(cw, [
        { Id: "a", ...stat(ns, "m") },
        { Id: "a", ...stat(ns, "m") },
      ]),
      "ValidationError",
      "The values for parameter id in MetricDataQueries are not unique.",
    );
    await rejects(get(cw, [{ Id: "A1", ...stat(ns, "m") }]), "ValidationError", /^Invalid metric data query id: 'A1'/);
    await rejects(
      get(cw, [
        { Id: "e1", Expression: "e2 + 1" },
        { Id: "e2", Expression: "e1 * 2" },
      ]),
      "ValidationError",
      "Error in expression 'e1': Circular dependency between expressions.",
    );
    await rejects(
      get(cw, [{ Id: "e1", Expression: "m9 + 1" }]),
      "ValidationError",
      "Error in expression 'e1': Unrecognized metric or expression id 'm9'",
    );
    await rejects(get(cw, [{ Id: "e1", Expression: "1 +" }]), "ValidationError", /^Error in expression 'e1': /);
    await rejects(
      get(cw, [{ Id: "q", Expression: 'SELECT AVG(CPUUtilization) FROM "AWS/EC2"' }]),
      "NotImplemented",
      "Vigil does not implement Metrics Insights (SELECT) queries yet.",
    );
    await rejects(
      get(cw, [{ Id: "a", ...stat(ns, "m") }], { StartTime: at(0) }),
      "InvalidParameterValue",
      "The parameter StartTime must be less than the parameter EndTime.",
    );
  });
}

test("MaxDatapoints pages with NextToken and PartialData", async () => {
  const cw = cwOn(vigil, "json");
  const ns = await seed(cw);
  const q = [{ Id: "m", ...stat(ns, "m") }];
  const first = await get(cw, q, { MaxDatapoints: 3, ScanBy: "TimestampAscending" });
  assert.equal(first.MetricDataResults![0].StatusCode, "PartialData");
  assert.deepEqual(first.MetricDataResults![0].Values, [1, 2, 3]);
  const second = await get(cw, q, { MaxDatapoints: 3, ScanBy: "TimestampAscending", NextToken: first.NextToken });
  assert.deepEqual(second.MetricDataResults![0].Values, [4, 5]);
  assert.equal(second.MetricDataResults![0].StatusCode, "Complete");
  assert.equal(second.NextToken, undefined);
  await rejects(get(cw, q, { NextToken: "forged" }), "InvalidNextToken", "The service returned an invalid NextToken.");
});
