/**
 * Group commit aggregates the datums of concurrent PutMetricData requests into one batch before one write: the rows
 * written must be exactly those of one request holding all their datums, in order (property test), and GroupCommit
 * must acknowledge each add only after the commit holding it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { aggregate, toWrites, type Aggregate } from "../../src/services/cloudwatch/metrics/datums.js";
import type { MetricDatumInput } from "../../src/services/internal.js";
import { GroupCommit } from "../../src/runtime/group-commit.js";

const NOW = Date.parse("2026-11-23T10:00:00Z");

// Integer values keep every sum exact, whatever the order of additions (merging adds partial sums).
const datum: fc.Arbitrary<MetricDatumInput> = fc
  .record(
    {
      MetricName: fc.constantFrom("a", "b"),
      Dimensions: fc.constantFrom(
        undefined,
        [{ Name: "Host", Value: "h1" }],
        [
          { Name: "Z", Value: "1" },
          { Name: "A", Value: "2" },
        ],
        [
          { Name: "A", Value: "2" },
          { Name: "Z", Value: "1" },
        ],
      ),
      Unit: fc.constantFrom(undefined, "Seconds", "Count"),
      Timestamp: fc.constantFrom(undefined, NOW - 1000, NOW - 61_000, NOW - 61_500),
      StorageResolution: fc.constantFrom(undefined, 1, 60),
      form: fc.oneof(
        fc.record({ Value: fc.integer({ min: -1e6, max: 1e6 }) }),
        fc
          .array(fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 5 })), {
            minLength: 1,
            maxLength: 6,
          })
          .map((vc) => ({ Values: vc.map((x) => x[0]), Counts: vc.map((x) => x[1]) })),
        fc
          .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: -100, max: 100 }), fc.boolean())
          .map(([n, v, same]) => ({
            StatisticValues: { SampleCount: n, Sum: v * n, Minimum: v, Maximum: same ? v : v + 1 },
          })),
      ),
    },
    { requiredKeys: ["MetricName", "form"] },
  )
  .map(({ form, ...d }) => {
    const out: Record<string, unknown> = { ...form };
    for (const [k, v] of Object.entries(d)) if (v !== undefined) out[k] = v;
    return out as unknown as MetricDatumInput;
  });

test("aggregating several requests into one batch writes what one request with all their datums writes", () => {
  fc.assert(
    fc.property(fc.array(fc.array(datum, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }), (reqs) => {
      const batch: Aggregate = new Map();
      for (const r of reqs) aggregate("000000000000", "us-east-1", "N", r, NOW, batch);
      const merged = toWrites(batch);
      const whole = toWrites(aggregate("000000000000", "us-east-1", "N", reqs.flat(), NOW));
      assert.deepEqual(merged, whole);
    }),
    { numRuns: 300 },
  );
});

test("requests of other accounts, regions and namespaces never merge", () => {
  const d: MetricDatumInput[] = [{ MetricName: "m", Value: 1, Timestamp: NOW }];
  const batch: Aggregate = new Map();
  for (const [account, region, namespace] of [
    ["111111111111", "us-east-1", "N"],
    ["222222222222", "us-east-1", "N"],
    ["111111111111", "eu-west-1", "N"],
    ["111111111111", "us-east-1", "O"],
    ["111111111111", "us-east-1", "N"],
  ])
    aggregate(account, region, namespace, d, NOW, batch);
  const writes = toWrites(batch);
  assert.deepEqual(
    writes.map((w) => [w.account, w.region, w.namespace, w.points[0].count]),
    [
      ["111111111111", "us-east-1", "N", 2],
      ["222222222222", "us-east-1", "N", 1],
      ["111111111111", "eu-west-1", "N", 1],
      ["111111111111", "us-east-1", "O", 1],
    ],
  );
});

test("GroupCommit: adds of one turn share a commit, each resolves after it, and a failed commit rejects its batch only", async () => {
  const commits: number[][] = [];
  let fail = false;
  const events: string[] = [];
  const gc = new GroupCommit<number>(async (items) => {
    await new Promise((r) => setTimeout(r, 5));
    if (fail) {
      fail = false;
      throw new Error("disk full");
    }
    commits.push(items);
    events.push(`commit ${items.join(",")}`);
  });
  const first = [1, 2, 3].map((i) => gc.add(i).then(() => events.push(`ack ${i}`)));
  await Promise.all(first);
  assert.deepEqual(commits, [[1, 2, 3]]);
  assert.deepEqual(events, ["commit 1,2,3", "ack 1", "ack 2", "ack 3"]);

  fail = true;
  const failed = gc.add(4);
  await assert.rejects(failed, /disk full/);
  await gc.add(5);
  assert.deepEqual(commits, [[1, 2, 3], [5]]);
  await gc.drain();
});
