/**
 * CloudTrail event history (LookupEvents). Every lookup attribute has an index led by
 * (account, region, event_category, attribute) and followed by (event_time, seq), so each LookupEvents
 * query, newest first, is a range scan of one index. EventId is unique, so its index is a point seek.
 * Resources are many per event: a side table keeps one row per distinct (attribute, value) of an event,
 * ResourceType and ResourceName alike, so a resource lookup is also one index range scan with no duplicates.
 * read_only is 0/1 in both dialects so that one query serves both; `resources` is the JSON of the row's resources.
 */
import type { Migration } from "./types.js";

const LOOKUP_COLUMNS = ["event_name", "read_only", "username", "event_source", "access_key_id"];

const indexes = [
  "CREATE INDEX audit_events_time ON audit_events (account, region, event_category, event_time, seq)",
  ...LOOKUP_COLUMNS.map(
    (c) => `CREATE INDEX audit_events_${c} ON audit_events (account, region, event_category, ${c}, event_time, seq)`,
  ),
  // Retention (deleteBefore) across all accounts.
  "CREATE INDEX audit_events_expiry ON audit_events (event_time)",
  "CREATE INDEX audit_resources_lookup ON audit_resources (account, region, event_category, attribute, value, event_time, seq)",
];

export const audit: Migration = {
  version: 1,
  name: "audit",
  sqlite: [
    `CREATE TABLE audit_events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id TEXT NOT NULL UNIQUE,
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
    ...indexes,
  ],
  postgres: [
    `CREATE TABLE audit_events (
      seq BIGSERIAL PRIMARY KEY,
      event_id TEXT NOT NULL UNIQUE,
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      event_time BIGINT NOT NULL,
      event_name TEXT NOT NULL,
      event_source TEXT NOT NULL,
      read_only SMALLINT NOT NULL,
      username TEXT,
      access_key_id TEXT,
      event_category TEXT NOT NULL,
      resources TEXT NOT NULL,
      record TEXT NOT NULL
    )`,
    `CREATE TABLE audit_resources (
      seq BIGINT NOT NULL REFERENCES audit_events (seq) ON DELETE CASCADE,
      attribute TEXT NOT NULL,
      value TEXT NOT NULL,
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      event_category TEXT NOT NULL,
      event_time BIGINT NOT NULL,
      PRIMARY KEY (seq, attribute, value)
    )`,
    ...indexes,
  ],
};
