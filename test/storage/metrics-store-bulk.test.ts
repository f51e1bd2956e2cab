/**
 * MetricsStore bulk reads (seriesIds, pointsIn: the alarm evaluator's one read per tick), run on every backend in
 * backends.ts: each answers what the one-at-a-time reads (seriesId, points, unrolled) answer, across statement chunks.
 */
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { openDatabase, type Database } from "../../src/storage/db.js";
import {
  createMetricsStore,
  type MetricsStore,
  type PointRange,
  type PointRow,
  type StoredPoint,
} from "../../src/storage/metrics-store.js";
import { migrate } from "../../src/storage/migrations/index.js";
import { BACKENDS, type Location } from "./backends.js";

const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);
const MIN = 60_000;

const newAccount = () => String(randomInt(100_000_000_000, 999_999_999_999));

const point = (tier: number, ts: number, value: number, extra: Partial<PointRow> = {}): PointRow => ({
  tier,
  ts,
  unit: "None",
  std: tier === 60,
  count: 1,
  sum: value,
  min: value,
  max: value,
  skCount: 1,
  sketch: Buffer.from([value % 256]),
  ...extra,
});

/** What pointsIn answers for a row points() or unrolled() answered. */
const asRangePoint = (p: StoredPoint, sketches: boolean) => ({
  ts: p.ts,
  unit: p.unit,
  count: p.count,
  sum: p.sum,
  min: p.min,
  max: p.max,
  skCount: p.skCount,
  sketch: sketches ? p.sketch : null,
});

for (const backend of BACKENDS) {
  describe(`metrics store bulk reads on ${backend.name}`, () => {
    let location: Location;
    let db: Database;
    let metrics: MetricsStore;

    before(async () => {
      location = backend.create();
      db = await openDatabase(location.options);
      await migrate(db);
      metrics = createMetricsStore(db);
    });
    after(async () => {
      await db.close();
      await location.cleanup();
    });

    test("seriesIds answers seriesId for each key, in order, from the cache or not", async () => {
      const account = newAccount();
      const names = Array.from({ length: 300 }, (_, i) => `m${i}`);
      await metrics.put(
        names.map((name) => ({
          account,
          region: "us-east-1",
          namespace: "NS",
          name,
          dimsKey: "[]",
          dims: "[]",
          points: [point(60, T0, 1)],
        })),
        T0,
      );
      const keys = [...names, "missing", "m7"].map((name) => ({
        account,
        region: "us-east-1",
        namespace: "NS",
        name,
        dimsKey: "[]",
      }));
      keys.push({ account, region: "eu-west-1", namespace: "NS", name: "m1", dimsKey: "[]" });
      const want = [];
      for (const k of keys) want.push(await metrics.seriesId(k.account, k.region, k.namespace, k.name, k.dimsKey));
      assert.equal(want.filter((id) => id === undefined).length, 2);
      // A store of its own has nothing cached: every key goes through the bulk statement (two chunks on SQLite).
      assert.deepEqual(await createMetricsStore(db).seriesIds(keys), want);
      assert.deepEqual(await metrics.seriesIds(keys), want);
      assert.deepEqual(await metrics.seriesIds([]), []);
    });

    test("pointsIn answers, per range, the rows points() or unrolled() answer, by ts then id", async () => {
      const account = newAccount();
      const series = Array.from({ length: 150 }, (_, i) => `s${i}`);
      await metrics.put(
        series.map((name, i) => ({
          account,
          region: "us-east-1",
          namespace: "NS",
          name,
          dimsKey: "[]",
          dims: "[]",
          points: [
            point(60, T0 - 3 * MIN, i),
            point(60, T0 - 2 * MIN, i + 1, { unit: "Count" }),
            point(60, T0 - 2 * MIN, i + 2),
            point(60, T0 - MIN, i + 3, { std: false, sketch: null, skCount: 0 }),
            point(1, T0 - MIN + 5_000, i + 4, { std: false }),
            point(1, T0 - MIN + 6_000, i + 5, { std: false }),
          ],
        })),
        T0,
      );
      const ids = (await metrics.seriesIds(
        series.map((name) => ({ account, region: "us-east-1", namespace: "NS", name, dimsKey: "[]" })),
      )) as number[];
      // Rolled rows: a 5-minute row and a 1-minute one that unrolledOnly leaves out.
      await metrics.replace(
        [],
        ids.flatMap((seriesId, i) => [
          { ...point(300, T0 - 5 * MIN, i), seriesId },
          { ...point(60, T0 - 2 * MIN, i + 9), seriesId },
        ]),
      );
      const ranges: PointRange[] = ids.flatMap((seriesId, i) => [
        { seriesId, tier: 60, from: T0 - 3 * MIN, to: T0 },
        { seriesId, tier: 60, from: T0 - 2 * MIN, to: T0 - MIN + (i % 2) * MIN, stdOnly: true },
        { seriesId, tier: 60, from: T0 - 10 * MIN, to: T0, unrolledOnly: true },
        { seriesId, tier: 1, from: T0 - MIN, to: T0 },
        { seriesId, tier: 300, from: T0 - 10 * MIN, to: T0 },
        { seriesId, tier: 3600, from: T0 - 10 * MIN, to: T0 },
      ]);
      ranges.push({ seriesId: 1e12, tier: 60, from: 0, to: T0 });
      const byTsThenId = (a: StoredPoint, b: StoredPoint) => a.ts - b.ts || a.id - b.id;
      for (const sketches of [false, true]) {
        const want = [];
        for (const r of ranges) {
          const rows = r.unrolledOnly
            ? await metrics.unrolled(r.seriesId, r.from, r.to)
            : await metrics.points(r.seriesId, r.tier, r.from, r.to, r.stdOnly);
          want.push(rows.sort(byTsThenId).map((p) => asRangePoint(p, sketches)));
        }
        assert.equal(want.flat().length, 150 * (5 + 3 + 4 + 2 + 1));
        const got = await metrics.pointsIn(ranges, sketches);
        assert.deepEqual(
          got.map((rows) => rows.map((p) => ({ ...p, sketch: p.sketch && Buffer.from(p.sketch) }))),
          want,
        );
      }
      assert.deepEqual(await metrics.pointsIn([], true), []);
    });
  });
}
