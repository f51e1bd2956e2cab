/**
 * Data events (PutLogEvents, PutMetricData, SQS messages, S3 objects: the hot paths) never appear in LookupEvents,
 * which lists management and Insights events only. The lookup indexes become partial, without Data rows, and so does
 * the uniqueness of event_id (a random UUID: an entry at a random place of a large index for every call). A data
 * event then costs its row and its expiry entry instead of nine index entries. Lookup queries carry the same literal
 * predicate (`event_category <> 'Data'`), which is how SQLite and PostgreSQL know they may use a partial index.
 * audit_resources rows are no longer written for data events (audit-store.ts).
 *
 * SQLite cannot drop a column's UNIQUE constraint, so audit_events is rebuilt: audit_resources (which references it)
 * is set aside and restored, and the AUTOINCREMENT high-water mark is kept, since trails read the history by seq.
 */
import type { Migration } from "./types.js";

const LOOKUP_COLUMNS = ["event_name", "read_only", "username", "event_source", "access_key_id"];
const NOT_DATA = "WHERE event_category <> 'Data'";

const partialIndexes = [
  `CREATE UNIQUE INDEX audit_events_event_id ON audit_events (event_id) ${NOT_DATA}`,
  `CREATE INDEX audit_events_time ON audit_events (account, region, event_category, event_time, seq) ${NOT_DATA}`,
  ...LOOKUP_COLUMNS.map(
    (c) =>
      `CREATE INDEX audit_events_${c} ON audit_events (account, region, event_category, ${c}, event_time, seq) ${NOT_DATA}`,
  ),
];

const EVENT_COLUMNS =
  "seq, event_id, account, region, event_time, event_name, event_source, read_only, username, access_key_id, " +
  "event_category, resources, record";

export const auditDataEvents: Migration = {
  version: 12,
  name: "audit_data_events",
  sqlite: [
    "CREATE TABLE audit_resources_kept AS SELECT * FROM audit_resources WHERE event_category <> 'Data'",
    "DROP TABLE audit_resources",
    `CREATE TABLE audit_events_new (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id TEXT NOT NULL,
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      event_time INTEGER NOT NULL,
      event_name TEXT NOT NULL,
      event_source TEXT NOT NULL,
      read_only INTEGER NOT NULL,
      username TEXT,
      access_key_id TEXT,
      event_category TEXT NOT NULL,
      resources TEXT NOT NULL,
      record TEXT NOT NULL
    )`,
    `INSERT INTO audit_events_new (${EVENT_COLUMNS}) SELECT ${EVENT_COLUMNS} FROM audit_events ORDER BY seq`,
    // The next seq continues after every seq ever issued, even if retention deleted the newest rows.
    "DELETE FROM sqlite_sequence WHERE name = 'audit_events_new'",
    "INSERT INTO sqlite_sequence (name, seq) SELECT 'audit_events_new', seq FROM sqlite_sequence WHERE name = 'audit_events'",
    "DROP TABLE audit_events",
    "ALTER TABLE audit_events_new RENAME TO audit_events",
    `CREATE TABLE audit_resources (
      seq INTEGER NOT NULL REFERENCES audit_events (seq) ON DELETE CASCADE,
      attribute TEXT NOT NULL,
      value TEXT NOT NULL,
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      event_category TEXT NOT NULL,
      event_time INTEGER NOT NULL,
      PRIMARY KEY (seq, attribute, value)
    ) WITHOUT ROWID`,
    "INSERT INTO audit_resources SELECT * FROM audit_resources_kept",
    "DROP TABLE audit_resources_kept",
    ...partialIndexes,
    "CREATE INDEX audit_events_expiry ON audit_events (event_time)",
    "CREATE INDEX audit_resources_lookup ON audit_resources (account, region, event_category, attribute, value, event_time, seq)",
  ],
  postgres: [
    "DELETE FROM audit_resources WHERE event_category = 'Data'",
    "ALTER TABLE audit_events DROP CONSTRAINT audit_events_event_id_key",
    "DROP INDEX audit_events_time",
    ...LOOKUP_COLUMNS.map((c) => `DROP INDEX audit_events_${c}`),
    ...partialIndexes,
  ],
};
