/**
 * CloudTrail trails: one row per trail (its configuration, selectors and tags as JSON), and one row of delivery
 * state per trail (written only by the trail runtime): the audit-row cursor up to which records are delivered, the
 * delivery batch in progress (redone with the same object keys after a crash), log files awaiting their digest, the
 * digest chains per source region, and the status GetTrailStatus reports.
 */
import type { Migration } from "./types.js";

const tables = [
  `CREATE TABLE ct_trails (
    arn TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    multi_region INTEGER NOT NULL,
    config TEXT NOT NULL,
    created_at BIGINT NOT NULL
  )`,
  "CREATE INDEX ct_trails_account ON ct_trails (account, region, name)",
  `CREATE TABLE ct_trail_state (
    arn TEXT PRIMARY KEY REFERENCES ct_trails (arn) ON DELETE CASCADE,
    logging INTEGER NOT NULL,
    state TEXT NOT NULL
  )`,
];

export const trails: Migration = { version: 10, name: "trails", sqlite: tables, postgres: tables };
