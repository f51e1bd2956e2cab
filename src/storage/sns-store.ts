/**
 * SNS topics, subscriptions and the FIFO deduplication window (tables of migration 0006), on SQLite and PostgreSQL.
 *
 * Each statement is written once with `?` placeholders (numbered for PostgreSQL). SQLite runs them on cached
 * prepared statements inside synchronous better-sqlite3 transactions; PostgreSQL on a pooled client inside
 * BEGIN/COMMIT. `publish` is the one write that joins the delivery outbox: the deduplication record and the
 * deliveries it enqueues (through the caller's callback) commit together, so a Publish is acknowledged only once its
 * deliveries are durable.
 */
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import type { Database } from "./db.js";
import type { InTransaction } from "./delivery-store.js";

export interface TopicRecord {
  account: string;
  region: string;
  name: string;
  arn: string;
  fifo: boolean;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
}

export interface SubscriptionRecord {
  arn: string;
  account: string;
  region: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  owner: string;
  confirmed: boolean;
  token: string | null;
  attributes: Record<string, string>;
  createdAt: number;
}

export interface SnsScope {
  account: string;
  region: string;
}

export interface PublishDedup {
  topicArn: string;
  dedupId: string;
  messageId: string;
  now: number;
  windowMs: number;
}

export interface SnsStore {
  /** Inserts the topic unless one with its ARN exists; returns the stored one either way. */
  createTopic(t: TopicRecord): Promise<{ created: boolean; topic: TopicRecord }>;
  getTopic(arn: string): Promise<TopicRecord | undefined>;
  /** Topics of a scope in ARN order after `after`, at most `limit`. */
  listTopics(scope: SnsScope, after: string | undefined, limit: number): Promise<TopicRecord[]>;
  updateTopic(
    arn: string,
    change: { attributes?: Record<string, string>; tags?: Record<string, string> },
  ): Promise<boolean>;
  /** Deletes the topic and its subscriptions. */
  deleteTopic(arn: string): Promise<boolean>;
  createSubscription(s: SubscriptionRecord): Promise<void>;
  getSubscription(arn: string): Promise<SubscriptionRecord | undefined>;
  subscriptionsOfTopic(topicArn: string, after?: string, limit?: number): Promise<SubscriptionRecord[]>;
  listSubscriptions(scope: SnsScope, after: string | undefined, limit: number): Promise<SubscriptionRecord[]>;
  updateSubscription(
    arn: string,
    change: { attributes?: Record<string, string>; confirmed?: boolean; token?: string | null },
  ): Promise<boolean>;
  deleteSubscription(arn: string): Promise<boolean>;
  /**
   * FIFO deduplication (when `dedup`) and the deliveries in one transaction. Resolves with the message id of the
   * earlier publish when `dedup.dedupId` was seen within the window (nothing is enqueued then).
   * `enqueue` (the publish's deliveries) runs inside the transaction.
   */
  publish(dedup: PublishDedup | undefined, enqueue: InTransaction): Promise<{ duplicateOf?: string }>;
  /** Forgets deduplication ids older than `now`. */
  expireDedup(now: number): Promise<void>;
}

interface TopicRow {
  account: string;
  region: string;
  name: string;
  arn: string;
  fifo: number;
  attributes: string;
  tags: string;
  created_at: number | string;
}

interface SubRow {
  arn: string;
  account: string;
  region: string;
  topic_arn: string;
  protocol: string;
  endpoint: string;
  owner: string;
  confirmed: number;
  token: string | null;
  attributes: string;
  created_at: number | string;
}

const toTopic = (r: TopicRow): TopicRecord => ({
  account: r.account,
  region: r.region,
  name: r.name,
  arn: r.arn,
  fifo: Number(r.fifo) === 1,
  attributes: JSON.parse(r.attributes) as Record<string, string>,
  tags: JSON.parse(r.tags) as Record<string, string>,
  createdAt: Number(r.created_at),
});

const toSub = (r: SubRow): SubscriptionRecord => ({
  arn: r.arn,
  account: r.account,
  region: r.region,
  topicArn: r.topic_arn,
  protocol: r.protocol,
  endpoint: r.endpoint,
  owner: r.owner,
  confirmed: Number(r.confirmed) === 1,
  token: r.token,
  attributes: JSON.parse(r.attributes) as Record<string, string>,
  createdAt: Number(r.created_at),
});

const SQL = {
  insertTopic:
    "INSERT INTO sns_topics (account, region, name, arn, fifo, attributes, tags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (arn) DO NOTHING",
  getTopic: "SELECT * FROM sns_topics WHERE arn = ?",
  listTopics: "SELECT * FROM sns_topics WHERE account = ? AND region = ? AND arn > ? ORDER BY arn LIMIT ?",
  setTopicAttributes: "UPDATE sns_topics SET attributes = ? WHERE arn = ?",
  setTopicTags: "UPDATE sns_topics SET tags = ? WHERE arn = ?",
  deleteTopic: "DELETE FROM sns_topics WHERE arn = ?",
  deleteTopicSubs: "DELETE FROM sns_subscriptions WHERE topic_arn = ?",
  deleteTopicDedup: "DELETE FROM sns_dedup WHERE topic_arn = ?",
  insertSub:
    "INSERT INTO sns_subscriptions (arn, account, region, topic_arn, protocol, endpoint, owner, confirmed, token, attributes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  getSub: "SELECT * FROM sns_subscriptions WHERE arn = ?",
  subsOfTopic: "SELECT * FROM sns_subscriptions WHERE topic_arn = ? AND arn > ? ORDER BY arn LIMIT ?",
  listSubs: "SELECT * FROM sns_subscriptions WHERE account = ? AND region = ? AND arn > ? ORDER BY arn LIMIT ?",
  setSubAttributes: "UPDATE sns_subscriptions SET attributes = ? WHERE arn = ?",
  setSubConfirmed: "UPDATE sns_subscriptions SET confirmed = ?, token = ? WHERE arn = ?",
  deleteSub: "DELETE FROM sns_subscriptions WHERE arn = ?",
  getDedup: "SELECT message_id FROM sns_dedup WHERE topic_arn = ? AND dedup_id = ? AND expires_at > ?",
  putDedup:
    "INSERT INTO sns_dedup (topic_arn, dedup_id, message_id, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (topic_arn, dedup_id) DO UPDATE SET message_id = excluded.message_id, expires_at = excluded.expires_at",
  expireDedup: "DELETE FROM sns_dedup WHERE expires_at <= ?",
} as const;
type Name = keyof typeof SQL;

/** `?` placeholders numbered for PostgreSQL. */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/** Runs one statement and returns its rows and change count; the dialect part below provides it. */
type Exec = (name: Name, params: unknown[]) => { rows: unknown[]; changes: number };
type AsyncExec = (name: Name, params: unknown[]) => Promise<{ rows: unknown[]; changes: number }>;

export function createSnsStore(db: Database): SnsStore {
  if (db.dialect === "sqlite") return sqliteStore(db.sqlite);
  return postgresStore(db.pool);
}

function sqliteStore(s: BetterSqlite3.Database): SnsStore {
  const cache = new Map<Name, BetterSqlite3.Statement>();
  const exec: Exec = (name, params) => {
    let st = cache.get(name);
    if (!st) cache.set(name, (st = s.prepare(SQL[name])));
    if (st.reader) return { rows: st.all(...params), changes: 0 };
    return { rows: [], changes: st.run(...params).changes };
  };
  const tx = <T>(fn: () => T): T => s.transaction(fn)();
  return build(
    (name, params) => Promise.resolve(exec(name, params)),
    (fn) => Promise.resolve(tx(() => fn(exec))),
    async (dedup, enqueue) =>
      tx(() => {
        if (dedup) {
          const prior = checkDedup(exec, dedup);
          if (prior) return { duplicateOf: prior };
        }
        enqueue.sqlite({ sqlite: s });
        return {};
      }),
  );
}

function checkDedup(exec: Exec, d: PublishDedup): string | undefined {
  const row = exec("getDedup", [d.topicArn, d.dedupId, d.now]).rows[0] as { message_id: string } | undefined;
  if (row) return row.message_id;
  exec("putDedup", [d.topicArn, d.dedupId, d.messageId, d.now + d.windowMs]);
  return undefined;
}

function postgresStore(pool: pg.Pool): SnsStore {
  const run = async (client: pg.ClientBase | pg.Pool, name: Name, params: unknown[]) => {
    const r = await client.query({ name: `sns_${name}`, text: numbered(SQL[name]), values: params });
    return { rows: r.rows as unknown[], changes: r.rowCount ?? 0 };
  };
  const inTx = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      try {
        const out = await fn(client);
        await client.query("COMMIT");
        return out;
      } catch (e) {
        await client.query("ROLLBACK");
        throw e;
      }
    } finally {
      client.release();
    }
  };
  return build(
    (name, params) => run(pool, name, params),
    (fn) =>
      inTx(async (client) => {
        // The synchronous callback form is for SQLite; on PostgreSQL each statement is awaited in order.
        const results: Promise<unknown>[] = [];
        fn((name, params) => {
          results.push(run(client, name, params));
          return { rows: [], changes: 0 };
        });
        await Promise.all(results);
      }),
    (dedup, enqueue) =>
      inTx(async (client) => {
        if (dedup) {
          // Serializes publishers of one topic's deduplication id.
          await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [dedup.topicArn + "\n" + dedup.dedupId]);
          const prior = (await run(client, "getDedup", [dedup.topicArn, dedup.dedupId, dedup.now])).rows[0] as
            { message_id: string } | undefined;
          if (prior) return { duplicateOf: prior.message_id };
          await run(client, "putDedup", [dedup.topicArn, dedup.dedupId, dedup.messageId, dedup.now + dedup.windowMs]);
        }
        await enqueue.postgres({ client });
        return {};
      }),
  );
}

function build(
  q: AsyncExec,
  writeAll: (fn: (exec: Exec) => void) => Promise<void>,
  publish: SnsStore["publish"],
): SnsStore {
  return {
    async createTopic(t) {
      const { changes } = await q("insertTopic", [
        t.account,
        t.region,
        t.name,
        t.arn,
        t.fifo ? 1 : 0,
        JSON.stringify(t.attributes),
        JSON.stringify(t.tags),
        t.createdAt,
      ]);
      if (changes > 0) return { created: true, topic: t };
      const row = (await q("getTopic", [t.arn])).rows[0] as TopicRow;
      return { created: false, topic: toTopic(row) };
    },
    async getTopic(arn) {
      const row = (await q("getTopic", [arn])).rows[0] as TopicRow | undefined;
      return row && toTopic(row);
    },
    async listTopics(scope, after, limit) {
      const rows = (await q("listTopics", [scope.account, scope.region, after ?? "", limit])).rows as TopicRow[];
      return rows.map(toTopic);
    },
    async updateTopic(arn, change) {
      let changed = 0;
      if (change.attributes)
        changed += (await q("setTopicAttributes", [JSON.stringify(change.attributes), arn])).changes;
      if (change.tags) changed += (await q("setTopicTags", [JSON.stringify(change.tags), arn])).changes;
      return changed > 0;
    },
    async deleteTopic(arn) {
      const existed = (await q("getTopic", [arn])).rows.length > 0;
      await writeAll((exec) => {
        exec("deleteTopicSubs", [arn]);
        exec("deleteTopicDedup", [arn]);
        exec("deleteTopic", [arn]);
      });
      return existed;
    },
    async createSubscription(s) {
      await q("insertSub", [
        s.arn,
        s.account,
        s.region,
        s.topicArn,
        s.protocol,
        s.endpoint,
        s.owner,
        s.confirmed ? 1 : 0,
        s.token,
        JSON.stringify(s.attributes),
        s.createdAt,
      ]);
    },
    async getSubscription(arn) {
      const row = (await q("getSub", [arn])).rows[0] as SubRow | undefined;
      return row && toSub(row);
    },
    async subscriptionsOfTopic(topicArn, after, limit = 1_000_000) {
      return ((await q("subsOfTopic", [topicArn, after ?? "", limit])).rows as SubRow[]).map(toSub);
    },
    async listSubscriptions(scope, after, limit) {
      const rows = (await q("listSubs", [scope.account, scope.region, after ?? "", limit])).rows as SubRow[];
      return rows.map(toSub);
    },
    async updateSubscription(arn, change) {
      let changed = 0;
      if (change.attributes) changed += (await q("setSubAttributes", [JSON.stringify(change.attributes), arn])).changes;
      if (change.confirmed !== undefined)
        changed += (await q("setSubConfirmed", [change.confirmed ? 1 : 0, change.token ?? null, arn])).changes;
      return changed > 0;
    },
    async deleteSubscription(arn) {
      return (await q("deleteSub", [arn])).changes > 0;
    },
    publish,
    async expireDedup(now) {
      await q("expireDedup", [now]);
    },
  };
}
