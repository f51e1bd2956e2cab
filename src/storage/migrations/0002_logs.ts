/**
 * CloudWatch Logs: log groups, log streams and resource policies, scoped by account and region. Event data lives in
 * log_chunks (0003). A stream keeps its event statistics, and a group its stored bytes, so Describe calls never scan
 * events: the event path updates them in the same transaction that stores a chunk or expires one.
 */
import type { Migration } from "./types.js";

const tables = (id: string) => [
  `CREATE TABLE log_groups (
    id ${id},
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    creation_time BIGINT NOT NULL,
    retention_days INTEGER,
    kms_key_id TEXT,
    log_group_class TEXT NOT NULL DEFAULT 'STANDARD',
    deletion_protection INTEGER NOT NULL DEFAULT 0,
    stored_bytes BIGINT NOT NULL DEFAULT 0,
    tags TEXT NOT NULL DEFAULT '{}',
    UNIQUE (account, region, name)
  )`,
  `CREATE TABLE log_streams (
    id ${id},
    group_id BIGINT NOT NULL REFERENCES log_groups (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    creation_time BIGINT NOT NULL,
    first_event_ts BIGINT,
    last_event_ts BIGINT,
    last_ingestion_time BIGINT,
    stored_bytes BIGINT NOT NULL DEFAULT 0,
    UNIQUE (group_id, name)
  )`,
  "CREATE INDEX log_streams_last_event ON log_streams (group_id, last_event_ts, name)",
  `CREATE TABLE log_resource_policies (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    document TEXT NOT NULL,
    last_updated BIGINT NOT NULL,
    PRIMARY KEY (account, region, name)
  )`,
];

export const logs: Migration = {
  version: 2,
  name: "logs",
  sqlite: tables("INTEGER PRIMARY KEY AUTOINCREMENT"),
  postgres: tables("BIGSERIAL PRIMARY KEY"),
};
