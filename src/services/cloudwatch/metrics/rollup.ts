/**
 * The roll-up job: merges fresh 1-minute rows into one row per (metric, minute, unit), adds them into the 5-minute and
 * 1-hour tiers, and deletes what AWS no longer keeps (1-second data after 3 hours, 1-minute after 15 days, 5-minute
 * after 63 days, 1-hour after 455 days). It sleeps until the next write or the next expiry.
 */
import type { MetricsStore, PointRow, StoredPoint } from "../../../storage/metrics-store.js";
import { OPEN_ROW_WINDOW_MS } from "./datums.js";
import { Sketch } from "./sketch.js";

const DAY_MS = 24 * 3600 * 1000;
/** Tier (seconds) -> how long AWS keeps it (ms). */
export const RETENTION: [number, number][] = [
  [1, 3 * 3600 * 1000],
  [60, 15 * DAY_MS],
  [300, 63 * DAY_MS],
  [3600, 455 * DAY_MS],
];
const BATCH = 5000;

type Merged = PointRow & { seriesId: number };

function mergeInto(
  m: Map<string, { row: Merged; sketches: Uint8Array[] }>,
  key: string,
  p: StoredPoint,
  tier: number,
  ts: number,
  std: boolean,
): void {
  let e = m.get(key);
  if (!e) {
    e = {
      row: {
        seriesId: p.seriesId,
        tier,
        ts,
        unit: p.unit,
        std,
        count: 0,
        sum: 0,
        min: Infinity,
        max: -Infinity,
        skCount: 0,
        sketch: null,
      },
      sketches: [],
    };
    m.set(key, e);
  }
  const r = e.row;
  r.count += p.count;
  r.sum += p.sum;
  r.min = Math.min(r.min, p.min);
  r.max = Math.max(r.max, p.max);
  r.skCount += p.skCount;
  if (p.sketch) e.sketches.push(p.sketch);
}

/**
 * One batch of roll-up; returns whether more rows are ready. Rows the writer may still update in place (ingest.ts:
 * data of the last two minutes) wait one minute more, so a roll-up never reads a row that a later write changes.
 */
export async function rollupOnce(store: MetricsStore, now: number): Promise<boolean> {
  const fresh = await store.unrolledBatch(BATCH, now - OPEN_ROW_WINDOW_MS - 60_000);
  if (fresh.length === 0) return false;
  const merged = new Map<string, { row: Merged; sketches: Uint8Array[] }>();
  const keyOf = (seriesId: number, tier: number, ts: number, unit: string, std: boolean) =>
    `${seriesId}\u0000${tier}\u0000${ts}\u0000${unit}\u0000${std ? 1 : 0}`;
  const targets = new Map<string, { seriesId: number; tier: number; ts: number }>();
  for (const p of fresh) {
    for (const tier of [60, 300, 3600]) {
      const ts = Math.floor(p.ts / (tier * 1000)) * tier * 1000;
      const std = tier === 60 ? p.std : false;
      mergeInto(merged, keyOf(p.seriesId, tier, ts, p.unit, std), p, tier, ts, std);
      targets.set(`${p.seriesId}:${tier}:${ts}`, { seriesId: p.seriesId, tier, ts });
    }
  }
  // Fold in what earlier runs rolled at the same keys, so each key keeps one row.
  const existing = await store.rolledAt([...targets.values()]);
  for (const p of existing) mergeInto(merged, keyOf(p.seriesId, p.tier, p.ts, p.unit, p.std), p, p.tier, p.ts, p.std);
  const inserts: Merged[] = [];
  for (const { row, sketches } of merged.values()) {
    if (sketches.length === 1) row.sketch = Buffer.from(sketches[0]);
    else if (sketches.length > 1) {
      const s = new Sketch();
      for (const b of sketches) s.merge(Sketch.decode(b));
      row.sketch = s.encode();
    }
    inserts.push(row);
  }
  await store.replace([...fresh.map((p) => p.id), ...existing.map((p) => p.id)], inserts);
  return fresh.length === BATCH;
}

/** Deletes expired rows; returns the next instant something expires (Infinity when nothing is stored). */
export async function expire(store: MetricsStore, now: number): Promise<number> {
  let next = Infinity;
  for (const [tier, keep] of RETENTION) {
    await store.expire(tier, now - keep);
    const oldest = await store.oldest(tier);
    if (oldest !== undefined) next = Math.min(next, oldest + keep + tier * 1000);
  }
  return next;
}
