/**
 * The migrations of every store, and the runner that applies the missing ones at open. To change the schema,
 * add a file `NNNN_name.ts` exporting a Migration with the next version and list it below.
 */
import type { Database } from "../db.js";
import { audit } from "./0001_audit.js";
import { logs } from "./0002_logs.js";
import { logEvents } from "./0003_log_events.js";
import { sqs } from "./0004_sqs.js";
import { delivery } from "./0005_delivery.js";
import { sns } from "./0006_sns.js";
import { events } from "./0007_events.js";
import { metrics } from "./0008_metrics.js";
import { s3 } from "./0009_s3.js";
import { trails } from "./0010_trails.js";
import { alarms } from "./0011_alarms.js";
import { auditDataEvents } from "./0012_audit_data_events.js";
import type { Migration } from "./types.js";

export type { Migration } from "./types.js";

export const migrations: readonly Migration[] = [
  audit,
  logs,
  logEvents,
  sqs,
  delivery,
  sns,
  events,
  metrics,
  s3,
  trails,
  alarms,
  auditDataEvents,
];

export interface AppliedMigration {
  version: number;
  name: string;
  /** Milliseconds since the epoch. */
  appliedAt: number;
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS vigil_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;

/** Serializes migration runs of several Vigil nodes on one PostgreSQL database ("VIGL"). */
const PG_LOCK_KEY = 0x5649474c;

/**
 * Applies, in ascending order, each migration not yet recorded in vigil_migrations, each in its own
 * transaction together with its record. Refuses a database that a newer Vigil has migrated further.
 * Returns the versions it applied.
 */
export async function migrate(
  db: Database,
  list: readonly Migration[] = migrations,
  log?: (msg: string) => void,
): Promise<number[]> {
  checkList(list);
  const applied: number[] = [];
  const done = (m: Migration) => {
    applied.push(m.version);
    log?.(`storage: applied migration ${label(m)}`);
  };

  if (db.dialect === "sqlite") {
    const s = db.sqlite;
    s.exec(CREATE_TABLE);
    const isApplied = s.prepare("SELECT 1 FROM vigil_migrations WHERE version = ?").pluck();
    const record = s.prepare("INSERT INTO vigil_migrations (version, name, applied_at) VALUES (?, ?, ?)");
    checkNotNewer(s.prepare("SELECT max(version) FROM vigil_migrations").pluck().get() as number | null, list);
    for (const m of list) {
      // IMMEDIATE takes the write lock before the check, so two processes on one file cannot both apply m.
      const ran = s
        .transaction(() => {
          if (isApplied.get(m.version)) return false;
          for (const stmt of m.sqlite) s.exec(stmt);
          record.run(m.version, m.name, Date.now());
          return true;
        })
        .immediate();
      if (ran) done(m);
    }
    return applied;
  }

  const client = await db.pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PG_LOCK_KEY]);
    try {
      await client.query(CREATE_TABLE);
      const { rows } = await client.query<{ version: number }>("SELECT version FROM vigil_migrations");
      const have = new Set(rows.map((r) => r.version));
      checkNotNewer(have.size ? Math.max(...have) : null, list);
      for (const m of list) {
        if (have.has(m.version)) continue;
        await client.query("BEGIN");
        try {
          for (const stmt of m.postgres) await client.query(stmt);
          await client.query("INSERT INTO vigil_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
            m.version,
            m.name,
            Date.now(),
          ]);
          await client.query("COMMIT");
        } catch (e) {
          await client.query("ROLLBACK");
          throw e;
        }
        done(m);
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PG_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
  return applied;
}

/** The migrations recorded in the database, in version order. */
export async function appliedMigrations(db: Database): Promise<AppliedMigration[]> {
  const rows = await db.kysely
    .withTables<{ vigil_migrations: { version: number; name: string; applied_at: number | string } }>()
    .selectFrom("vigil_migrations")
    .selectAll()
    .orderBy("version")
    .execute();
  return rows.map((r) => ({ version: r.version, name: r.name, appliedAt: Number(r.applied_at) }));
}

const label = (m: Migration) => `${String(m.version).padStart(4, "0")}_${m.name}`;

function checkList(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (!Number.isInteger(m.version) || m.version < 1) throw new Error(`storage: bad migration version ${label(m)}`);
    if (i > 0 && m.version <= list[i - 1].version)
      throw new Error(`storage: migrations out of order: ${label(list[i - 1])} before ${label(m)}`);
  });
}

function checkNotNewer(max: number | null, list: readonly Migration[]): void {
  const known = list.length ? list[list.length - 1].version : 0;
  if (max !== null && max > known)
    throw new Error(
      `storage: the database is at schema version ${max}, newer than this Vigil knows (${known}); upgrade Vigil`,
    );
}
