/**
 * The one path by which datapoints enter CloudWatch: PutMetricData, service metrics (internal putMetrics) and Logs
 * metric filters. Checks the datums as PutMetricData does, then group-commits: the datums of the requests of one
 * event-loop turn are aggregated together as they arrive (rows of the same metric, unit and period become one row)
 * and written in one transaction, and each request resolves after that commit. Then the roll-up job hears there is fresh data (runtime.ts installs that hook).
 *
 * Open rows: when consecutive commits write the same metric (many writers of the same metrics), the row of a recent
 * period (OPEN_ROW_WINDOW_MS) is followed with its aggregate and sketch, and later writes to that period update it in
 * place instead of adding a row (SQLite; PostgreSQL always appends). A steady stream of puts to the same metrics then
 * rewrites a few table pages per commit rather than adding an entry to every index for every metric, and a metric put
 * once a period costs nothing extra.
 */
import { GroupCommit } from "../../../runtime/group-commit.js";
import type { PointAgg } from "../../../storage/metrics-store.js";
import type { Stores } from "../../../storage/types.js";
import type { MetricDatumInput } from "../../internal.js";
import { aggregate, checkDatums, OPEN_ROW_WINDOW_MS, toWrites, type Aggregate, type PendingWrite } from "./datums.js";
import type { Sketch } from "./sketch.js";

/** A recent period of a metric: the committed row it lives in, what the row holds, and its sketch (decoded). */
interface OpenRow {
  rowKey: string;
  id: number;
  ts: number;
  agg: Omit<PointAgg, "sketch">;
  sketch: Sketch | null;
}

function find(rows: OpenRow[], rowKey: string): OpenRow | undefined {
  for (const o of rows) if (o.rowKey === rowKey) return o;
  return undefined;
}

interface Writer {
  /** One entry per request waiting for the commit that holds its datums. */
  commit: GroupCommit<null>;
  /** The datums of the requests waiting, aggregated as they arrive; taken whole by the next commit. */
  pending: Aggregate;
  pendingNow: number;
  /** Recent periods by metric (SQLite only): a short list each, usually one or two periods. */
  open: Map<string, OpenRow[]>;
  /** The metrics the previous commit wrote. */
  lastWritten: Set<string>;
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
      lastWritten: new Set(),
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
  if (stores.dialect !== "sqlite") {
    await stores.metrics.put(writes, now);
    return;
  }
  if (w.epoch !== stores.metrics.epoch) {
    w.open.clear();
    w.epoch = stores.metrics.epoch;
  }
  const recent = now - OPEN_ROW_WINDOW_MS;
  // Rows are followed only for metrics written again by the very next commit (many writers of the same metrics, as
  // under load): their next write is inserted for its id, then updated in place. A metric put once a period (most
  // agents) costs nothing here.
  const written = new Set<string>();
  for (const s of writes) {
    written.add(s.seriesKey);
    const rows = w.open.get(s.seriesKey);
    const hot = w.lastWritten.has(s.seriesKey);
    if (!rows && !hot) continue;
    for (const p of s.points) {
      if (p.ts < recent) continue;
      const o = rows && find(rows, p.rowKey);
      if (!o) {
        if (hot) p.keep = true;
        continue;
      }
      // The open row's sketch absorbs this write's now; if the commit fails every open row is forgotten.
      if (p.sketchObj) {
        if (o.sketch) o.sketch.merge(p.sketchObj);
        else o.sketch = p.sketchObj;
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
  }
  w.lastWritten = written;
  let ids: number[];
  try {
    ids = await stores.metrics.put(writes, now);
  } catch (err) {
    w.open.clear();
    throw err;
  }
  let i = 0;
  for (const s of writes) {
    let rows = w.open.get(s.seriesKey);
    for (const p of s.points) {
      const id = ids[i++];
      if (!id || p.ts < recent) continue;
      if (!rows) w.open.set(s.seriesKey, (rows = []));
      const o = find(rows, p.rowKey);
      if (p.open && id === p.open.id) {
        const t = p.open.total;
        o!.agg = { count: t.count, sum: t.sum, min: t.min, max: t.max, skCount: t.skCount };
        continue;
      }
      const row = {
        rowKey: p.rowKey,
        id,
        ts: p.ts,
        agg: { count: p.count, sum: p.sum, min: p.min, max: p.max, skCount: p.skCount },
        sketch: p.sketchObj,
      };
      if (o) rows[rows.indexOf(o)] = row;
      else rows.push(row);
    }
  }
  // Periods that left the window are never updated again.
  if (now - w.sweptAt >= 60_000) {
    w.sweptAt = now;
    for (const [k, rows] of w.open) {
      const kept = rows.filter((o) => o.ts >= recent);
      if (kept.length === 0) w.open.delete(k);
      else if (kept.length < rows.length) w.open.set(k, kept);
    }
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
