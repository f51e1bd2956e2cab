/**
 * The delivery outbox (delivery_outbox, migration 0005): rows in, leases out, outcomes recorded. It knows rows, not
 * retry policies: src/delivery/engine.ts decides what happens to a delivery, this store makes each step atomic.
 *
 * Inserts can join a caller's transaction: on SQLite, inside the caller's synchronous `sqlite.transaction(...)` (the
 * connection is shared, so the insert is part of it); on PostgreSQL, on the caller's client between its BEGIN and
 * COMMIT. A claim is one statement on either dialect: on PostgreSQL `FOR UPDATE SKIP LOCKED`, so several nodes
 * claiming at once each get different rows. Every outcome is one statement fenced by (lease_owner, attempt).
 */
import type BetterSqlite3 from "better-sqlite3";
import type { ColumnType } from "kysely";
import type pg from "pg";
import type { Database, PostgresDatabase, SqliteDatabase } from "./db.js";

/** pending: waiting or being delivered; dead_lettered / dropped: given up, kept a while for inspection. */
export type OutboxState = "pending" | "dead_lettered" | "dropped";

export interface OutboxRow {
  id: number;
  account: string;
  region: string;
  kind: string;
  /** JSON. */
  target: string;
  state: OutboxState;
  /** Attempts started (a claim counts one). */
  attempt: number;
  nextAttemptAt: number;
  firstEnqueuedAt: number;
  /** JSON. */
  policy: string;
  /** JSON. */
  deadLetter: string | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
  /** JSON. */
  lastError: string | null;
  finishedAt: number | null;
  payload: Buffer;
}

export type NewOutboxRow = Pick<
  OutboxRow,
  "account" | "region" | "kind" | "target" | "nextAttemptAt" | "firstEnqueuedAt" | "policy" | "deadLetter" | "payload"
>;

/** A caller's open SQLite transaction: the connection it runs on (the one the store uses). */
export interface SqliteTx {
  readonly sqlite: BetterSqlite3.Database;
}

/** A caller's open PostgreSQL transaction: the client that issued BEGIN. */
export interface PostgresTx {
  readonly client: pg.ClientBase;
}

/**
 * Work a store runs inside its own transaction, in either dialect (deliveries enqueued with what they deliver, so
 * both commit or neither does).
 */
export interface InTransaction {
  sqlite(tx: SqliteTx): void;
  postgres(tx: PostgresTx): Promise<void>;
}

export interface ClaimRequest {
  now: number;
  owner: string;
  leaseUntil: number;
  limit: number;
  /** Only rows of these kinds (the kinds this node has senders for). */
  kinds: readonly string[];
}

/** Identifies the claim an outcome belongs to; an outcome whose claim was superseded changes nothing. */
export interface Lease {
  id: number;
  owner: string;
  attempt: number;
}

export interface OutboxFilter {
  state?: OutboxState;
  kind?: string;
  account?: string;
  limit?: number;
}

export interface DeliveryStore {
  readonly dialect: Database["dialect"];
  /** Inserts in a transaction of its own; resolves after commit with the ids, in order. */
  insert(rows: readonly NewOutboxRow[]): Promise<number[]>;
  /** Inserts inside the caller's open synchronous transaction on the store's own connection. */
  insertSqlite(tx: SqliteTx, rows: readonly NewOutboxRow[]): number[];
  /** Inserts inside the caller's open transaction on `tx.client`. */
  insertPostgres(tx: PostgresTx, rows: readonly NewOutboxRow[]): Promise<number[]>;
  /**
   * Leases up to `limit` due pending rows, oldest due first: attempt + 1, lease_owner, lease_until and
   * next_attempt_at = leaseUntil. Returns them as they are after the claim.
   */
  claim(req: ClaimRequest): Promise<OutboxRow[]>;
  /** When the earliest pending row of these kinds falls due (a leased one: when its lease ends); undefined if none. */
  nextDue(kinds: readonly string[]): Promise<number | undefined>;
  /** Delivered: deletes the row. False when the lease was lost. */
  complete(lease: Lease): Promise<boolean>;
  /** A retry at `at`; the lease is released. */
  reschedule(lease: Lease, at: number, lastError: string): Promise<boolean>;
  /** Gives the claim back without counting its attempt (graceful shutdown mid-delivery): due again at `at`. */
  release(lease: Lease, at: number): Promise<boolean>;
  /** Given up: dead-lettered or dropped at `at`. */
  finish(lease: Lease, state: Exclude<OutboxState, "pending">, at: number, lastError: string): Promise<boolean>;
  get(id: number): Promise<OutboxRow | undefined>;
  /** Oldest first. */
  list(filter?: OutboxFilter): Promise<OutboxRow[]>;
  /** Deletes given-up rows that finished before `before`. */
  purgeFinished(before: number): Promise<number>;
}

/** pg returns BIGINT as a string; better-sqlite3 as a number. */
type BigIntColumn = ColumnType<number | string, number, number>;
type NullableBigIntColumn = ColumnType<number | string | null, number | null, number | null>;

export type DeliveryTables = {
  delivery_outbox: {
    id: ColumnType<number | string, never, never>;
    account: string;
    region: string;
    kind: string;
    target: string;
    state: string;
    attempt: number;
    next_attempt_at: BigIntColumn;
    first_enqueued_at: BigIntColumn;
    policy: string;
    dead_letter: string | null;
    lease_owner: string | null;
    lease_until: NullableBigIntColumn;
    last_error: string | null;
    finished_at: NullableBigIntColumn;
    payload: Buffer;
  };
};

type RawRow = {
  id: number | string;
  account: string;
  region: string;
  kind: string;
  target: string;
  state: string;
  attempt: number;
  next_attempt_at: number | string;
  first_enqueued_at: number | string;
  policy: string;
  dead_letter: string | null;
  lease_owner: string | null;
  lease_until: number | string | null;
  last_error: string | null;
  finished_at: number | string | null;
  payload: Buffer;
};

const num = (v: number | string): number => (typeof v === "number" ? v : Number(v));
const numOrNull = (v: number | string | null): number | null => (v === null ? null : num(v));

function toRow(r: RawRow): OutboxRow {
  return {
    id: num(r.id),
    account: r.account,
    region: r.region,
    kind: r.kind,
    target: r.target,
    state: r.state as OutboxState,
    attempt: r.attempt,
    nextAttemptAt: num(r.next_attempt_at),
    firstEnqueuedAt: num(r.first_enqueued_at),
    policy: r.policy,
    deadLetter: r.dead_letter,
    leaseOwner: r.lease_owner,
    leaseUntil: numOrNull(r.lease_until),
    lastError: r.last_error,
    finishedAt: numOrNull(r.finished_at),
    payload: r.payload,
  };
}

const byDue = (a: OutboxRow, b: OutboxRow) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id;

export function createDeliveryStore(db: Database): DeliveryStore {
  const k = db.kysely.withTables<DeliveryTables>();
  const dialectPart = db.dialect === "sqlite" ? sqlitePart(db) : postgresPart(db);
  const fenced = (lease: Lease) =>
    k
      .updateTable("delivery_outbox")
      .where("id", "=", lease.id)
      .where("lease_owner", "=", lease.owner)
      .where("attempt", "=", lease.attempt)
      .where("state", "=", "pending");
  const changed = (r: { numUpdatedRows: bigint } | { numDeletedRows: bigint }) =>
    ("numUpdatedRows" in r ? r.numUpdatedRows : r.numDeletedRows) > 0n;

  return {
    dialect: db.dialect,
    ...dialectPart,

    async complete(lease) {
      const r = await k
        .deleteFrom("delivery_outbox")
        .where("id", "=", lease.id)
        .where("lease_owner", "=", lease.owner)
        .where("attempt", "=", lease.attempt)
        .where("state", "=", "pending")
        .executeTakeFirst();
      return changed(r);
    },

    async reschedule(lease, at, lastError) {
      const r = await fenced(lease)
        .set({ next_attempt_at: at, lease_owner: null, lease_until: null, last_error: lastError })
        .executeTakeFirst();
      return changed(r);
    },

    async release(lease, at) {
      const r = await fenced(lease)
        .set((eb) => ({ attempt: eb("attempt", "-", 1), next_attempt_at: at, lease_owner: null, lease_until: null }))
        .executeTakeFirst();
      return changed(r);
    },

    async finish(lease, state, at, lastError) {
      const r = await fenced(lease)
        .set({ state, finished_at: at, lease_owner: null, lease_until: null, last_error: lastError })
        .executeTakeFirst();
      return changed(r);
    },

    async get(id) {
      const r = await k.selectFrom("delivery_outbox").selectAll().where("id", "=", id).executeTakeFirst();
      return r ? toRow(r as RawRow) : undefined;
    },

    async list(filter = {}) {
      const rows = await k
        .selectFrom("delivery_outbox")
        .selectAll()
        .$if(filter.state !== undefined, (b) => b.where("state", "=", filter.state!))
        .$if(filter.kind !== undefined, (b) => b.where("kind", "=", filter.kind!))
        .$if(filter.account !== undefined, (b) => b.where("account", "=", filter.account!))
        .orderBy("id")
        .limit(Math.max(0, Math.floor(filter.limit ?? 1000)))
        .execute();
      return rows.map((r) => toRow(r as RawRow));
    },

    async purgeFinished(before) {
      const r = await k
        .deleteFrom("delivery_outbox")
        .where("state", "<>", "pending")
        .where("finished_at", "<", before)
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

type DialectPart = Pick<DeliveryStore, "insert" | "insertSqlite" | "insertPostgres" | "claim" | "nextDue">;

/** The delivery_outbox columns of a new row, in the order both dialects' inserts list them. */
const outboxValues = (r: NewOutboxRow) =>
  [
    r.account,
    r.region,
    r.kind,
    r.target,
    r.nextAttemptAt,
    r.firstEnqueuedAt,
    r.policy,
    r.deadLetter,
    r.payload,
  ] as const;

function sqlitePart(db: SqliteDatabase): DialectPart {
  const s = db.sqlite;
  const insertOne = s.prepare(
    `INSERT INTO delivery_outbox (account, region, kind, target, next_attempt_at, first_enqueued_at, policy,
       dead_letter, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAll = (rows: readonly NewOutboxRow[]) =>
    rows.map((r) => insertOne.run(...outboxValues(r)).lastInsertRowid as number);
  const insertTx = s.transaction(insertAll);
  const claim = s.prepare(
    `UPDATE delivery_outbox
        SET attempt = attempt + 1, lease_owner = @owner, lease_until = @until, next_attempt_at = @until
      WHERE id IN (SELECT id FROM delivery_outbox
                    WHERE state = 'pending' AND next_attempt_at <= @now
                      AND kind IN (SELECT value FROM json_each(@kinds))
                    ORDER BY next_attempt_at, id LIMIT @limit)
      RETURNING *`,
  );
  const nextDue = s
    .prepare(
      `SELECT next_attempt_at FROM delivery_outbox
        WHERE state = 'pending' AND kind IN (SELECT value FROM json_each(?))
        ORDER BY next_attempt_at LIMIT 1`,
    )
    .pluck();
  return {
    // better-sqlite3 is synchronous: the transaction has committed when insertTx returns.
    insert: async (rows) => (rows.length ? insertTx(rows) : []),
    insertSqlite(tx, rows) {
      if (tx.sqlite !== s) throw new Error("delivery outbox: the transaction runs on another SQLite connection");
      return insertAll(rows);
    },
    insertPostgres() {
      return Promise.reject(new Error("delivery outbox: the storage is SQLite; use insertSqlite"));
    },
    async claim(req) {
      if (req.kinds.length === 0 || req.limit <= 0) return [];
      const rows = claim.all({
        owner: req.owner,
        until: req.leaseUntil,
        now: req.now,
        kinds: JSON.stringify(req.kinds),
        limit: req.limit,
      }) as RawRow[];
      return rows.map(toRow).sort(byDue);
    },
    async nextDue(kinds) {
      if (kinds.length === 0) return undefined;
      return nextDue.get(JSON.stringify(kinds)) as number | undefined;
    },
  };
}

/** One statement per batch whatever its size: one array per column, ids returned in input order. */
const PG_INSERT = `
INSERT INTO delivery_outbox (account, region, kind, target, next_attempt_at, first_enqueued_at, policy,
                             dead_letter, payload)
SELECT account, region, kind, target, next_attempt_at, first_enqueued_at, policy, dead_letter, payload
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[], $8::text[],
              $9::bytea[]) WITH ORDINALITY
    AS t(account, region, kind, target, next_attempt_at, first_enqueued_at, policy, dead_letter, payload, ord)
 ORDER BY ord
RETURNING id`;

/**
 * SKIP LOCKED: a row another node is claiming right now is passed over rather than waited for. When that node commits
 * first, the row is re-checked against the WHERE clause and, its next_attempt_at moved to the lease's end, no longer
 * qualifies; so each attempt goes to one node.
 */
const PG_CLAIM = `
WITH due AS (
  SELECT id FROM delivery_outbox
   WHERE state = 'pending' AND next_attempt_at <= $1 AND kind = ANY($2::text[])
   ORDER BY next_attempt_at, id
   LIMIT $3
   FOR UPDATE SKIP LOCKED
)
UPDATE delivery_outbox o
   SET attempt = o.attempt + 1, lease_owner = $4, lease_until = $5, next_attempt_at = $5
  FROM due WHERE o.id = due.id
RETURNING o.*`;

function postgresPart(db: PostgresDatabase): DialectPart {
  const insertOn = async (client: pg.ClientBase | pg.Pool, rows: readonly NewOutboxRow[]) => {
    if (rows.length === 0) return [];
    const cols: unknown[][] = Array.from({ length: 9 }, () => []);
    for (const r of rows) {
      outboxValues(r).forEach((v, i) => cols[i]!.push(v));
    }
    const res = await client.query<{ id: string }>({ name: "vigil_outbox_insert", text: PG_INSERT, values: cols });
    // Ids come from the sequence in the order the rows are inserted, which is input order.
    return res.rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  };
  return {
    insert: (rows) => insertOn(db.pool, rows),
    insertSqlite() {
      throw new Error("delivery outbox: the storage is PostgreSQL; use insertPostgres");
    },
    insertPostgres: (tx, rows) => insertOn(tx.client, rows),
    async claim(req) {
      if (req.kinds.length === 0 || req.limit <= 0) return [];
      const res = await db.pool.query<RawRow>({
        name: "vigil_outbox_claim",
        text: PG_CLAIM,
        values: [req.now, req.kinds, req.limit, req.owner, req.leaseUntil],
      });
      return res.rows.map(toRow).sort(byDue);
    },
    async nextDue(kinds) {
      if (kinds.length === 0) return undefined;
      const res = await db.pool.query<{ next_attempt_at: string }>({
        name: "vigil_outbox_next_due",
        text: `SELECT next_attempt_at FROM delivery_outbox WHERE state = 'pending' AND kind = ANY($1::text[])
                ORDER BY next_attempt_at LIMIT 1`,
        values: [kinds],
      });
      return res.rows[0] ? Number(res.rows[0].next_attempt_at) : undefined;
    },
  };
}
