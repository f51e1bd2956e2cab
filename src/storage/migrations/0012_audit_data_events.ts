/**
 * Data events (PutLogEvents, PutMetricData, SQS messages, S3 objects: the hot paths) never appear in LookupEvents,
 * which lists management and Insights events only. The lookup indexes become partial, without Data rows, so each
 * data event costs the table, its event_id and its expiry entry instead of eight index entries. Lookup queries
 * carry the same literal predicate (`event_category <> 'Data'`), which is how SQLite and PostgreSQL know they may
 * use a partial index. audit_resources rows are no longer written for data events (audit-store.ts).
 */
import type { Migration } from "./types.js";

const LOOKUP_COLUMNS = ["event_name", "read_only", "username", "event_source", "access_key_id"];
const NOT_DATA = "WHERE event_category <> 'Data'";

const statements = [
  "DROP INDEX audit_events_time",
  ...LOOKUP_COLUMNS.map((c) => `DROP INDEX audit_events_${c}`),
  "DROP INDEX audit_resources_lookup",
  "DELETE FROM audit_resources WHERE event_category = 'Data'",
  `CREATE INDEX audit_events_time ON audit_events (account, region, event_category, event_time, seq) ${NOT_DATA}`,
  ...LOOKUP_COLUMNS.map(
    (c) =>
      `CREATE INDEX audit_events_${c} ON audit_events (account, region, event_category, ${c}, event_time, seq) ${NOT_DATA}`,
  ),
  `CREATE INDEX audit_resources_lookup ON audit_resources (account, region, event_category, attribute, value, event_time, seq)`,
];

export const auditDataEvents: Migration = {
  version: 12,
  name: "audit_data_events",
  sqlite: statements,
  postgres: statements,
};
