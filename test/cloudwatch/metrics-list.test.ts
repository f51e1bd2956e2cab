/** ListMetrics through the JS SDK on every protocol: filters, dimension filters with and without values, RecentlyActive, pages. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ListMetricsCommand, PutMetricDataCommand, paginateListMetrics } from "@aws-sdk/client-cloudwatch";
import { unique, type Vigil } from "../helpers/vigil.js";
import { cwOn, PROTOCOLS, rejects, startMetricsVigil, type ProtocolName } from "./metrics-helpers.js";

let vigil: Vigil;
before(async () => (vigil = await startMetricsVigil()));
after(() => vigil.close());

for (const protocol of Object.keys(PROTOCOLS) as ProtocolName[]) {
  test(`${protocol}: ListMetrics filters by namespace, name and dimensions`, async () => {
    const cw = cwOn(vigil, protocol);
    const ns = unique("Vigil/List");
    await cw.send(
      new PutMetricDataCommand({
        Namespace: ns,
        MetricData: [
          {
            MetricName: "a",
            Value: 1,
            Dimensions: [
              { Name: "uri", Value: "/x" },
              { Name: "method", Value: "GET" },
            ],
          },
          { MetricName: "a", Value: 1, Dimensions: [{ Name: "method", Value: "POST" }] },
          { MetricName: "b", Value: 1 },
        ],
      }),
    );
    const list = async (input: Record<string, unknown>) =>
      (await cw.send(new ListMetricsCommand({ Namespace: ns, ...input })))
        .Metrics!.map((m) => `${m.MetricName}:${(m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(",")}`)
        .sort();
    assert.deepEqual(await list({}), ["a:method=GET,uri=/x", "a:method=POST", "b:"]);
    assert.deepEqual(await list({ MetricName: "a" }), ["a:method=GET,uri=/x", "a:method=POST"]);
    assert.deepEqual(await list({ Dimensions: [{ Name: "method" }] }), ["a:method=GET,uri=/x", "a:method=POST"]);
    assert.deepEqual(await list({ Dimensions: [{ Name: "method", Value: "POST" }] }), ["a:method=POST"]);
    assert.deepEqual(await list({ Dimensions: [{ Name: "method" }, { Name: "uri", Value: "/x" }] }), [
      "a:method=GET,uri=/x",
    ]);
    assert.deepEqual(await list({ Dimensions: [{ Name: "nope" }] }), []);
    const r = await cw.send(new ListMetricsCommand({ Namespace: ns, MetricName: "b", IncludeLinkedAccounts: true }));
    assert.deepEqual(r.OwningAccounts, ["000000000000"]);
  });
}

test("RecentlyActive PT3H lists metrics that received data in the last three hours", async () => {
  const cw = cwOn(vigil, "json");
  const ns = unique("Vigil/Recent");
  await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [{ MetricName: "old", Value: 1 }] }));
  await vigil.server.advance(4 * 3600);
  await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [{ MetricName: "new", Value: 1 }] }));
  const recent = await cw.send(new ListMetricsCommand({ Namespace: ns, RecentlyActive: "PT3H" }));
  assert.deepEqual(
    recent.Metrics!.map((m) => m.MetricName),
    ["new"],
  );
  const all = await cw.send(new ListMetricsCommand({ Namespace: ns }));
  assert.deepEqual(all.Metrics!.map((m) => m.MetricName).sort(), ["new", "old"]);
});

test("ListMetrics pages by 500 with NextToken; a forged token is refused", async () => {
  const cw = cwOn(vigil, "json");
  const ns = unique("Vigil/Pages");
  for (let i = 0; i < 2; i++)
    await cw.send(
      new PutMetricDataCommand({
        Namespace: ns,
        MetricData: Array.from({ length: 600 }, (_, j) => ({ MetricName: `m${i * 600 + j}`, Value: 1 })),
      }),
    );
  const first = await cw.send(new ListMetricsCommand({ Namespace: ns }));
  assert.equal(first.Metrics!.length, 500);
  assert.ok(first.NextToken);
  const names = new Set<string>();
  for await (const page of paginateListMetrics({ client: cw }, { Namespace: ns }))
    for (const m of page.Metrics ?? []) names.add(m.MetricName!);
  assert.equal(names.size, 1200);
  await rejects(cw.send(new ListMetricsCommand({ NextToken: "bogus" })), "InvalidParameterValue", "Invalid NextToken.");
});
