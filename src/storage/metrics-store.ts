/**
 * CloudWatch metrics, metric filters and dashboards (migration 0008). Metric data are per-period aggregate rows
 * (metric_points): PutMetricData appends the rows of one request in one transaction (SQLite: a synchronous
 * better-sqlite3 transaction over prepared statements; PostgreSQL: multi-row statements over unnest arrays), and the
 * roll-up job later replaces a batch of fresh 1-minute rows by merged ones plus 5-minute and 1-hour rows.
 *
 * Series ids are cached per process (series are never deleted, except by reset, which calls forget()).
 */
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import type { Database } from "./db.js";

/** One aggregate: count/sum/min/max of the values of a period, and their sketch when it holds them all. */
export interface PointAgg {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** How many of `count` the sketch holds. */
  skCount: number;
  sketch: Buffer | null;
}

export interface PointRow extends PointAgg {
  /** Period length in seconds: 1, 60, 300 or 3600. */
  tier: number;
  /** Period start, epoch ms. */
  ts: number;
  unit: string;
  /** A 1-minute row of standard-resolution data. */
  std: boolean;
}

export interface StoredPoint extends PointRow {
  id: number;
  seriesId: number;
  rolled: boolean;
}

/**
 * A 1-minute or 1-second row the writer knows is still unrolled and recent (SQLite only): `put` overwrites it with
 * `total` (its old aggregate merged with this write) instead of inserting another row, or, when the row is gone or
 * rolled meanwhile, inserts the write's own aggregate.
 */
export interface OpenRowUpdate {
  id: number;
  total: PointAgg;
}

export interface PointWrite extends PointRow {
  open?: OpenRowUpdate;
  /** The writer wants the id of the row this point is inserted as (it may update it later). */
  keep?: boolean;
}

export interface SeriesWrite {
  account: string;
  region: string;
  namespace: string;
  name: string;
  /** Canonical key of the dimension set (sorted by name). */
  dimsKey: string;
  /** JSON of the dimensions, sorted by name. */
  dims: string;
  points: PointWrite[];
}

export interface SeriesRecord {
  id: number;
  namespace: string;
  name: string;
  dimsKey: string;
  dims: string;
  lastPut: number;
}

/** A series as the bulk lookup names it. */
export interface SeriesKey {
  account: string;
  region: string;
  namespace: string;
  name: string;
  dimsKey: string;
}

/** One range of a bulk read: the rows of one series and tier with ts in [from, to). */
export interface PointRange {
  seriesId: number;
  tier: number;
  from: number;
  to: number;
  /** Only the standard-resolution rows (as points() with stdOnly). */
  stdOnly?: boolean;
  /** Only the unrolled rows (as unrolled(), with tier 60). */
  unrolledOnly?: boolean;
}

/** A row as period reads use it (bucketize): what the bulk read returns. Its sketch is null unless asked for. */
export interface RangePoint extends PointAgg {
  ts: number;
  unit: string;
}

export interface SeriesQuery {
  account: string;
  region: string;
  namespace?: string;
  name?: string;
  /** Only series that received data at or after this instant. */
  activeSince?: number;
  afterId: number;
  limit: number;
}

export interface MetricFilterRow {
  account: string;
  region: string;
  logGroupName: string;
  filterName: string;
  filterPattern: string;
  /** JSON of the metricTransformations. */
  transformations: string;
  applyOnTransformed: boolean;
  createdAt: number;
}

export interface DashboardRow {
  name: string;
  body: string;
  size: number;
  lastModified: number;
}

export interface MetricsStore {
  /**
   * Writes points (creating series as needed) in one transaction; resolves after commit. `now` is the batch's time
   * (series' last_put). On SQLite, resolves with the id of the row each point now lives in, in order (series by
   * series; 0 when not asked for with `keep` or `open`). PostgreSQL ignores `open` and appends, so that several nodes
   * never overwrite each other's aggregates, and resolves with an empty array.
   */
  put(series: SeriesWrite[], now: number): Promise<number[]>;
  seriesId(
    account: string,
    region: string,
    namespace: string,
    name: string,
    dimsKey: string,
  ): Promise<number | undefined>;
  /** Series by id ascending after `afterId`. */
  listSeries(q: SeriesQuery): Promise<SeriesRecord[]>;
  /** Rows of one series and tier with ts in [from, to); `stdOnly` keeps the standard-resolution rows only. */
  points(seriesId: number, tier: number, from: number, to: number, stdOnly?: boolean): Promise<StoredPoint[]>;
  /** Unrolled 1-minute rows of a series in [from, to) (what the coarser tiers do not hold yet). */
  unrolled(seriesId: number, from: number, to: number): Promise<StoredPoint[]>;
  /** Series ids of many keys at once (undefined where no such series), in the order of `keys`. */
  seriesIds(keys: readonly SeriesKey[]): Promise<(number | undefined)[]>;
  /**
   * The rows of many ranges in few statements (the alarm evaluator reads every metric of a tick at once): for each
   * range, in its order, its rows by ts then id. Sketches are read only when `sketches` (percentile-like statistics
   * need them; the others would pay for a Buffer per row).
   */
  pointsIn(ranges: readonly PointRange[], sketches: boolean): Promise<RangePoint[][]>;
  /** A batch of unrolled 1-minute rows with ts < before, oldest id first. */
  unrolledBatch(limit: number, before: number): Promise<StoredPoint[]>;
  /** Rolled rows at exactly these keys. */
  rolledAt(keys: { seriesId: number; tier: number; ts: number }[]): Promise<StoredPoint[]>;
  /** Deletes rows by id and inserts rolled rows, in one transaction. */
  replace(deleteIds: number[], inserts: (PointRow & { seriesId: number })[]): Promise<void>;
  /** Deletes the rows of `tier` older than `before`; returns how many. */
  expire(tier: number, before: number): Promise<number>;
  /** The oldest ts of a tier, or undefined when empty. */
  oldest(tier: number): Promise<number | undefined>;
  /** Whether unrolled rows remain. */
  hasUnrolled(): Promise<boolean>;

  putMetricFilter(groupId: number, f: MetricFilterRow): Promise<void>;
  deleteMetricFilter(account: string, region: string, groupName: string, filterName: string): Promise<boolean>;
  /** Filters of the scope (optionally one group), ordered by group name then filter name. */
  metricFilters(account: string, region: string, groupName?: string): Promise<MetricFilterRow[]>;
  /** Filter counts per group id. */
  metricFilterCounts(groupIds: number[]): Promise<Map<number, number>>;

  putDashboard(account: string, d: DashboardRow): Promise<void>;
  dashboard(account: string, name: string): Promise<DashboardRow | undefined>;
  dashboards(account: string, prefix: string, after: string, limit: number): Promise<DashboardRow[]>;
  /** Deletes all or none: resolves with the names that do not exist (nothing deleted then). */
  deleteDashboards(account: string, names: string[]): Promise<string[]>;

  /** Drops cached ids (after a reset). */
  forget(): void;
  /** Incremented by forget(): row ids cached by a writer before a reset mean nothing after it. */
  readonly epoch: number;
}

const POINT_COLS = "id, series_id, tier, ts, unit, std, rolled, count, sum, min, max, sk_count, sketch";

type RawPoint = {
  id: number | string;
  series_id: number | string;
  tier: number;
  ts: number | string;
  unit: string;
  std: number;
  rolled: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  sk_count: number;
  sketch: Buffer | null;
};

const toPoint = (r: RawPoint): StoredPoint => ({
  id: Number(r.id),
  seriesId: Number(r.series_id),
  tier: r.tier,
  ts: Number(r.ts),
  unit: r.unit,
  std: r.std === 1,
  rolled: r.rolled === 1,
  count: r.count,
  sum: r.sum,
  min: r.min,
  max: r.max,
  skCount: r.sk_count,
  sketch: r.sketch,
});

type RawSeries = {
  id: number | string;
  namespace: string;
  name: string;
  dims_key: string;
  dims: string;
  last_put: number | string;
};
const toSeries = (r: RawSeries): SeriesRecord => ({
  id: Number(r.id),
  namespace: r.namespace,
  name: r.name,
  dimsKey: r.dims_key,
  dims: r.dims,
  lastPut: Number(r.last_put),
});

type RawFilter = {
  account: string;
  region: string;
  log_group_name: string;
  filter_name: string;
  filter_pattern: string;
  transformations: string;
  apply_on_transformed: number;
  created_at: number | string;
};
const toFilter = (r: RawFilter): MetricFilterRow => ({
  account: r.account,
  region: r.region,
  logGroupName: r.log_group_name,
  filterName: r.filter_name,
  filterPattern: r.filter_pattern,
  transformations: r.transformations,
  applyOnTransformed: r.apply_on_transformed === 1,
  createdAt: Number(r.created_at),
});

type RawDashboard = { name: string; body: string; size: number | string; last_modified: number | string };
const toDashboard = (r: RawDashboard): DashboardRow => ({
  name: r.name,
  body: r.body,
  size: Number(r.size),
  lastModified: Number(r.last_modified),
});

/** Cached series: id and the last_put written (refreshed at most once a minute: RecentlyActive is PT3H). */
interface CachedSeries {
  id: number;
  lastPut: number;
}
const LAST_PUT_GRANULARITY_MS = 60_000;
const cacheKey = (account: string, region: string, namespace: string, name: string, dimsKey: string) =>
  `${account}\u0000${region}\u0000${namespace}\u0000${name}\u0000${dimsKey}`;

/** Read queries written once with `?` placeholders, run on either dialect. */
interface Reader {
  all<T>(sql: string, params: unknown[]): Promise<T[]>;
  run(sql: string, params: unknown[]): Promise<number>;
}

export function createMetricsStore(db: Database): MetricsStore {
  const cache = new Map<string, CachedSeries>();
  let epoch = 0;
  let reader: Reader;
  let put: MetricsStore["put"];
  let replace: MetricsStore["replace"];
  let deleteDashboards: MetricsStore["deleteDashboards"];

  if (db.dialect === "sqlite") {
    const s = db.sqlite;
    const stmts = new Map<string, BetterSqlite3.Statement>();
    const prep = (sql: string) => {
      let st = stmts.get(sql);
      if (!st) stmts.set(sql, (st = s.prepare(sql)));
      return st;
    };
    reader = {
      all: async <T>(sql: string, params: unknown[]) => prep(sql).all(...params) as T[],
      run: async (sql, params) => prep(sql).run(...params).changes,
    };
    const upsertSeries = s.prepare(
      `INSERT INTO metric_series (account, region, namespace, name, dims_key, dims, created_at, last_put)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account, region, namespace, name, dims_key) DO UPDATE SET last_put = max(last_put, excluded.last_put)
       RETURNING id`,
    );
    const insertPoint = s.prepare(
      `INSERT INTO metric_points (series_id, tier, ts, unit, std, rolled, count, sum, min, max, sk_count, sketch)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const deletePoint = s.prepare("DELETE FROM metric_points WHERE id = ?");
    const many = new Map<number, BetterSqlite3.Statement>();
    const insertMany = (n: number, returning: boolean) => {
      const k = returning ? -n : n;
      let st = many.get(k);
      if (!st)
        many.set(
          k,
          (st = s.prepare(
            `INSERT INTO metric_points (series_id, tier, ts, unit, std, rolled, count, sum, min, max, sk_count, sketch)
             VALUES ${Array.from({ length: n }, () => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}${
               returning ? " RETURNING id, series_id, tier, ts, unit, std" : ""
             }`,
          )),
        );
      return st;
    };
    // RETURNING rows come in no promised order: they are matched to their points by key (unique in a write).
    const rowKey = (seriesId: number, tier: number, ts: number, unit: string, std: number) =>
      `${seriesId}\u0000${tier}\u0000${ts}\u0000${unit}\u0000${std}`;
    const updateOpen = s.prepare(
      `UPDATE metric_points SET count = ?, sum = ?, min = ?, max = ?, sk_count = ?, sketch = ?
        WHERE id = ? AND series_id = ? AND tier = ? AND ts = ? AND unit = ? AND std = ? AND rolled = 0`,
    );
    const putTx = s.transaction((series: SeriesWrite[], now: number) => {
      const fresh: [string, CachedSeries][] = [];
      const pending: unknown[] = [];
      const ids: number[] = [];
      /** Rows inserted whose ids the writer asked for: key -> index in ids. */
      const want = new Map<string, number>();
      for (const w of series) {
        const key = cacheKey(w.account, w.region, w.namespace, w.name, w.dimsKey);
        let c = cache.get(key);
        if (!c || c.lastPut < now - LAST_PUT_GRANULARITY_MS) {
          const id = Number(
            (
              upsertSeries.get(w.account, w.region, w.namespace, w.name, w.dimsKey, w.dims, now, now) as {
                id: number;
              }
            ).id,
          );
          c = { id, lastPut: now };
          fresh.push([key, c]);
        }
        for (const p of w.points) {
          const std = p.std ? 1 : 0;
          // An open row is rewritten in place: one table page instead of a new entry in every index.
          if (p.open) {
            const t = p.open.total;
            const u = updateOpen.run(
              t.count,
              t.sum,
              t.min,
              t.max,
              t.skCount,
              t.sketch,
              p.open.id,
              c.id,
              p.tier,
              p.ts,
              p.unit,
              std,
            );
            if (u.changes === 1) {
              ids.push(p.open.id);
              continue;
            }
            // Gone from under the update (rolled up, or wiped): the write's own aggregate becomes a new row.
          }
          if (p.open || p.keep) want.set(rowKey(c.id, p.tier, p.ts, p.unit, std), ids.length);
          ids.push(0);
          pending.push(c.id, p.tier, p.ts, p.unit, std, 0, p.count, p.sum, p.min, p.max, p.skCount, p.sketch);
        }
      }
      // Multi-row inserts: one statement per 32 rows costs less than a statement per row.
      const cols = 12;
      for (let i = 0; i < pending.length; i += 32 * cols) {
        const chunk = pending.slice(i, i + 32 * cols);
        if (want.size === 0) {
          insertMany(chunk.length / cols, false).run(...chunk);
          continue;
        }
        const rows = insertMany(chunk.length / cols, true).all(...chunk) as {
          id: number;
          series_id: number;
          tier: number;
          ts: number;
          unit: string;
          std: number;
        }[];
        for (const r of rows) {
          const at = want.get(rowKey(r.series_id, r.tier, r.ts, r.unit, r.std));
          if (at !== undefined) ids[at] = Number(r.id);
        }
      }
      return { fresh, ids };
    });
    put = async (series, now) => {
      const r = putTx(series, now);
      // Cached only after commit: a rolled-back transaction leaves no id behind.
      for (const [k, c] of r.fresh) cache.set(k, c);
      return r.ids;
    };
    const replaceTx = s.transaction((ids: number[], inserts: (PointRow & { seriesId: number })[]) => {
      for (const id of ids) deletePoint.run(id);
      for (const p of inserts)
        insertPoint.run(
          p.seriesId,
          p.tier,
          p.ts,
          p.unit,
          p.std ? 1 : 0,
          1,
          p.count,
          p.sum,
          p.min,
          p.max,
          p.skCount,
          p.sketch,
        );
    });
    replace = async (ids, inserts) => replaceTx(ids, inserts);
    const exists = s.prepare("SELECT 1 FROM cw_dashboards WHERE account = ? AND name = ?").pluck();
    const del = s.prepare("DELETE FROM cw_dashboards WHERE account = ? AND name = ?");
    const delTx = s.transaction((account: string, names: string[]) => {
      const missing = names.filter((n) => !exists.get(account, n));
      if (missing.length === 0) for (const n of names) del.run(account, n);
      return missing;
    });
    deleteDashboards = async (account, names) => delTx(account, names);
  } else {
    const pool = db.pool;
    const toPg = (sql: string) => {
      let i = 0;
      return sql.replace(/\?/g, () => `$${++i}`);
    };
    const texts = new Map<string, string>();
    const pg = (sql: string) => {
      let t = texts.get(sql);
      if (!t) texts.set(sql, (t = toPg(sql)));
      return t;
    };
    reader = {
      all: async <T>(sql: string, params: unknown[]) =>
        (await pool.query({ text: pg(sql), values: params })).rows as T[],
      run: async (sql, params) => (await pool.query({ text: pg(sql), values: params })).rowCount ?? 0,
    };
    const insertPoints = async (
      client: pg.Pool | pg.PoolClient,
      rows: (PointRow & { seriesId: number })[],
      rolled: number,
    ) => {
      if (rows.length === 0) return;
      await client.query({
        text: `INSERT INTO metric_points (series_id, tier, ts, unit, std, rolled, count, sum, min, max, sk_count, sketch)
               SELECT s, t, ts, u, st, $6::int, c, su, mi, ma, sk, b
                 FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::text[], $5::int[], $7::float8[], $8::float8[],
                             $9::float8[], $10::float8[], $11::float8[], $12::bytea[])
                   AS x(s, t, ts, u, st, c, su, mi, ma, sk, b)`,
        values: [
          rows.map((r) => r.seriesId),
          rows.map((r) => r.tier),
          rows.map((r) => r.ts),
          rows.map((r) => r.unit),
          rows.map((r) => (r.std ? 1 : 0)),
          rolled,
          rows.map((r) => r.count),
          rows.map((r) => r.sum),
          rows.map((r) => r.min),
          rows.map((r) => r.max),
          rows.map((r) => r.skCount),
          rows.map((r) => r.sketch),
        ],
      });
    };
    put = async (series, now) => {
      const ids = new Map<string, number>();
      const need: SeriesWrite[] = [];
      for (const w of series) {
        const key = cacheKey(w.account, w.region, w.namespace, w.name, w.dimsKey);
        const c = cache.get(key);
        if (c && c.lastPut >= now - LAST_PUT_GRANULARITY_MS) ids.set(key, c.id);
        else need.push(w);
      }
      if (need.length > 0) {
        const { rows } = await pool.query<{
          id: string;
          account: string;
          region: string;
          namespace: string;
          name: string;
          dims_key: string;
        }>({
          text: `INSERT INTO metric_series (account, region, namespace, name, dims_key, dims, created_at, last_put)
                 SELECT a, r, ns, n, k, d, $6::bigint, $6::bigint
                   FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $7::text[])
                     AS x(a, r, ns, n, k, d)
                 ON CONFLICT (account, region, namespace, name, dims_key)
                 DO UPDATE SET last_put = GREATEST(metric_series.last_put, excluded.last_put)
                 RETURNING id, account, region, namespace, name, dims_key`,
          values: [
            need.map((w) => w.account),
            need.map((w) => w.region),
            need.map((w) => w.namespace),
            need.map((w) => w.name),
            need.map((w) => w.dimsKey),
            now,
            need.map((w) => w.dims),
          ],
        });
        for (const r of rows) {
          const key = cacheKey(r.account, r.region, r.namespace, r.name, r.dims_key);
          ids.set(key, Number(r.id));
          cache.set(key, { id: Number(r.id), lastPut: now });
        }
      }
      const rows: (PointRow & { seriesId: number })[] = [];
      for (const w of series) {
        const id = ids.get(cacheKey(w.account, w.region, w.namespace, w.name, w.dimsKey))!;
        for (const p of w.points) rows.push({ ...p, seriesId: id });
      }
      await insertPoints(pool, rows, 0);
      return [];
    };
    replace = async (ids, inserts) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        if (ids.length) await client.query("DELETE FROM metric_points WHERE id = ANY($1::bigint[])", [ids]);
        await insertPoints(client, inserts, 1);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw e;
      } finally {
        client.release();
      }
    };
    deleteDashboards = async (account, names) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const { rows } = await client.query<{ name: string }>(
          "SELECT name FROM cw_dashboards WHERE account = $1 AND name = ANY($2::text[]) FOR UPDATE",
          [account, names],
        );
        const have = new Set(rows.map((r) => r.name));
        const missing = names.filter((n) => !have.has(n));
        if (missing.length === 0)
          await client.query("DELETE FROM cw_dashboards WHERE account = $1 AND name = ANY($2::text[])", [
            account,
            names,
          ]);
        await client.query("COMMIT");
        return missing;
      } catch (e) {
        await client.query("ROLLBACK");
        throw e;
      } finally {
        client.release();
      }
    };
  }

  const r = reader;
  return {
    put,
    replace,
    deleteDashboards,
    async seriesId(account, region, namespace, name, dimsKey) {
      const c = cache.get(cacheKey(account, region, namespace, name, dimsKey));
      if (c) return c.id;
      const rows = await r.all<{ id: number | string; last_put: number | string }>(
        "SELECT id, last_put FROM metric_series WHERE account = ? AND region = ? AND namespace = ? AND name = ? AND dims_key = ?",
        [account, region, namespace, name, dimsKey],
      );
      if (!rows[0]) return undefined;
      const id = Number(rows[0].id);
      cache.set(cacheKey(account, region, namespace, name, dimsKey), { id, lastPut: Number(rows[0].last_put) });
      return id;
    },
    async listSeries(q) {
      const where = ["account = ?", "region = ?", "id > ?"];
      const params: unknown[] = [q.account, q.region, q.afterId];
      if (q.namespace !== undefined) {
        where.push("namespace = ?");
        params.push(q.namespace);
      }
      if (q.name !== undefined) {
        where.push("name = ?");
        params.push(q.name);
      }
      if (q.activeSince !== undefined) {
        where.push("last_put >= ?");
        params.push(q.activeSince);
      }
      params.push(q.limit);
      const rows = await r.all<RawSeries>(
        `SELECT id, namespace, name, dims_key, dims, last_put FROM metric_series WHERE ${where.join(" AND ")}
          ORDER BY id LIMIT ?`,
        params,
      );
      return rows.map(toSeries);
    },
    async points(seriesId, tier, from, to, stdOnly = false) {
      const rows = await r.all<RawPoint>(
        `SELECT ${POINT_COLS} FROM metric_points WHERE series_id = ? AND tier = ? AND ts >= ? AND ts < ?${
          stdOnly ? " AND std = 1" : ""
        }`,
        [seriesId, tier, from, to],
      );
      return rows.map(toPoint);
    },
    async unrolled(seriesId, from, to) {
      const rows = await r.all<RawPoint>(
        `SELECT ${POINT_COLS} FROM metric_points WHERE series_id = ? AND tier = 60 AND ts >= ? AND ts < ? AND rolled = 0`,
        [seriesId, from, to],
      );
      return rows.map(toPoint);
    },
    async unrolledBatch(limit, before) {
      const rows = await r.all<RawPoint>(
        `SELECT ${POINT_COLS} FROM metric_points WHERE rolled = 0 AND tier = 60 AND ts < ? ORDER BY id LIMIT ?`,
        [before, limit],
      );
      return rows.map(toPoint);
    },
    async rolledAt(keys) {
      const out: StoredPoint[] = [];
      for (const k of keys) {
        const rows = await r.all<RawPoint>(
          `SELECT ${POINT_COLS} FROM metric_points WHERE series_id = ? AND tier = ? AND ts = ? AND rolled = 1`,
          [k.seriesId, k.tier, k.ts],
        );
        for (const row of rows) out.push(toPoint(row));
      }
      return out;
    },
    expire: (tier, before) => r.run("DELETE FROM metric_points WHERE tier = ? AND ts < ?", [tier, before]),
    async oldest(tier) {
      const rows = await r.all<{ ts: number | string | null }>(
        "SELECT min(ts) AS ts FROM metric_points WHERE tier = ?",
        [tier],
      );
      const v = rows[0]?.ts;
      return v === null || v === undefined ? undefined : Number(v);
    },
    async hasUnrolled() {
      const rows = await r.all("SELECT 1 FROM metric_points WHERE rolled = 0 AND tier = 60 LIMIT 1", []);
      return rows.length > 0;
    },

    async putMetricFilter(groupId, f) {
      const params = [
        groupId,
        f.account,
        f.region,
        f.logGroupName,
        f.filterName,
        f.filterPattern,
        f.transformations,
        f.applyOnTransformed ? 1 : 0,
        f.createdAt,
      ];
      await r.run(
        `INSERT INTO metric_filters (group_id, account, region, log_group_name, filter_name, filter_pattern,
                                     transformations, apply_on_transformed, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (group_id, filter_name) DO UPDATE SET filter_pattern = excluded.filter_pattern,
           transformations = excluded.transformations, apply_on_transformed = excluded.apply_on_transformed`,
        params,
      );
    },
    async deleteMetricFilter(account, region, groupName, filterName) {
      const n = await r.run(
        "DELETE FROM metric_filters WHERE account = ? AND region = ? AND log_group_name = ? AND filter_name = ?",
        [account, region, groupName, filterName],
      );
      return n > 0;
    },
    async metricFilters(account, region, groupName) {
      const rows = await r.all<RawFilter>(
        `SELECT f.account, f.region, f.log_group_name, f.filter_name, f.filter_pattern, f.transformations,
                f.apply_on_transformed, f.created_at
           FROM metric_filters f JOIN log_groups g ON g.id = f.group_id
          WHERE f.account = ? AND f.region = ?${groupName === undefined ? "" : " AND f.log_group_name = ?"}
          ORDER BY f.log_group_name, f.filter_name`,
        groupName === undefined ? [account, region] : [account, region, groupName],
      );
      return rows.map(toFilter);
    },
    async metricFilterCounts(groupIds) {
      const out = new Map<number, number>();
      for (const id of groupIds) {
        const rows = await r.all<{ n: number | string }>(
          "SELECT count(*) AS n FROM metric_filters WHERE group_id = ?",
          [id],
        );
        out.set(id, Number(rows[0]?.n ?? 0));
      }
      return out;
    },

    async putDashboard(account, d) {
      await r.run(
        `INSERT INTO cw_dashboards (account, name, body, size, last_modified) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (account, name) DO UPDATE SET body = excluded.body, size = excluded.size,
           last_modified = excluded.last_modified`,
        [account, d.name, d.body, d.size, d.lastModified],
      );
    },
    async dashboard(account, name) {
      const rows = await r.all<RawDashboard>(
        "SELECT name, body, size, last_modified FROM cw_dashboards WHERE account = ? AND name = ?",
        [account, name],
      );
      return rows[0] ? toDashboard(rows[0]) : undefined;
    },
    async dashboards(account, prefix, after, limit) {
      // Prefix by range (no LIKE: names may hold % and _).
      const rows = await r.all<RawDashboard>(
        `SELECT name, body, size, last_modified FROM cw_dashboards
          WHERE account = ? AND name > ? AND name >= ? AND substr(name, 1, ?) = ? ORDER BY name LIMIT ?`,
        [account, after, prefix, prefix.length, prefix, limit],
      );
      return rows.map(toDashboard);
    },
    ...bulkReads(db, cache),
    forget() {
      cache.clear();
      epoch++;
    },
    get epoch() {
      return epoch;
    },
  };
}

/** Keys or ranges per bulk statement on SQLite (at most 7 parameters each, well under its limit of 32,766). */
const BULK_CHUNK = 256;

/** Chunks of at most BULK_CHUNK, the last one padded to a power of two so that few statement texts get prepared. */
function chunks<T>(items: readonly T[], pad: T): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BULK_CHUNK) {
    const c = items.slice(i, i + BULK_CHUNK);
    let size = 1;
    while (size < c.length) size *= 2;
    while (c.length < size) c.push(pad);
    out.push(c);
  }
  return out;
}

/** (index of the key or range, ...columns), as both dialects answer the bulk reads (array rows). */
type RawSeriesId = [number | string, number | string, number | string];
type RawRangePoint = [number | string, number | string, string, number, number, number, number, number, Buffer | null];

const POINT_SELECT = (sketches: boolean) =>
  `p.ts, p.unit, p.count, p.sum, p.min, p.max, p.sk_count, ${sketches ? "p.sketch" : "NULL"}`;
const RANGE_MATCH =
  "p.series_id = q.sid AND p.tier = q.tier AND p.ts >= q.f AND p.ts < q.t " +
  "AND (q.std = 0 OR p.std = 1) AND (q.unr = 0 OR p.rolled = 0)";
const SERIES_MATCH =
  "s.account = q.account AND s.region = q.region AND s.namespace = q.namespace AND s.name = q.name " +
  "AND s.dims_key = q.dims_key";

/**
 * seriesIds and pointsIn: each a join of the requested keys or ranges (VALUES on SQLite, unnest arrays on PostgreSQL)
 * against the unique series index or the (series_id, tier, ts) index, so 10,000 metrics cost a few statements.
 * Rows come back as arrays (no column names to set per row) led by the index of their key or range.
 */
function bulkReads(db: Database, cache: Map<string, CachedSeries>): Pick<MetricsStore, "seriesIds" | "pointsIn"> {
  let lookup: (keys: readonly SeriesKey[], each: (row: RawSeriesId) => void) => Promise<void>;
  let read: (ranges: readonly PointRange[], sketches: boolean, each: (row: RawRangePoint) => void) => Promise<void>;

  if (db.dialect === "sqlite") {
    const s = db.sqlite;
    const values = (n: number, width: number) =>
      Array(n)
        .fill(`(${Array(width).fill("?").join(", ")})`)
        .join(", ");
    // CROSS JOIN keeps the keys or ranges as the outer loop, each a search of the index.
    const stmts = new Map<string, BetterSqlite3.Statement>();
    const statement = (kind: "series" | "points" | "sketches", n: number) => {
      let st = stmts.get(`${kind}${n}`);
      if (!st) {
        const sql =
          kind === "series"
            ? `WITH q(i, account, region, namespace, name, dims_key) AS (VALUES ${values(n, 6)})
               SELECT q.i, s.id, s.last_put FROM q CROSS JOIN metric_series s WHERE ${SERIES_MATCH}`
            : `WITH q(i, sid, tier, f, t, std, unr) AS (VALUES ${values(n, 7)})
               SELECT q.i, ${POINT_SELECT(kind === "sketches")} FROM q CROSS JOIN metric_points p
                WHERE ${RANGE_MATCH} ORDER BY q.i, p.ts, p.id`;
        stmts.set(`${kind}${n}`, (st = s.prepare(sql).raw(true)));
      }
      return st;
    };
    lookup = async (keys, each) => {
      const indexed = keys.map((k, i) => ({ k, i }));
      const none = { k: { account: "", region: "", namespace: "", name: "", dimsKey: "" }, i: -1 };
      for (const c of chunks(indexed, none)) {
        const params: unknown[] = [];
        for (const { k, i } of c) params.push(i, k.account, k.region, k.namespace, k.name, k.dimsKey);
        for (const row of statement("series", c.length).all(...params) as RawSeriesId[]) each(row);
      }
    };
    read = async (ranges, sketches, each) => {
      const indexed = ranges.map((r, i) => ({ r, i }));
      const none: { r: PointRange; i: number } = { r: { seriesId: -1, tier: 0, from: 0, to: 0 }, i: -1 };
      for (const c of chunks(indexed, none)) {
        const params: unknown[] = [];
        for (const { r, i } of c)
          params.push(i, r.seriesId, r.tier, r.from, r.to, r.stdOnly ? 1 : 0, r.unrolledOnly ? 1 : 0);
        const st = statement(sketches ? "sketches" : "points", c.length);
        for (const row of st.all(...params) as RawRangePoint[]) each(row);
      }
    };
  } else {
    const pool = db.pool;
    // WITH ORDINALITY counts from 1.
    lookup = async (keys, each) => {
      const { rows } = await pool.query<RawSeriesId>({
        text: `SELECT q.i - 1, s.id, s.last_put
                 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY
                   AS q(account, region, namespace, name, dims_key, i)
                 JOIN metric_series s ON ${SERIES_MATCH}`,
        values: [
          keys.map((k) => k.account),
          keys.map((k) => k.region),
          keys.map((k) => k.namespace),
          keys.map((k) => k.name),
          keys.map((k) => k.dimsKey),
        ],
        rowMode: "array",
      });
      rows.forEach(each);
    };
    read = async (ranges, sketches, each) => {
      const { rows } = await pool.query<RawRangePoint>({
        text: `SELECT q.i - 1, ${POINT_SELECT(sketches)}
                 FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::bigint[], $5::int[], $6::int[]) WITH ORDINALITY
                   AS q(sid, tier, f, t, std, unr, i)
                 JOIN metric_points p ON ${RANGE_MATCH}
                ORDER BY q.i, p.ts, p.id`,
        values: [
          ranges.map((r) => r.seriesId),
          ranges.map((r) => r.tier),
          ranges.map((r) => r.from),
          ranges.map((r) => r.to),
          ranges.map((r) => (r.stdOnly ? 1 : 0)),
          ranges.map((r) => (r.unrolledOnly ? 1 : 0)),
        ],
        rowMode: "array",
      });
      rows.forEach(each);
    };
  }

  return {
    async seriesIds(keys) {
      const out: (number | undefined)[] = new Array(keys.length).fill(undefined);
      const missing: SeriesKey[] = [];
      const at: number[] = [];
      keys.forEach((k, i) => {
        const c = cache.get(cacheKey(k.account, k.region, k.namespace, k.name, k.dimsKey));
        if (c) out[i] = c.id;
        else {
          missing.push(k);
          at.push(i);
        }
      });
      if (missing.length === 0) return out;
      await lookup(missing, ([i, id, lastPut]) => {
        if (Number(i) < 0) return; // padding
        const k = missing[Number(i)];
        out[at[Number(i)]] = Number(id);
        cache.set(cacheKey(k.account, k.region, k.namespace, k.name, k.dimsKey), {
          id: Number(id),
          lastPut: Number(lastPut),
        });
      });
      return out;
    },
    async pointsIn(ranges, sketches) {
      const out: RangePoint[][] = ranges.map(() => []);
      if (ranges.length === 0) return out;
      // By index: destructuring an array goes through its iterator, an allocation per element until optimized.
      await read(ranges, sketches, (r) => {
        out[Number(r[0])].push({
          ts: Number(r[1]),
          unit: r[2],
          count: r[3],
          sum: r[4],
          min: r[5],
          max: r[6],
          skCount: r[7],
          sketch: r[8],
        });
      });
      return out;
    },
  };
}
