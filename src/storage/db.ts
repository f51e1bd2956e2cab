/**
 * Database factory: SQLite (better-sqlite3, the embedded default) or PostgreSQL (pg Pool), each behind kysely.
 * Stores query through kysely and drop to the driver only where it pays (hot-path appends).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import type pg from "pg";
import { SAFETY_CHECKPOINT_PAGES, startCheckpointer, type Checkpointer } from "./checkpointer.js";
import type { StorageOptions } from "./types.js";

/** Kysely without tables; each store adds its own with `withTables<...>()`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type AnyKysely = Kysely<{}>;

export interface DatabaseOptions extends StorageOptions {
  /** PostgreSQL only: the schema (lower-case letters, digits, _) to create if missing and use as search_path; tests use one per run. */
  schema?: string;
  log?: (msg: string) => void;
}

/**
 * On SQLite, `sqlite` and `kysely` share one connection. Write transactions must be synchronous
 * (`sqlite.transaction(fn)`): a kysely transaction held open across an await would swallow the
 * synchronous writes other requests make on the same connection meanwhile.
 */
export interface SqliteDatabase {
  readonly dialect: "sqlite";
  readonly kysely: AnyKysely;
  readonly sqlite: BetterSqlite3.Database;
  close(): Promise<void>;
}

export interface PostgresDatabase {
  readonly dialect: "postgres";
  readonly kysely: AnyKysely;
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

export type Database = SqliteDatabase | PostgresDatabase;

export const SQLITE_FILE = "vigil.db";

/** databaseUrl wins, then ephemeral (SQLite :memory:), then `<dataDir>/vigil.db`. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  if (options.ephemeral) return openSqlite(":memory:");
  if (!options.dataDir) throw new Error("storage: one of databaseUrl, ephemeral or dataDir is required");
  // 0700: the audit log and everything else in it is readable only by the user running Vigil.
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  return openSqlite(join(options.dataDir, SQLITE_FILE));
}

function openSqlite(file: string): SqliteDatabase {
  const sqlite = new BetterSqlite3(file);
  let checkpointer: Checkpointer | undefined;
  try {
    sqlite.pragma("journal_mode = WAL"); // :memory: stays "memory", which is fine
    // WAL + NORMAL: a commit is in the WAL file (the OS page cache) when it returns, so it survives a crash of
    // the process; only an OS crash or power loss can lose the last transactions (the database never corrupts).
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("busy_timeout = 5000");
    sqlite.pragma("foreign_keys = ON");
    if (file !== ":memory:") {
      sqlite.pragma(`wal_autocheckpoint = ${SAFETY_CHECKPOINT_PAGES}`);
      checkpointer = startCheckpointer(file);
    }
  } catch (e) {
    sqlite.close();
    throw e;
  }
  const kysely: AnyKysely = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
  const close = once(async () => {
    await checkpointer?.stop();
    await kysely.destroy();
  });
  return { dialect: "sqlite", kysely, sqlite, close };
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

async function openPostgres(url: string, options: DatabaseOptions): Promise<PostgresDatabase> {
  const { schema, log } = options;
  // The schema travels in the startup packet, so it must not need quoting or escaping.
  if (schema !== undefined && !IDENTIFIER.test(schema)) throw new Error(`storage: invalid schema name ${schema}`);
  // Loaded only when PostgreSQL is used: importing pg costs a noticeable part of start-up.
  const { default: pgModule } = await import("pg");
  const pool = new pgModule.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the next checkout reconnects.
  pool.on("error", (e) => log?.(`storage: idle PostgreSQL connection failed: ${e.message}`));
  const kysely: AnyKysely = new Kysely({ dialect: new PostgresDialect({ pool }) });
  const close = once(async () => {
    await kysely.destroy();
    // kysely ends the pool only if it ran a query itself; the hot paths use the pool directly.
    if (!pool.ended) await pool.end();
  });
  if (schema) {
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } catch (e) {
      // Two nodes creating it at once: one wins, the other sees a duplicate.
      if (!isPgCode(e, "42P06", "23505")) {
        await close();
        throw e;
      }
    }
  }
  return { dialect: "postgres", kysely, pool, close };
}

export const isPgCode = (e: unknown, ...codes: string[]): boolean =>
  typeof e === "object" && e !== null && codes.includes((e as { code?: unknown }).code as string);

/**
 * Runs a PostgreSQL statement again when the server aborted it as a deadlock victim or a serialization failure:
 * the other transaction has then committed or rolled back, and a retry sees its result. Concurrent writers that
 * lock the same rows in different orders (a group's deletion cascading to its streams while a batch updates a stream
 * and then its group) resolve this way instead of failing the call.
 */
export async function retryPgConflicts<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (e) {
      if (i >= attempts || !isPgCode(e, "40P01", "40001")) throw e;
    }
  }
}

/** Resolves when a trivial query succeeds. */
export async function ping(db: Database): Promise<void> {
  await sql`SELECT 1`.execute(db.kysely);
}

/** Deletes every row of every table but the migrations table, in one transaction. */
export async function wipe(db: Database): Promise<void> {
  if (db.dialect === "sqlite") {
    const tables = db.sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'vigil_migrations'",
      )
      .pluck()
      .all() as string[];
    db.sqlite.transaction(() => {
      // Checked at commit, when every table is empty, so the order of the deletes does not matter.
      db.sqlite.pragma("defer_foreign_keys = ON");
      for (const t of tables) db.sqlite.prepare(`DELETE FROM "${t}"`).run();
    })();
    return;
  }
  const { rows } = await db.pool.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'vigil_migrations'",
  );
  if (rows.length === 0) return;
  // One TRUNCATE of all tables together is atomic and satisfies foreign keys among them.
  await db.pool.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(", ")}`);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
