/**
 * The one path by which datapoints enter CloudWatch: PutMetricData, service metrics (internal putMetrics) and Logs
 * metric filters. Checks the datums as PutMetricData does, then group-commits: the datums of the requests of one
 * event-loop turn are aggregated together as they arrive (rows of the same metric, unit and period become one row)
 * and written in one transaction, and each request resolves after that commit. Then the roll-up job hears there is fresh data (runtime.ts installs that hook).
 *
 * Open rows: the row a recent period (OPEN_ROW_WINDOW_MS) was written to is remembered with its aggregate and sketch,
 * and the next write to that period updates it in place instead of adding a row (SQLite; PostgreSQL always appends).
 * A steady stream of puts to the same metrics then rewrites a few table pages per commit rather than adding an entry
 * to every index for every metric.
 */
import { GroupCommit } from "../../../runtime/group-commit.js";
import type { PointAgg } from "../../../storage/metrics-store.js";
import type { Stores } from "../../../storage/types.js";
import type { MetricDatumInput } from "../../internal.js";
import { aggregate, checkDatums, OPEN_ROW_WINDOW_MS, toWrites, type Aggregate, type PendingWrite } from "./datums.js";
import type { Sketch } from "./sketch.js";

/** A committed row of a recent period: its id, what it holds, and its sketch (decoded, so merging stays cheap). */
interface OpenRow {
  id: number;
  ts: number;
  agg: Omit<PointAgg, "sketch">;
  sketch: Sketch | null;
}

interface Writer {
  /** One entry per request waiting for the commit that holds its datums. */
  commit: GroupCommit<null>;
  /** The datums of the requests waiting, aggregated as they arrive; taken whole by the next commit. */
  pending: Aggregate;
  pendingNow: number;
  open: Map<string, OpenRow>;
  /** The store's epoch the open rows belong to (a reset wipes every row). */
  epoch: number;
  sweptAt: number;
}

const hooks = new WeakMap<Stores, (now: number) => void>();
const writers = new WeakMap<Stores, Writer>();

/** runtime.ts: called after each committed write. */
export function onMetricsWritten(stores: Stores, hook: (now: number) => void): void {
  hooks.set(stores, hook);
}

function writer(stores: Stores): Writer {
  let w = writers.get(stores);
  if (!w) {
    let committedNow = -Infinity;
    const created: Writer = {
      open: new Map(),
      epoch: stores.metrics.epoch,
      sweptAt: -Infinity,
      pending: new Map(),
      pendingNow: -Infinity,
      // GroupCommit calls this as it takes the waiting requests: exactly those whose datums are in `pending`.
      commit: new GroupCommit<null>(
        () => {
          const agg = created.pending;
          committedNow = created.pendingNow;
          created.pending = new Map();
          created.pendingNow = -Infinity;
          return write(stores, created, toWrites(agg), committedNow);
        },
        () => hooks.get(stores)?.(committedNow),
      ),
    };
    writers.set(stores, (w = created));
  }
  return w;
}

async function write(stores: Stores, w: Writer, writes: PendingWrite[], now: number): Promise<void> {
  if (w.epoch !== stores.metrics.epoch) {
    w.open.clear();
    w.epoch = stores.metrics.epoch;
  }
  const recent = now - OPEN_ROW_WINDOW_MS;
  for (const s of writes)
    for (const p of s.points) {
      if (p.ts < recent) continue;
      const o = w.open.get(p.key);
      if (!o) {
        p.keep = true;
        continue;
      }
      // The open row's sketch absorbs this write's now; if the commit fails every open row is forgotten.
      if (p.sk) {
        if (o.sketch) o.sketch.merge(p.sk);
        else o.sketch = p.sk;
      }
      p.open = {
        id: o.id,
        total: {
          count: o.agg.count + p.count,
          sum: o.agg.sum + p.sum,
          min: Math.min(o.agg.min, p.min),
          max: Math.max(o.agg.max, p.max),
          skCount: o.agg.skCount + p.skCount,
          sketch: o.sketch ? o.sketch.encode() : null,
        },
      };
    }
  let ids: number[];
  try {
    ids = await stores.metrics.put(writes, now);
  } catch (err) {
    w.open.clear();
    throw err;
  }
  let i = 0;
  for (const s of writes)
    for (const p of s.points) {
      const id = ids[i++];
      if (!id) continue;
      if (p.open && id === p.open.id) {
        const t = p.open.total;
        w.open.get(p.key)!.agg = { count: t.count, sum: t.sum, min: t.min, max: t.max, skCount: t.skCount };
      } else
        w.open.set(p.key, {
          id,
          ts: p.ts,
          agg: { count: p.count, sum: p.sum, min: p.min, max: p.max, skCount: p.skCount },
          sketch: p.sk,
        });
    }
  // Rows of periods that left the window are never updated again.
  if (now - w.sweptAt >= 60_000) {
    w.sweptAt = now;
    for (const [k, o] of w.open) if (o.ts < recent) w.open.delete(k);
  }
}

export async function ingestMetricData(
  stores: Stores,
  now: number,
  account: string,
  region: string,
  namespace: string,
  data: MetricDatumInput[] | undefined,
  service = false,
  pathOf?: (i: number) => string,
): Promise<void> {
  checkDatums(namespace, data, now, service, pathOf);
  const w = writer(stores);
  aggregate(account, region, namespace, data!, now, w.pending);
  w.pendingNow = Math.max(w.pendingNow, now);
  await w.commit.add(null);
}
