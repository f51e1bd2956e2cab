/**
 * EventBridge resources (table of migration 0007): buses, rules, targets, connections, API destinations, archives,
 * replays, each a JSON document keyed by (account, region, kind, parent, name). One implementation over both dialects
 * through kysely; every write is one statement (atomic on its own, never a transaction held across an await), except
 * the few that must change several rows together (a rule and its targets), which run in one transaction: synchronous
 * on SQLite, BEGIN/COMMIT on one pooled client on PostgreSQL.
 */
import { sql, type Kysely } from "kysely";
import type { Database } from "./db.js";
import type { PostgresTx, SqliteTx } from "./delivery-store.js";

export type EventsKind = "bus" | "rule" | "target" | "connection" | "destination" | "archive" | "replay";

export interface EventsScope {
  account: string;
  region: string;
}

export interface EventsRow<T = unknown> {
  name: string;
  parent: string;
  doc: T;
}

type Tables = {
  events_resources: { account: string; region: string; kind: string; parent: string; name: string; doc: string };
  events_archived: {
    account: string;
    region: string;
    archive: string;
    event_time: number | string;
    size: number;
    event: string;
  };
};

/** An event kept by an archive. */
export interface ArchivedEvent {
  archive: string;
  /** Epoch ms of the event's time. */
  time: number;
  /** The event's JSON. */
  event: string;
}

/** Work done inside the same transaction (the delivery engine's enqueueWith). */
export interface TxWork {
  sqlite(tx: SqliteTx): void;
  postgres(tx: PostgresTx): Promise<void>;
}

/** One write of a multi-row change: put (insert or replace) or delete. */
export type EventsWrite =
  | { op: "put"; kind: EventsKind; parent: string; name: string; doc: unknown }
  | { op: "delete"; kind: EventsKind; parent: string; name: string }
  /** Deletes every row of `kind` under `parent`. */
  | { op: "deleteAll"; kind: EventsKind; parent: string };

export interface EventsStore {
  get<T>(scope: EventsScope, kind: EventsKind, parent: string, name: string): Promise<T | undefined>;
  /** Rows of a kind under a parent (every parent when undefined), by name, from `after` (exclusive), names with `prefix`. */
  list<T>(
    scope: EventsScope,
    kind: EventsKind,
    opts?: { parent?: string; prefix?: string; after?: string; limit?: number },
  ): Promise<EventsRow<T>[]>;
  /** Inserts; false when the key exists. */
  create(scope: EventsScope, kind: EventsKind, parent: string, name: string, doc: unknown): Promise<boolean>;
  /** Inserts or replaces. */
  put(scope: EventsScope, kind: EventsKind, parent: string, name: string, doc: unknown): Promise<void>;
  /** True when a row was deleted. */
  delete(scope: EventsScope, kind: EventsKind, parent: string, name: string): Promise<boolean>;
  /** Applies the writes in one transaction. */
  apply(scope: EventsScope, writes: readonly EventsWrite[]): Promise<void>;
  /**
   * Stores archived events and runs `work` (enqueueing deliveries) in one transaction, so an acknowledged PutEvents
   * has both or neither.
   */
  archive(scope: EventsScope, rows: readonly ArchivedEvent[], work?: TxWork): Promise<void>;
  /** An archive's event count and bytes. */
  archiveStats(scope: EventsScope, archive: string): Promise<{ count: number; bytes: number }>;
  /** Archived events with from <= time < to, oldest first, after row `afterId`, at most `limit`. */
  archived(
    scope: EventsScope,
    archive: string,
    from: number,
    to: number,
    afterId: number,
    limit: number,
  ): Promise<{ id: number; time: number; event: string }[]>;
  /** Deletes an archive's events older than `before` (retention), or all of them. */
  purgeArchive(scope: EventsScope, archive: string, before?: number): Promise<void>;
  /** Every row of a kind in every account and region (schedules and archives at start-up). */
  all<T>(kind: EventsKind): Promise<(EventsRow<T> & EventsScope)[]>;
}

export function createEventsStore(db: Database): EventsStore {
  const k = db.kysely.withTables<Tables>() as unknown as Kysely<Tables>;
  const key = (scope: EventsScope, kind: string, parent: string, name: string) => ({
    account: scope.account,
    region: scope.region,
    kind,
    parent,
    name,
  });

  const sqliteApply = (scope: EventsScope, writes: readonly EventsWrite[]) => {
    if (db.dialect !== "sqlite") return;
    const s = db.sqlite;
    const put = s.prepare(
      "INSERT INTO events_resources (account, region, kind, parent, name, doc) VALUES (?, ?, ?, ?, ?, ?) " +
        "ON CONFLICT (account, region, kind, parent, name) DO UPDATE SET doc = excluded.doc",
    );
    const del = s.prepare(
      "DELETE FROM events_resources WHERE account = ? AND region = ? AND kind = ? AND parent = ? AND name = ?",
    );
    const delAll = s.prepare(
      "DELETE FROM events_resources WHERE account = ? AND region = ? AND kind = ? AND parent = ?",
    );
    s.transaction(() => {
      for (const w of writes) {
        if (w.op === "put") put.run(scope.account, scope.region, w.kind, w.parent, w.name, JSON.stringify(w.doc));
        else if (w.op === "delete") del.run(scope.account, scope.region, w.kind, w.parent, w.name);
        else delAll.run(scope.account, scope.region, w.kind, w.parent);
      }
    })();
  };

  return {
    async get<T>(scope: EventsScope, kind: EventsKind, parent: string, name: string) {
      const row = await k
        .selectFrom("events_resources")
        .select("doc")
        .where("account", "=", scope.account)
        .where("region", "=", scope.region)
        .where("kind", "=", kind)
        .where("parent", "=", parent)
        .where("name", "=", name)
        .executeTakeFirst();
      return row ? (JSON.parse(row.doc) as T) : undefined;
    },

    async list<T>(
      scope: EventsScope,
      kind: EventsKind,
      opts: { parent?: string; prefix?: string; after?: string; limit?: number } = {},
    ) {
      let q = k
        .selectFrom("events_resources")
        .select(["name", "parent", "doc"])
        .where("account", "=", scope.account)
        .where("region", "=", scope.region)
        .where("kind", "=", kind);
      if (opts.parent !== undefined) q = q.where("parent", "=", opts.parent);
      // substr, not LIKE: no wildcard characters to escape, and the same on both dialects.
      if (opts.prefix) q = q.where(sql<string>`substr(name, 1, ${[...opts.prefix].length})`, "=", opts.prefix);
      if (opts.after !== undefined) q = q.where("name", ">", opts.after);
      q = q.orderBy("name").orderBy("parent");
      if (opts.limit !== undefined) q = q.limit(opts.limit);
      const rows = await q.execute();
      return rows.map((r) => ({ name: r.name, parent: r.parent, doc: JSON.parse(r.doc) as T }));
    },

    async create(scope, kind, parent, name, doc) {
      const res = await k
        .insertInto("events_resources")
        .values({ ...key(scope, kind, parent, name), doc: JSON.stringify(doc) })
        .onConflict((oc) => oc.columns(["account", "region", "kind", "parent", "name"]).doNothing())
        .executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async put(scope, kind, parent, name, doc) {
      const text = JSON.stringify(doc);
      await k
        .insertInto("events_resources")
        .values({ ...key(scope, kind, parent, name), doc: text })
        .onConflict((oc) => oc.columns(["account", "region", "kind", "parent", "name"]).doUpdateSet({ doc: text }))
        .execute();
    },

    async delete(scope, kind, parent, name) {
      const res = await k
        .deleteFrom("events_resources")
        .where("account", "=", scope.account)
        .where("region", "=", scope.region)
        .where("kind", "=", kind)
        .where("parent", "=", parent)
        .where("name", "=", name)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },

    async apply(scope, writes) {
      if (db.dialect === "sqlite") return sqliteApply(scope, writes);
      const client = await db.pool.connect();
      try {
        await client.query("BEGIN");
        for (const w of writes) {
          if (w.op === "put")
            await client.query(
              "INSERT INTO events_resources (account, region, kind, parent, name, doc) VALUES ($1, $2, $3, $4, $5, $6) " +
                "ON CONFLICT (account, region, kind, parent, name) DO UPDATE SET doc = excluded.doc",
              [scope.account, scope.region, w.kind, w.parent, w.name, JSON.stringify(w.doc)],
            );
          else if (w.op === "delete")
            await client.query(
              "DELETE FROM events_resources WHERE account = $1 AND region = $2 AND kind = $3 AND parent = $4 AND name = $5",
              [scope.account, scope.region, w.kind, w.parent, w.name],
            );
          else
            await client.query(
              "DELETE FROM events_resources WHERE account = $1 AND region = $2 AND kind = $3 AND parent = $4",
              [scope.account, scope.region, w.kind, w.parent],
            );
        }
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },

    async archive(scope, rows, work) {
      if (db.dialect === "sqlite") {
        const s = db.sqlite;
        const ins = s.prepare(
          "INSERT INTO events_archived (account, region, archive, event_time, size, event) VALUES (?, ?, ?, ?, ?, ?)",
        );
        s.transaction(() => {
          for (const r of rows)
            ins.run(scope.account, scope.region, r.archive, r.time, Buffer.byteLength(r.event), r.event);
          work?.sqlite({ sqlite: s });
        })();
        return;
      }
      const client = await db.pool.connect();
      try {
        await client.query("BEGIN");
        for (const r of rows)
          await client.query(
            "INSERT INTO events_archived (account, region, archive, event_time, size, event) VALUES ($1, $2, $3, $4, $5, $6)",
            [scope.account, scope.region, r.archive, r.time, Buffer.byteLength(r.event), r.event],
          );
        if (work) await work.postgres({ client });
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },

    async archiveStats(scope, archive) {
      const row = await k
        .selectFrom("events_archived")
        .select((eb) => [eb.fn.countAll<number | string>().as("n"), eb.fn.sum<number | string | null>("size").as("b")])
        .where("account", "=", scope.account)
        .where("region", "=", scope.region)
        .where("archive", "=", archive)
        .executeTakeFirst();
      return { count: Number(row?.n ?? 0), bytes: Number(row?.b ?? 0) };
    },

    async archived(scope, archive, from, to, afterId, limit) {
      const rows = await (k as unknown as Kysely<Tables & { events_archived: { id: number | string } }>)
        .selectFrom("events_archived")
        .select(["id", "event_time", "event"])
        .where("account", "=", scope.account)
        .where("region", "=", scope.region)
        .where("archive", "=", archive)
        .where("event_time", ">=", from)
        .where("event_time", "<", to)
        .where("id", ">", afterId)
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: Number(r.id), time: Number(r.event_time), event: r.event }));
    },

    async purgeArchive(scope, archive, before) {
      let q = k
        .deleteFrom("events_archived")
        .where("account", "=", scope.account)
        .where("region", "=", scope.region)
        .where("archive", "=", archive);
      if (before !== undefined) q = q.where("event_time", "<", before);
      await q.execute();
    },

    async all<T>(kind: EventsKind) {
      const rows = await k
        .selectFrom("events_resources")
        .select(["account", "region", "name", "parent", "doc"])
        .where("kind", "=", kind)
        .execute();
      return rows.map((r) => ({
        account: r.account,
        region: r.region,
        name: r.name,
        parent: r.parent,
        doc: JSON.parse(r.doc) as T,
      }));
    },
  };
}
