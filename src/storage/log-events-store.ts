/**
 * CloudWatch Logs events, stored in chunks per stream (log_chunks, migration 0003): the store behind PutLogEvents,
 * GetLogEvents, FilterLogEvents and retention. It knows rows, not events: a chunk's `data` is opaque here
 * (src/services/logs/chunk.ts reads and writes it), except that appending a segment is byte concatenation.
 *
 * The stream's event statistics and the group's stored bytes (0002's tables) change in the same transaction that
 * stores or expires a chunk. SQLite writes are synchronous better-sqlite3 transactions over prepared statements;
 * PostgreSQL writes are single statements (data-modifying CTEs), each its own transaction and one round trip. Reads
 * page through chunk metadata along covering indexes and fetch `data` only for the chunks a scan opens.
 */
import { retryPgConflicts, type Database, type PostgresDatabase, type SqliteDatabase } from "./db.js";

/** The longest time range one chunk may cover: PutLogEvents batches span at most 24 hours, and appends keep to it. */
export const MAX_CHUNK_SPAN_MS = 24 * 3600 * 1000;
/** A stream's newest chunk takes further small batches until it holds this many bytes. */
export const APPEND_TARGET_BYTES = 32 * 1024;

const DAY_MS = 24 * 3600 * 1000;

export interface LogGroupRef {
  id: number;
  name: string;
  retentionDays: number | null;
}

export interface AppendTarget {
  groupId: number;
  streamId: number;
  /** Events before this instant are expiring: a chunk reaching back past it takes no more appends. */
  retentionCutoff?: number;
}

/** A segment to store (see chunk.ts), with what the row and the statistics need to know about it. */
export interface SegmentRow {
  data: Buffer;
  count: number;
  minTs: number;
  maxTs: number;
  /** Counted into storedBytes. */
  eventBytes: number;
  ingestionTime: number;
}

export interface ChunkMeta {
  id: number;
  streamId: number;
  minTs: number;
  maxTs: number;
  count: number;
}

/** Chunks of one stream, or of a whole group, holding events in [fromTs, toTs] (inclusive). */
export interface ChunkRange {
  streamId?: number;
  groupId?: number;
  fromTs: number;
  toTs: number;
}

/** Keyset position of a page: forward pages resume after (minTs, id), backward pages before (maxTs, id). */
export interface ChunkPosition {
  ts: number;
  id: number;
}

export interface LogEventsStore {
  /** The group, and the stream's id when it exists in it. */
  target(
    account: string,
    region: string,
    groupName: string,
    streamName?: string,
  ): Promise<{ group?: LogGroupRef; streamId?: number }>;
  /** Stream names by id (ids not found are left out). */
  streamNames(groupId: number, ids: readonly number[]): Promise<Map<number, string>>;
  /** Stream ids by name (names not found are left out). */
  streamIds(groupId: number, names: readonly string[]): Promise<Map<string, number>>;
  /**
   * Stores a segment: appended to the stream's newest chunk (the last created, so the appended events still come
   * after every earlier event of the stream among equal timestamps) when both are small and the segment continues
   * it in time, else a new chunk. Resolves after commit with where its first event landed, or undefined when the
   * stream no longer exists.
   */
  append(target: AppendTarget, segment: SegmentRow): Promise<{ chunkId: number; firstIndex: number } | undefined>;
  /** Forward: by (minTs, id) ascending, after `after`. */
  chunksForward(range: ChunkRange, after: ChunkPosition | undefined, limit: number): Promise<ChunkMeta[]>;
  /** Backward (one stream): by (maxTs, id) descending, before `before`. */
  chunksBackward(range: ChunkRange, before: ChunkPosition | undefined, limit: number): Promise<ChunkMeta[]>;
  /** The data of each chunk, in the order asked (undefined where a chunk is gone meanwhile). */
  chunkData(ids: readonly number[]): Promise<(Buffer | undefined)[]>;
  /**
   * Retention: deletes every chunk whose events are all older than its group's retention at `now`, and takes
   * their bytes off the streams' and groups' storedBytes.
   */
  expire(now: number): Promise<{ chunks: number; bytes: number }>;
}

export function createLogEventsStore(db: Database): LogEventsStore {
  return db.dialect === "sqlite" ? sqliteStore(db) : postgresStore(db);
}

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));

/** Lower bound of min_ts for chunks that may hold events at or after `fromTs`. */
const minTsFloor = (fromTs: number) => Math.max(-1, fromTs - MAX_CHUNK_SPAN_MS);

function sqliteStore(db: SqliteDatabase): LogEventsStore {
  const s = db.sqlite;
  const target = s.prepare(
    `SELECT g.id AS group_id, g.name AS name, g.retention_days AS retention_days, st.id AS stream_id
       FROM log_groups g LEFT JOIN log_streams st ON st.group_id = g.id AND st.name = ?
      WHERE g.account = ? AND g.region = ? AND g.name = ?`,
  );
  const streamName = s.prepare("SELECT name FROM log_streams WHERE id = ? AND group_id = ?").pluck();
  const streamId = s.prepare("SELECT id FROM log_streams WHERE group_id = ? AND name = ?").pluck();
  const updateStream = s.prepare(
    `UPDATE log_streams SET first_event_ts = min(coalesce(first_event_ts, @min), @min),
        last_event_ts = max(coalesce(last_event_ts, @max), @max), last_ingestion_time = @ingested,
        stored_bytes = stored_bytes + @bytes
      WHERE id = @stream AND group_id = @group`,
  );
  const addGroupBytes = s.prepare("UPDATE log_groups SET stored_bytes = stored_bytes + ? WHERE id = ?");
  const newest = s.prepare(
    "SELECT id, min_ts, max_ts, count, size FROM log_chunks WHERE stream_id = ? ORDER BY id DESC LIMIT 1",
  );
  const data = s.prepare("SELECT data FROM log_chunks WHERE id = ?").pluck();
  const extend = s.prepare(
    "UPDATE log_chunks SET max_ts = ?, count = count + ?, bytes = bytes + ?, size = size + ?, data = ? WHERE id = ?",
  );
  const insert = s.prepare(
    `INSERT INTO log_chunks (group_id, stream_id, min_ts, max_ts, count, bytes, size, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const appendTx = s.transaction((t: AppendTarget, seg: SegmentRow) => {
    const changed = updateStream.run({
      min: seg.minTs,
      max: seg.maxTs,
      ingested: seg.ingestionTime,
      bytes: seg.eventBytes,
      stream: t.streamId,
      group: t.groupId,
    });
    if (changed.changes === 0) return undefined;
    addGroupBytes.run(seg.eventBytes, t.groupId);
    const last = newest.get(t.streamId) as
      { id: number; min_ts: number; max_ts: number; count: number; size: number } | undefined;
    if (
      last &&
      last.size + seg.data.length <= APPEND_TARGET_BYTES &&
      last.max_ts <= seg.minTs &&
      seg.maxTs - last.min_ts <= MAX_CHUNK_SPAN_MS &&
      (t.retentionCutoff === undefined || last.min_ts >= t.retentionCutoff)
    ) {
      const old = data.get(last.id) as Buffer;
      extend.run(seg.maxTs, seg.count, seg.eventBytes, seg.data.length, Buffer.concat([old, seg.data]), last.id);
      return { chunkId: last.id, firstIndex: last.count };
    }
    const r = insert.run(
      t.groupId,
      t.streamId,
      seg.minTs,
      seg.maxTs,
      seg.count,
      seg.eventBytes,
      seg.data.length,
      seg.data,
    );
    return { chunkId: Number(r.lastInsertRowid), firstIndex: 0 };
  });

  const COLS = "id, stream_id, min_ts, max_ts, count";
  const forwardStream = s.prepare(
    `SELECT ${COLS} FROM log_chunks
      WHERE stream_id = ? AND (min_ts, id) > (?, ?) AND min_ts <= ? AND max_ts >= ?
      ORDER BY min_ts, id LIMIT ?`,
  );
  const forwardGroup = s.prepare(
    `SELECT ${COLS} FROM log_chunks
      WHERE group_id = ? AND (min_ts, id) > (?, ?) AND min_ts <= ? AND max_ts >= ?
      ORDER BY min_ts, id LIMIT ?`,
  );
  const backwardStream = s.prepare(
    `SELECT ${COLS} FROM log_chunks
      WHERE stream_id = ? AND (max_ts, id) < (?, ?) AND max_ts >= ? AND min_ts <= ?
      ORDER BY max_ts DESC, id DESC LIMIT ?`,
  );
  const retained = s.prepare("SELECT id, retention_days FROM log_groups WHERE retention_days IS NOT NULL");
  const expiring = s.prepare(
    `SELECT stream_id, sum(bytes) AS bytes, count(*) AS chunks FROM log_chunks
      WHERE group_id = ? AND min_ts < ? AND max_ts < ? GROUP BY stream_id`,
  );
  const deleteExpired = s.prepare("DELETE FROM log_chunks WHERE group_id = ? AND min_ts < ? AND max_ts < ?");
  const subStreamBytes = s.prepare("UPDATE log_streams SET stored_bytes = stored_bytes - ? WHERE id = ?");
  const expireGroup = s.transaction((groupId: number, cutoff: number) => {
    const rows = expiring.all(groupId, cutoff, cutoff) as { stream_id: number; bytes: number; chunks: number }[];
    if (rows.length === 0) return { chunks: 0, bytes: 0 };
    deleteExpired.run(groupId, cutoff, cutoff);
    let bytes = 0;
    let chunks = 0;
    for (const r of rows) {
      subStreamBytes.run(r.bytes, r.stream_id);
      bytes += r.bytes;
      chunks += r.chunks;
    }
    addGroupBytes.run(-bytes, groupId);
    return { chunks, bytes };
  });

  const toMeta = (r: { id: number; stream_id: number; min_ts: number; max_ts: number; count: number }): ChunkMeta => ({
    id: r.id,
    streamId: r.stream_id,
    minTs: r.min_ts,
    maxTs: r.max_ts,
    count: r.count,
  });

  return {
    async target(account, region, groupName, stream) {
      const r = target.get(stream ?? "", account, region, groupName) as
        { group_id: number; name: string; retention_days: number | null; stream_id: number | null } | undefined;
      if (!r) return {};
      return {
        group: { id: r.group_id, name: r.name, retentionDays: r.retention_days },
        streamId: stream === undefined || r.stream_id === null ? undefined : r.stream_id,
      };
    },
    async streamNames(groupId, ids) {
      const out = new Map<number, string>();
      for (const id of ids) {
        const name = streamName.get(id, groupId) as string | undefined;
        if (name !== undefined) out.set(id, name);
      }
      return out;
    },
    async streamIds(groupId, names) {
      const out = new Map<string, number>();
      for (const name of names) {
        const id = streamId.get(groupId, name) as number | undefined;
        if (id !== undefined) out.set(name, id);
      }
      return out;
    },
    // better-sqlite3 is synchronous: the transaction has committed when appendTx returns.
    append: async (t, seg) => appendTx(t, seg),
    async chunksForward(range, after, limit) {
      const a = after ?? { ts: minTsFloor(range.fromTs) - 1, id: Number.MAX_SAFE_INTEGER };
      const stmt = range.streamId !== undefined ? forwardStream : forwardGroup;
      const key = range.streamId ?? range.groupId;
      return (stmt.all(key, a.ts, a.id, range.toTs, range.fromTs, limit) as Parameters<typeof toMeta>[0][]).map(toMeta);
    },
    async chunksBackward(range, before, limit) {
      const b = before ?? { ts: range.toTs + MAX_CHUNK_SPAN_MS + 1, id: 0 };
      return (
        backwardStream.all(range.streamId, b.ts, b.id, range.fromTs, range.toTs, limit) as Parameters<
          typeof toMeta
        >[0][]
      ).map(toMeta);
    },
    async chunkData(ids) {
      return ids.map((id) => data.get(id) as Buffer | undefined);
    },
    async expire(now) {
      let chunks = 0;
      let bytes = 0;
      for (const g of retained.all() as { id: number; retention_days: number }[]) {
        const r = expireGroup(g.id, now - g.retention_days * DAY_MS);
        chunks += r.chunks;
        bytes += r.bytes;
      }
      return { chunks, bytes };
    },
  };
}

/**
 * One statement, one round trip, its own transaction: bump the stream's statistics (which also locks the stream row,
 * serializing appends to one stream and failing when it is gone), the group's bytes, then extend the newest chunk
 * when it is small and continues in time, else insert a new one. Returns where the segment's first event landed.
 */
const PG_APPEND = `
WITH s AS (
  UPDATE log_streams SET first_event_ts = LEAST(first_event_ts, $3::bigint),
         last_event_ts = GREATEST(last_event_ts, $4::bigint), last_ingestion_time = $5::bigint,
         stored_bytes = stored_bytes + $6::bigint
   WHERE id = $1::bigint AND group_id = $2::bigint
  RETURNING id
), g AS (
  UPDATE log_groups SET stored_bytes = stored_bytes + $6::bigint WHERE id = $2::bigint AND EXISTS (SELECT 1 FROM s)
), newest AS (
  SELECT c.id FROM log_chunks c WHERE c.stream_id = $1::bigint AND EXISTS (SELECT 1 FROM s)
   ORDER BY c.id DESC LIMIT 1
), m AS (
  UPDATE log_chunks c SET max_ts = $4::bigint, count = c.count + $7::int, bytes = c.bytes + $6::bigint,
         size = c.size + $8::int, data = c.data || $9::bytea
    FROM newest
   WHERE c.id = newest.id AND c.size + $8::int <= $10::int AND c.max_ts <= $3::bigint
     AND $4::bigint - c.min_ts <= $11::bigint AND c.min_ts >= $12::bigint
  RETURNING c.id, c.count - $7::int AS first
), i AS (
  INSERT INTO log_chunks (group_id, stream_id, min_ts, max_ts, count, bytes, size, data)
  SELECT $2::bigint, $1::bigint, $3::bigint, $4::bigint, $7::int, $6::bigint, $8::int, $9::bytea
    FROM s WHERE NOT EXISTS (SELECT 1 FROM m)
  RETURNING id, 0 AS first
)
SELECT id, first FROM m UNION ALL SELECT id, first FROM i`;

/** Retention for every group at once: delete the expired chunks, then take their bytes off streams and groups. */
const PG_EXPIRE = `
WITH d AS (
  DELETE FROM log_chunks c USING log_groups g
   WHERE c.group_id = g.id AND g.retention_days IS NOT NULL
     AND c.min_ts < $1::bigint - g.retention_days * ${DAY_MS}::bigint
     AND c.max_ts < $1::bigint - g.retention_days * ${DAY_MS}::bigint
  RETURNING c.group_id, c.stream_id, c.bytes
), s AS (
  UPDATE log_streams st SET stored_bytes = st.stored_bytes - x.b
    FROM (SELECT stream_id, sum(bytes) AS b FROM d GROUP BY stream_id) x WHERE st.id = x.stream_id
), g AS (
  UPDATE log_groups lg SET stored_bytes = lg.stored_bytes - x.b
    FROM (SELECT group_id, sum(bytes) AS b FROM d GROUP BY group_id) x WHERE lg.id = x.group_id
)
SELECT count(*)::int AS chunks, coalesce(sum(bytes), 0)::bigint AS bytes FROM d`;

const PG_COLS = "id, stream_id, min_ts, max_ts, count";

function postgresStore(db: PostgresDatabase): LogEventsStore {
  const pool = db.pool;
  type MetaRow = { id: string; stream_id: string; min_ts: string; max_ts: string; count: number };
  const toMeta = (r: MetaRow): ChunkMeta => ({
    id: num(r.id),
    streamId: num(r.stream_id),
    minTs: num(r.min_ts),
    maxTs: num(r.max_ts),
    count: r.count,
  });
  return {
    async target(account, region, groupName, stream) {
      const { rows } = await pool.query<{
        group_id: string;
        name: string;
        retention_days: number | null;
        stream_id: string | null;
      }>({
        name: "vigil_logs_target",
        text: `SELECT g.id AS group_id, g.name, g.retention_days, st.id AS stream_id
                 FROM log_groups g LEFT JOIN log_streams st ON st.group_id = g.id AND st.name = $1
                WHERE g.account = $2 AND g.region = $3 AND g.name = $4`,
        values: [stream ?? "", account, region, groupName],
      });
      const r = rows[0];
      if (!r) return {};
      return {
        group: { id: num(r.group_id), name: r.name, retentionDays: r.retention_days },
        streamId: stream === undefined || r.stream_id === null ? undefined : num(r.stream_id),
      };
    },
    async streamNames(groupId, ids) {
      const out = new Map<number, string>();
      if (ids.length === 0) return out;
      const { rows } = await pool.query<{ id: string; name: string }>({
        name: "vigil_logs_stream_names",
        text: "SELECT id, name FROM log_streams WHERE group_id = $1 AND id = ANY($2::bigint[])",
        values: [groupId, ids],
      });
      for (const r of rows) out.set(num(r.id), r.name);
      return out;
    },
    async streamIds(groupId, names) {
      const out = new Map<string, number>();
      if (names.length === 0) return out;
      const { rows } = await pool.query<{ id: string; name: string }>({
        name: "vigil_logs_stream_ids",
        text: "SELECT id, name FROM log_streams WHERE group_id = $1 AND name = ANY($2::text[])",
        values: [groupId, names],
      });
      for (const r of rows) out.set(r.name, num(r.id));
      return out;
    },
    async append(t, seg) {
      const { rows } = await retryPgConflicts(() =>
        pool.query<{ id: string; first: number }>({
          name: "vigil_logs_append",
          text: PG_APPEND,
          values: [
            t.streamId,
            t.groupId,
            seg.minTs,
            seg.maxTs,
            seg.ingestionTime,
            seg.eventBytes,
            seg.count,
            seg.data.length,
            seg.data,
            APPEND_TARGET_BYTES,
            MAX_CHUNK_SPAN_MS,
            t.retentionCutoff ?? -1,
          ],
        }),
      );
      const r = rows[0];
      return r ? { chunkId: num(r.id), firstIndex: num(r.first) } : undefined;
    },
    async chunksForward(range, after, limit) {
      const a = after ?? { ts: minTsFloor(range.fromTs) - 1, id: Number.MAX_SAFE_INTEGER };
      const byStream = range.streamId !== undefined;
      const { rows } = await pool.query<MetaRow>({
        name: byStream ? "vigil_logs_fwd_stream" : "vigil_logs_fwd_group",
        text: `SELECT ${PG_COLS} FROM log_chunks
                WHERE ${byStream ? "stream_id" : "group_id"} = $1 AND (min_ts, id) > ($2::bigint, $3::bigint)
                  AND min_ts <= $4 AND max_ts >= $5
                ORDER BY min_ts, id LIMIT $6`,
        values: [byStream ? range.streamId : range.groupId, a.ts, a.id, range.toTs, range.fromTs, limit],
      });
      return rows.map(toMeta);
    },
    async chunksBackward(range, before, limit) {
      const b = before ?? { ts: range.toTs + MAX_CHUNK_SPAN_MS + 1, id: 0 };
      const { rows } = await pool.query<MetaRow>({
        name: "vigil_logs_bwd_stream",
        text: `SELECT ${PG_COLS} FROM log_chunks
                WHERE stream_id = $1 AND (max_ts, id) < ($2::bigint, $3::bigint) AND max_ts >= $4 AND min_ts <= $5
                ORDER BY max_ts DESC, id DESC LIMIT $6`,
        values: [range.streamId, b.ts, b.id, range.fromTs, range.toTs, limit],
      });
      return rows.map(toMeta);
    },
    async chunkData(ids) {
      if (ids.length === 0) return [];
      // base64 rather than bytea's default hex output: a third less to send and to decode (Node's base64 decoder
      // skips the line breaks PostgreSQL puts in).
      const { rows } = await pool.query<{ id: string; data: string }>({
        name: "vigil_logs_chunk_data",
        text: "SELECT id, encode(data, 'base64') AS data FROM log_chunks WHERE id = ANY($1::bigint[])",
        values: [ids],
      });
      const byId = new Map(rows.map((r) => [num(r.id), Buffer.from(r.data, "base64")]));
      return ids.map((id) => byId.get(id));
    },
    async expire(now) {
      const { rows } = await pool.query<{ chunks: number; bytes: string }>({
        name: "vigil_logs_expire",
        text: PG_EXPIRE,
        values: [now],
      });
      return { chunks: rows[0]?.chunks ?? 0, bytes: num(rows[0]?.bytes ?? 0) };
    },
  };
}
