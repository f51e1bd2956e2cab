/**
 * CloudWatch Logs events, in chunks: one row per block of a stream's events (see src/services/logs/chunk.ts for the
 * layout of `data`), with the block's time range, event count and sizes beside it. Reads walk the chunks of a stream
 * or a group in time order through the indexes below, which cover everything but `data`, so a scan reads a chunk's
 * bytes only when it needs its events. Deleting a group or a stream deletes its chunks (ON DELETE CASCADE).
 *
 * A group's stored_bytes is the sum of its streams' (the event path keeps both as it stores and expires chunks); the
 * trigger keeps that true when a stream is deleted, whoever deletes it.
 */
import type { Migration } from "./types.js";

const table = (id: string, blob: string) => `CREATE TABLE log_chunks (
    id ${id},
    group_id BIGINT NOT NULL REFERENCES log_groups (id) ON DELETE CASCADE,
    stream_id BIGINT NOT NULL REFERENCES log_streams (id) ON DELETE CASCADE,
    min_ts BIGINT NOT NULL,
    max_ts BIGINT NOT NULL,
    count INTEGER NOT NULL,
    bytes BIGINT NOT NULL,
    size INTEGER NOT NULL,
    data ${blob} NOT NULL
  )`;

export const logEvents: Migration = {
  version: 3,
  name: "log_events",
  sqlite: [
    // data last: SQLite reads a row's overflow pages only when a query asks for a column stored in them.
    table("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB"),
    // id (the rowid) right after the time column, so "ORDER BY min_ts, id" and the keyset (min_ts, id) > (?, ?)
    // follow the index without a sort.
    "CREATE INDEX log_chunks_stream_min ON log_chunks (stream_id, min_ts, id, max_ts, count)",
    "CREATE INDEX log_chunks_stream_max ON log_chunks (stream_id, max_ts, id, min_ts, count)",
    "CREATE INDEX log_chunks_group_min ON log_chunks (group_id, min_ts, id, max_ts, stream_id, count, bytes)",
    // The stream's newest chunk, which small batches extend.
    "CREATE INDEX log_chunks_stream_newest ON log_chunks (stream_id, id, min_ts, max_ts, count, size)",
    `CREATE TRIGGER log_streams_deleted_bytes AFTER DELETE ON log_streams WHEN OLD.stored_bytes <> 0
     BEGIN
       UPDATE log_groups SET stored_bytes = stored_bytes - OLD.stored_bytes WHERE id = OLD.group_id;
     END`,
  ],
  postgres: [
    table("BIGSERIAL PRIMARY KEY", "BYTEA"),
    // Chunks are written once (or appended to while small) and never need compressing again: PostgreSQL's own
    // TOAST compression would cost CPU on every write and read for little gain on log text.
    "ALTER TABLE log_chunks ALTER COLUMN data SET STORAGE EXTERNAL",
    "CREATE INDEX log_chunks_stream_min ON log_chunks (stream_id, min_ts, id) INCLUDE (max_ts, count)",
    "CREATE INDEX log_chunks_stream_max ON log_chunks (stream_id, max_ts, id) INCLUDE (min_ts, count)",
    "CREATE INDEX log_chunks_group_min ON log_chunks (group_id, min_ts, id) INCLUDE (max_ts, stream_id, count, bytes)",
    "CREATE INDEX log_chunks_stream_newest ON log_chunks (stream_id, id) INCLUDE (min_ts, max_ts, count, size)",
    `CREATE FUNCTION log_streams_deleted_bytes() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       UPDATE log_groups SET stored_bytes = stored_bytes - OLD.stored_bytes WHERE id = OLD.group_id;
       RETURN NULL;
     END $$`,
    `CREATE TRIGGER log_streams_deleted_bytes AFTER DELETE ON log_streams
     FOR EACH ROW WHEN (OLD.stored_bytes <> 0) EXECUTE FUNCTION log_streams_deleted_bytes()`,
  ],
};
