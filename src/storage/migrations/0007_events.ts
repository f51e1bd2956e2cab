/**
 * EventBridge resources: event buses, rules, targets, connections, API destinations, archives and replays, one row
 * per resource in one table. `kind` says which; `parent` is what the resource belongs to ('' for buses and
 * connections, the bus name for a rule, "bus|rule" for a target); `doc` is the resource as JSON. Resources are few
 * and small and always read whole, so one keyed table serves every operation; PutEvents reads a bus's rules and
 * targets once and keeps them compiled in memory (src/services/events/bus-cache.ts).
 *
 * events_archived holds the events of archives (CreateArchive), one row each, in the order they were archived, with
 * the event's time for StartReplay's time range and retention.
 */
import type { Migration } from "./types.js";

const statements = [
  `CREATE TABLE events_resources (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent TEXT NOT NULL,
    name TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (account, region, kind, parent, name)
  )`,
];
const archived = (id: string) => [
  `CREATE TABLE events_archived (
    id ${id},
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    archive TEXT NOT NULL,
    event_time BIGINT NOT NULL,
    size INTEGER NOT NULL,
    event TEXT NOT NULL
  )`,
  "CREATE INDEX events_archived_time ON events_archived (account, region, archive, event_time, id)",
];

export const events: Migration = {
  version: 7,
  name: "events",
  sqlite: [...statements, ...archived("INTEGER PRIMARY KEY AUTOINCREMENT")],
  postgres: [...statements, ...archived("BIGSERIAL PRIMARY KEY")],
};
