/**
 * S3 buckets and objects (tables of migration 0009). One implementation for both dialects, in plain SQL: SQLite runs
 * each write in one synchronous better-sqlite3 transaction (never across an await, see db.ts), PostgreSQL in
 * BEGIN/COMMIT on one pooled client. Writes that cause deliveries (event notifications) enqueue them in the same
 * transaction, so an acknowledged PutObject's notifications survive a crash. Every write resolves after commit.
 */
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import type { DeliveryEngine, NewDelivery } from "../delivery/engine.js";
import type { Database } from "./db.js";

export interface S3BucketRecord {
  name: string;
  account: string;
  region: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  policy: string | null;
  /** JSON of the stored NotificationConfiguration. */
  notification: string | null;
}

/** An object's headers as stored (what PutObject set, GetObject/HeadObject return). */
export interface S3ObjectMeta {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  /** HTTP date text, as sent. */
  expires?: string;
  websiteRedirectLocation?: string;
  storageClass?: string;
  /** User metadata, names lower-case, without the x-amz-meta- prefix. */
  metadata: Record<string, string>;
  /** Checksums verified at upload, by algorithm (CRC32, CRC32C, SHA1, SHA256), base64 as S3 returns them. */
  checksums?: Record<string, string>;
}

export interface S3ObjectRecord {
  bucket: string;
  key: string;
  size: number;
  /** Quoted MD5 hex, as the ETag header carries it. */
  etag: string;
  lastModified: number;
  meta: S3ObjectMeta;
}

export interface S3ObjectWithBody extends S3ObjectRecord {
  body: Buffer;
}

/** Deliveries to enqueue in the transaction of a write, built from what the write found. */
export interface WriteDeliveries<T> {
  engine: DeliveryEngine;
  build(result: T): NewDelivery[];
}

export interface S3Store {
  /** "created", or the owner of the bucket that already has the name. */
  createBucket(
    b: Omit<S3BucketRecord, "policy" | "notification">,
  ): Promise<{ created: true } | { created: false; existing: S3BucketRecord }>;
  bucket(name: string): Promise<S3BucketRecord | undefined>;
  /** An account's buckets, by name. */
  listBuckets(account: string): Promise<S3BucketRecord[]>;
  /** False when the bucket still holds objects (BucketNotEmpty); true when deleted or already gone. */
  deleteBucket(name: string): Promise<boolean>;
  setPolicy(name: string, policy: string | null): Promise<void>;
  setNotification(name: string, notification: string | null): Promise<void>;
  /** Creates or replaces an object. */
  putObject(o: S3ObjectWithBody, deliveries?: WriteDeliveries<S3ObjectRecord>): Promise<void>;
  head(bucket: string, key: string): Promise<S3ObjectRecord | undefined>;
  /** The object with its bytes, or the `length` bytes from `start` (a Range). */
  get(bucket: string, key: string, range?: { start: number; length: number }): Promise<S3ObjectWithBody | undefined>;
  /** Deletes an object; the deliveries are built only when an object was deleted. Resolves with the deleted object. */
  deleteObject(
    bucket: string,
    key: string,
    deliveries?: WriteDeliveries<S3ObjectRecord>,
  ): Promise<S3ObjectRecord | undefined>;
  /** Objects with key > after (bytewise UTF-8 order) and key >= from, ascending, at most `limit`. Without bodies. */
  list(bucket: string, after: string | undefined, from: string | undefined, limit: number): Promise<S3ObjectRecord[]>;
}

interface BucketRow {
  name: string;
  account: string;
  region: string;
  created_at: number | string;
  policy: string | null;
  notification: string | null;
}

interface ObjectRow {
  bucket: string;
  obj_key: Buffer | Uint8Array;
  size: number | string;
  etag: string;
  last_modified: number | string;
  meta: string;
  body?: Buffer | Uint8Array;
}

const toBucket = (r: BucketRow): S3BucketRecord => ({
  name: r.name,
  account: r.account,
  region: r.region,
  createdAt: Number(r.created_at),
  policy: r.policy,
  notification: r.notification,
});

const buf = (b: Buffer | Uint8Array): Buffer =>
  Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);

function toObject(r: ObjectRow): S3ObjectRecord {
  return {
    bucket: r.bucket,
    key: buf(r.obj_key).toString("utf8"),
    size: Number(r.size),
    etag: r.etag,
    lastModified: Number(r.last_modified),
    meta: JSON.parse(r.meta) as S3ObjectMeta,
  };
}

const keyBytes = (k: string) => Buffer.from(k, "utf8");

const OBJ_COLS = "bucket, obj_key, size, etag, last_modified, meta";

export function createS3Store(db: Database): S3Store {
  return db.dialect === "sqlite" ? sqliteStore(db.sqlite) : postgresStore(db.pool);
}

function sqliteStore(s: BetterSqlite3.Database): S3Store {
  const st = {
    insertBucket: s.prepare(
      "INSERT INTO s3_buckets (name, account, region, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
    ),
    bucket: s.prepare("SELECT * FROM s3_buckets WHERE name = ?"),
    listBuckets: s.prepare("SELECT * FROM s3_buckets WHERE account = ? ORDER BY name"),
    anyObject: s.prepare("SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1").pluck(),
    deleteBucket: s.prepare("DELETE FROM s3_buckets WHERE name = ?"),
    setPolicy: s.prepare("UPDATE s3_buckets SET policy = ? WHERE name = ?"),
    setNotification: s.prepare("UPDATE s3_buckets SET notification = ? WHERE name = ?"),
    upsert: s.prepare(
      `INSERT INTO s3_objects (${OBJ_COLS}, body) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (bucket, obj_key) DO UPDATE SET size = excluded.size, etag = excluded.etag,
       last_modified = excluded.last_modified, meta = excluded.meta, body = excluded.body`,
    ),
    head: s.prepare(`SELECT ${OBJ_COLS} FROM s3_objects WHERE bucket = ? AND obj_key = ?`),
    get: s.prepare(`SELECT ${OBJ_COLS}, body FROM s3_objects WHERE bucket = ? AND obj_key = ?`),
    getRange: s.prepare(
      `SELECT ${OBJ_COLS}, substr(body, ?, ?) AS body FROM s3_objects WHERE bucket = ? AND obj_key = ?`,
    ),
    delete: s.prepare(`DELETE FROM s3_objects WHERE bucket = ? AND obj_key = ? RETURNING ${OBJ_COLS}`),
    list: s.prepare(
      `SELECT ${OBJ_COLS} FROM s3_objects WHERE bucket = ? AND obj_key > ? AND obj_key >= ? ORDER BY obj_key LIMIT ?`,
    ),
  };
  const EMPTY = Buffer.alloc(0);
  return {
    async createBucket(b) {
      const r = st.insertBucket.run(b.name, b.account, b.region, b.createdAt);
      if (r.changes === 1) return { created: true };
      return { created: false, existing: toBucket(st.bucket.get(b.name) as BucketRow) };
    },
    async bucket(name) {
      const r = st.bucket.get(name) as BucketRow | undefined;
      return r && toBucket(r);
    },
    async listBuckets(account) {
      return (st.listBuckets.all(account) as BucketRow[]).map(toBucket);
    },
    async deleteBucket(name) {
      return s.transaction(() => {
        if (st.anyObject.get(name)) return false;
        st.deleteBucket.run(name);
        return true;
      })();
    },
    async setPolicy(name, policy) {
      st.setPolicy.run(policy, name);
    },
    async setNotification(name, n) {
      st.setNotification.run(n, name);
    },
    async putObject(o, deliveries) {
      s.transaction(() => {
        st.upsert.run(o.bucket, keyBytes(o.key), o.size, o.etag, o.lastModified, JSON.stringify(o.meta), o.body);
        if (deliveries) {
          const items = deliveries.build(o);
          if (items.length) deliveries.engine.enqueueWith({ sqlite: s }, items);
        }
      })();
    },
    async head(bucket, key) {
      const r = st.head.get(bucket, keyBytes(key)) as ObjectRow | undefined;
      return r && toObject(r);
    },
    async get(bucket, key, range) {
      const r = (
        range
          ? st.getRange.get(range.start + 1, range.length, bucket, keyBytes(key))
          : st.get.get(bucket, keyBytes(key))
      ) as ObjectRow | undefined;
      return r && { ...toObject(r), body: r.body ? buf(r.body) : EMPTY };
    },
    async deleteObject(bucket, key, deliveries) {
      return s.transaction(() => {
        const r = st.delete.get(bucket, keyBytes(key)) as ObjectRow | undefined;
        if (!r) return undefined;
        const o = toObject(r);
        if (deliveries) {
          const items = deliveries.build(o);
          if (items.length) deliveries.engine.enqueueWith({ sqlite: s }, items);
        }
        return o;
      })();
    },
    async list(bucket, after, from, limit) {
      const rows = st.list.all(bucket, keyBytes(after ?? ""), keyBytes(from ?? ""), limit) as ObjectRow[];
      // obj_key > '' also excludes nothing: S3 keys are never empty.
      return rows.map(toObject);
    },
  };
}

function postgresStore(pool: pg.Pool): S3Store {
  async function tx<T>(fn: (c: pg.PoolClient) => Promise<T>, engine?: DeliveryEngine): Promise<T> {
    const c = await pool.connect();
    try {
      await c.query("BEGIN");
      try {
        const out = await fn(c);
        await c.query("COMMIT");
        engine?.wake();
        return out;
      } catch (e) {
        await c.query("ROLLBACK");
        throw e;
      }
    } finally {
      c.release();
    }
  }
  return {
    async createBucket(b) {
      const r = await pool.query(
        "INSERT INTO s3_buckets (name, account, region, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING",
        [b.name, b.account, b.region, b.createdAt],
      );
      if (r.rowCount === 1) return { created: true };
      const { rows } = await pool.query<BucketRow>("SELECT * FROM s3_buckets WHERE name = $1", [b.name]);
      return { created: false, existing: toBucket(rows[0]!) };
    },
    async bucket(name) {
      const { rows } = await pool.query<BucketRow>("SELECT * FROM s3_buckets WHERE name = $1", [name]);
      return rows[0] && toBucket(rows[0]);
    },
    async listBuckets(account) {
      const { rows } = await pool.query<BucketRow>(
        'SELECT * FROM s3_buckets WHERE account = $1 ORDER BY name COLLATE "C"',
        [account],
      );
      return rows.map(toBucket);
    },
    async deleteBucket(name) {
      return tx(async (c) => {
        // Locks the bucket row so a concurrent PutObject (which checks the bucket first) cannot slip in unseen.
        await c.query("SELECT 1 FROM s3_buckets WHERE name = $1 FOR UPDATE", [name]);
        const any = await c.query("SELECT 1 FROM s3_objects WHERE bucket = $1 LIMIT 1", [name]);
        if (any.rowCount) return false;
        await c.query("DELETE FROM s3_buckets WHERE name = $1", [name]);
        return true;
      });
    },
    async setPolicy(name, policy) {
      await pool.query("UPDATE s3_buckets SET policy = $1 WHERE name = $2", [policy, name]);
    },
    async setNotification(name, n) {
      await pool.query("UPDATE s3_buckets SET notification = $1 WHERE name = $2", [n, name]);
    },
    async putObject(o, deliveries) {
      await tx(async (c) => {
        await c.query(
          `INSERT INTO s3_objects (${OBJ_COLS}, body) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (bucket, obj_key) DO UPDATE SET size = excluded.size, etag = excluded.etag,
           last_modified = excluded.last_modified, meta = excluded.meta, body = excluded.body`,
          [o.bucket, keyBytes(o.key), o.size, o.etag, o.lastModified, JSON.stringify(o.meta), o.body],
        );
        if (deliveries) {
          const items = deliveries.build(o);
          if (items.length) await deliveries.engine.enqueueWith({ client: c }, items);
        }
      }, deliveries?.engine);
    },
    async head(bucket, key) {
      const { rows } = await pool.query<ObjectRow>(
        `SELECT ${OBJ_COLS} FROM s3_objects WHERE bucket = $1 AND obj_key = $2`,
        [bucket, keyBytes(key)],
      );
      return rows[0] && toObject(rows[0]);
    },
    async get(bucket, key, range) {
      const { rows } = range
        ? await pool.query<ObjectRow>(
            `SELECT ${OBJ_COLS}, substring(body from $3 for $4) AS body FROM s3_objects WHERE bucket = $1 AND obj_key = $2`,
            [bucket, keyBytes(key), range.start + 1, range.length],
          )
        : await pool.query<ObjectRow>(`SELECT ${OBJ_COLS}, body FROM s3_objects WHERE bucket = $1 AND obj_key = $2`, [
            bucket,
            keyBytes(key),
          ]);
      const r = rows[0];
      return r && { ...toObject(r), body: buf(r.body ?? Buffer.alloc(0)) };
    },
    async deleteObject(bucket, key, deliveries) {
      return tx(async (c) => {
        const { rows } = await c.query<ObjectRow>(
          `DELETE FROM s3_objects WHERE bucket = $1 AND obj_key = $2 RETURNING ${OBJ_COLS}`,
          [bucket, keyBytes(key)],
        );
        if (!rows[0]) return undefined;
        const o = toObject(rows[0]);
        if (deliveries) {
          const items = deliveries.build(o);
          if (items.length) await deliveries.engine.enqueueWith({ client: c }, items);
        }
        return o;
      }, deliveries?.engine);
    },
    async list(bucket, after, from, limit) {
      const { rows } = await pool.query<ObjectRow>(
        `SELECT ${OBJ_COLS} FROM s3_objects WHERE bucket = $1 AND obj_key > $2 AND obj_key >= $3 ORDER BY obj_key LIMIT $4`,
        [bucket, keyBytes(after ?? ""), keyBytes(from ?? ""), limit],
      );
      return rows.map(toObject);
    },
  };
}
