/**
 * CloudWatch Logs metadata: log groups, log streams and account resource policies (tables of migration 0002),
 * scoped by account and region. One implementation over both dialects through kysely. Every write is a single
 * statement (atomic on its own, so no kysely transaction is ever held across an await on SQLite) or, where a write
 * depends on what it read (tags, the policy quota), a compare-and-set retried on conflict; PostgreSQL additionally
 * serializes the policy quota check with a transaction-scoped advisory lock. Events live in log_chunks (0003), which
 * cascade from log_streams, which cascade from log_groups: deleting a group or stream deletes its events in the
 * same statement.
 *
 * Names sort and compare by code point ("ASCII-sorted", as DescribeLogGroups documents): SQLite's BINARY collation
 * does that for UTF-8 text, and so does a PostgreSQL database whose collation is C, POSIX or C.UTF-8 (libc). On any
 * other PostgreSQL collation the comparisons say COLLATE "C", which is correct but cannot use the name indexes.
 */
import { sql, type ColumnType, type Expression, type Kysely, type Selectable, type SqlBool } from "kysely";
import { retryPgConflicts, type Database } from "./db.js";

/** pg returns BIGINT as a string; better-sqlite3 as a number. */
type BigIntColumn = ColumnType<number | string, number, number>;
type NullableBigInt = ColumnType<number | string | null, number | null | undefined, number | null>;
type Serial = ColumnType<number | string, never, never>;

export type LogsTables = {
  log_groups: {
    id: Serial;
    account: string;
    region: string;
    name: string;
    creation_time: BigIntColumn;
    retention_days: ColumnType<number | null, number | null | undefined, number | null>;
    kms_key_id: ColumnType<string | null, string | null | undefined, string | null>;
    log_group_class: ColumnType<string, string | undefined, string>;
    deletion_protection: ColumnType<number, number | undefined, number>;
    stored_bytes: ColumnType<number | string, number | undefined, number>;
    /** JSON object of the group's tags. */
    tags: ColumnType<string, string | undefined, string>;
  };
  log_streams: {
    id: Serial;
    group_id: BigIntColumn;
    name: string;
    creation_time: BigIntColumn;
    first_event_ts: NullableBigInt;
    last_event_ts: NullableBigInt;
    last_ingestion_time: NullableBigInt;
    stored_bytes: ColumnType<number | string, number | undefined, number>;
  };
  log_resource_policies: {
    account: string;
    region: string;
    name: string;
    document: string;
    last_updated: BigIntColumn;
  };
};

export interface LogsScope {
  account: string;
  region: string;
}

export type LogGroupClass = "STANDARD" | "INFREQUENT_ACCESS" | "DELIVERY";

export interface LogGroupRecord {
  id: number;
  name: string;
  /** Milliseconds since the epoch. */
  creationTime: number;
  retentionInDays: number | null;
  kmsKeyId: string | null;
  logGroupClass: LogGroupClass;
  deletionProtection: boolean;
  /** Kept by the event path (log_chunks) in the transaction that stores or expires a chunk. */
  storedBytes: number;
  tags: Record<string, string>;
}

export interface NewLogGroup {
  name: string;
  creationTime: number;
  kmsKeyId?: string;
  logGroupClass?: LogGroupClass;
  deletionProtection?: boolean;
  tags?: Record<string, string>;
}

/** What updateGroup may change; members left out keep their value. */
export interface LogGroupChanges {
  retentionInDays?: number | null;
  kmsKeyId?: string | null;
  deletionProtection?: boolean;
  tags?: Record<string, string>;
}

export interface LogStreamRecord {
  id: number;
  groupId: number;
  name: string;
  creationTime: number;
  /** null until the stream has events. */
  firstEventTimestamp: number | null;
  lastEventTimestamp: number | null;
  lastIngestionTime: number | null;
  storedBytes: number;
}

export interface LogGroupQuery {
  /** Names starting with it. */
  prefix?: string;
  /** Names containing it (case-sensitive). */
  contains?: string;
  /** Only these names. */
  names?: readonly string[];
  logGroupClass?: LogGroupClass;
  /** Resume after this name (exclusive). */
  after?: string;
  limit: number;
}

export type LogStreamOrder = "LogStreamName" | "LastEventTime";

export interface LogStreamQuery {
  prefix?: string;
  orderBy: LogStreamOrder;
  descending: boolean;
  /** Resume after this stream (exclusive), in the query's order. */
  after?: { name: string; lastEventTimestamp: number | null };
  limit: number;
}

export interface ResourcePolicyRecord {
  name: string;
  document: string;
  lastUpdated: number;
}

export type CreateStreamResult =
  { status: "created"; stream: LogStreamRecord } | { status: "exists" } | { status: "noGroup" };

export type DeleteResult = "deleted" | "notFound" | "protected";
export type DeleteStreamResult = "deleted" | "noGroup" | "noStream" | "protected";

export interface LogsStore {
  /** Creates the group; undefined when a group of that name exists in the scope. */
  createGroup(scope: LogsScope, group: NewLogGroup): Promise<LogGroupRecord | undefined>;
  group(scope: LogsScope, name: string): Promise<LogGroupRecord | undefined>;
  /** Groups in name order (code points), after `q.after`, at most `q.limit`. */
  groups(scope: LogsScope, q: LogGroupQuery): Promise<LogGroupRecord[]>;
  /**
   * Applies `change` to the group atomically: `change` sees the current group and returns what to set; if the group
   * changed meanwhile, it runs again on the new state. It may throw to refuse (nothing is written). Resolves with the
   * updated group, or undefined when there is no such group.
   */
  updateGroup(
    scope: LogsScope,
    name: string,
    change: (group: LogGroupRecord) => LogGroupChanges,
  ): Promise<LogGroupRecord | undefined>;
  /** Deletes the group with its streams and their events, unless deletion protection is on. */
  deleteGroup(scope: LogsScope, name: string): Promise<DeleteResult>;

  createStream(scope: LogsScope, groupName: string, name: string, creationTime: number): Promise<CreateStreamResult>;
  /** The group and, if it exists, its stream of that name; undefined when the group does not exist. */
  stream(
    scope: LogsScope,
    groupName: string,
    name: string,
  ): Promise<{ group: LogGroupRecord; stream?: LogStreamRecord } | undefined>;
  /** The streams of a group in the query's order, after `q.after`, at most `q.limit`. */
  streams(groupId: number, q: LogStreamQuery): Promise<LogStreamRecord[]>;
  /** Deletes the stream with its events, unless its group has deletion protection on. */
  deleteStream(scope: LogsScope, groupName: string, name: string): Promise<DeleteStreamResult>;

  /**
   * Creates or replaces an account resource policy. Creating one when the scope already has `maxPolicies` fails with
   * "limit"; replacing an existing one never does.
   */
  putResourcePolicy(
    scope: LogsScope,
    policy: ResourcePolicyRecord,
    maxPolicies: number,
  ): Promise<ResourcePolicyRecord | "limit">;
  /** The scope's resource policies in name order. */
  resourcePolicies(scope: LogsScope): Promise<ResourcePolicyRecord[]>;
  deleteResourcePolicy(scope: LogsScope, name: string): Promise<boolean>;
}

type GroupRow = Selectable<LogsTables["log_groups"]>;
type StreamRow = Selectable<LogsTables["log_streams"]>;

const num = (v: number | string): number => Number(v);
const numOrNull = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toGroup(r: GroupRow): LogGroupRecord {
  return {
    id: num(r.id),
    name: r.name,
    creationTime: num(r.creation_time),
    retentionInDays: r.retention_days === null ? null : Number(r.retention_days),
    kmsKeyId: r.kms_key_id,
    logGroupClass: r.log_group_class as LogGroupClass,
    deletionProtection: Number(r.deletion_protection) === 1,
    storedBytes: num(r.stored_bytes),
    tags: JSON.parse(r.tags) as Record<string, string>,
  };
}

function toStream(r: StreamRow): LogStreamRecord {
  return {
    id: num(r.id),
    groupId: num(r.group_id),
    name: r.name,
    creationTime: num(r.creation_time),
    firstEventTimestamp: numOrNull(r.first_event_ts),
    lastEventTimestamp: numOrNull(r.last_event_ts),
    lastIngestionTime: numOrNull(r.last_ingestion_time),
    storedBytes: num(r.stored_bytes),
  };
}

/**
 * The least string greater than every string that starts with `prefix` (code-point order), or undefined when there
 * is none (the prefix ends in U+10FFFF). With it a prefix filter is one index range: name >= prefix AND name < bound.
 */
export function prefixBound(prefix: string): string | undefined {
  const chars = [...prefix];
  const last = chars.pop();
  if (last === undefined) return undefined;
  let cp = last.codePointAt(0)! + 1;
  if (cp === 0xd800) cp = 0xe000; // surrogate code points cannot be characters of a string
  if (cp > 0x10ffff) return undefined;
  return chars.join("") + String.fromCodePoint(cp);
}

/** Tags compare as canonical JSON (keys in code-point order), so equal maps are equal text. */
export const canonicalTags = (tags: Record<string, string>): string =>
  JSON.stringify(
    Object.fromEntries(
      Object.keys(tags)
        .sort()
        .map((k) => [k, tags[k]!]),
    ),
  );

const MAX_CAS_ATTEMPTS = 50;

/** PostgreSQL libc locales whose order is the code-point order of UTF-8 text. */
const CODE_POINT_LOCALES = new Set(["C", "POSIX", "C.UTF-8", "C.utf8"]);

/** A bound value with its SQL type spelled out: PostgreSQL cannot infer parameter types in INSERT ... SELECT. */
const typed = <T extends string | number>(value: T, type: "text" | "bigint") =>
  sql<T>`cast(${value} as ${sql.raw(type)})`;

export function createLogsStore(db: Database): LogsStore {
  const k = db.kysely.withTables<LogsTables>();
  const pg = db.dialect === "postgres";
  let codePointDefault: Promise<boolean> | undefined;
  /** Whether the database's own collation already orders text by code point (asked once). */
  const defaultIsCodePoint = () =>
    (codePointDefault ??= pg
      ? sql<{ collate: string; provider: string | null }>`SELECT datcollate AS collate,
          to_jsonb(d) ->> 'datlocprovider' AS provider FROM pg_database d WHERE datname = current_database()`
          .execute(k)
          .then(({ rows: [r] }) => !!r && CODE_POINT_LOCALES.has(r.collate) && (r.provider ?? "c") === "c")
          .catch((e: unknown) => {
            codePointDefault = undefined; // ask again next time
            throw e;
          })
      : Promise.resolve(true));
  /** A name column that compares and sorts by code point. */
  const byCodePoint = async (column: string): Promise<Expression<string>> =>
    (await defaultIsCodePoint()) ? sql<string>`${sql.ref(column)}` : sql<string>`${sql.ref(column)} COLLATE "C"`;
  const contains = (column: string, needle: string): Expression<SqlBool> =>
    pg
      ? sql<SqlBool>`strpos(${sql.ref(column)}, ${needle}) > 0`
      : sql<SqlBool>`instr(${sql.ref(column)}, ${needle}) > 0`;

  const groupQuery = (scope: LogsScope) =>
    k.selectFrom("log_groups").selectAll().where("account", "=", scope.account).where("region", "=", scope.region);

  const findGroup = async (scope: LogsScope, name: string) => {
    const r = await groupQuery(scope).where("name", "=", name).executeTakeFirst();
    return r && toGroup(r);
  };

  return {
    async createGroup(scope, g) {
      const row = await k
        .insertInto("log_groups")
        .values({
          account: scope.account,
          region: scope.region,
          name: g.name,
          creation_time: g.creationTime,
          kms_key_id: g.kmsKeyId ?? null,
          log_group_class: g.logGroupClass ?? "STANDARD",
          deletion_protection: g.deletionProtection ? 1 : 0,
          tags: canonicalTags(g.tags ?? {}),
        })
        .onConflict((oc) => oc.columns(["account", "region", "name"]).doNothing())
        .returningAll()
        .executeTakeFirst();
      return row && toGroup(row);
    },

    group: findGroup,

    async groups(scope, q) {
      if (q.limit <= 0 || q.names?.length === 0) return [];
      const name = await byCodePoint("name");
      const bound = q.prefix === undefined ? undefined : prefixBound(q.prefix);
      const rows = await groupQuery(scope)
        .$if(q.prefix !== undefined, (b) => b.where(name, ">=", q.prefix!))
        .$if(bound !== undefined, (b) => b.where(name, "<", bound!))
        .$if(q.prefix !== undefined && bound === undefined, (b) =>
          b.where(sql<SqlBool>`substr(name, 1, ${[...q.prefix!].length}) = ${q.prefix!}`),
        )
        .$if(q.contains !== undefined && q.contains !== "", (b) => b.where(contains("name", q.contains!)))
        .$if(q.names !== undefined, (b) => b.where("name", "in", q.names!))
        .$if(q.logGroupClass !== undefined, (b) => b.where("log_group_class", "=", q.logGroupClass!))
        .$if(q.after !== undefined, (b) => b.where(name, ">", q.after!))
        .orderBy(name)
        .limit(q.limit)
        .execute();
      return rows.map(toGroup);
    },

    async updateGroup(scope, groupName, change) {
      for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
        const current = await findGroup(scope, groupName);
        if (!current) return undefined;
        const c = change(current);
        const next: LogGroupRecord = {
          ...current,
          ...(c.retentionInDays !== undefined && { retentionInDays: c.retentionInDays }),
          ...(c.kmsKeyId !== undefined && { kmsKeyId: c.kmsKeyId }),
          ...(c.deletionProtection !== undefined && { deletionProtection: c.deletionProtection }),
          ...(c.tags !== undefined && { tags: c.tags }),
        };
        // Compare-and-set on every column the change could have read, so a concurrent update makes this one retry.
        const r = await k
          .updateTable("log_groups")
          .set({
            retention_days: next.retentionInDays,
            kms_key_id: next.kmsKeyId,
            deletion_protection: next.deletionProtection ? 1 : 0,
            tags: canonicalTags(next.tags),
          })
          .where("id", "=", current.id)
          .where((eb) =>
            eb.and([
              current.retentionInDays === null
                ? eb("retention_days", "is", null)
                : eb("retention_days", "=", current.retentionInDays),
              current.kmsKeyId === null ? eb("kms_key_id", "is", null) : eb("kms_key_id", "=", current.kmsKeyId),
              eb("deletion_protection", "=", current.deletionProtection ? 1 : 0),
              eb("tags", "=", canonicalTags(current.tags)),
            ]),
          )
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 1) return next;
      }
      throw new Error(`logs store: log group ${groupName} kept changing; update abandoned`);
    },

    async deleteGroup(scope, name) {
      for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
        const r = await retryPgConflicts(() =>
          k
            .deleteFrom("log_groups")
            .where("account", "=", scope.account)
            .where("region", "=", scope.region)
            .where("name", "=", name)
            .where("deletion_protection", "=", 0)
            .executeTakeFirst(),
        );
        if (Number(r.numDeletedRows) === 1) return "deleted";
        const g = await findGroup(scope, name);
        if (!g) return "notFound";
        if (g.deletionProtection) return "protected";
        // Created or unprotected between the two statements: try again.
      }
      throw new Error(`logs store: log group ${name} kept changing; delete abandoned`);
    },

    async createStream(scope, groupName, name, creationTime) {
      const row = await k
        .insertInto("log_streams")
        .columns(["group_id", "name", "creation_time"])
        .expression(
          k
            .selectFrom("log_groups")
            .select(["id", typed(name, "text").as("name"), typed(creationTime, "bigint").as("creation_time")])
            .where("account", "=", scope.account)
            .where("region", "=", scope.region)
            .where("name", "=", groupName),
        )
        .onConflict((oc) => oc.columns(["group_id", "name"]).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (row) return { status: "created", stream: toStream(row) };
      return (await findGroup(scope, groupName)) ? { status: "exists" } : { status: "noGroup" };
    },

    async stream(scope, groupName, name) {
      const group = await findGroup(scope, groupName);
      if (!group) return undefined;
      const row = await k
        .selectFrom("log_streams")
        .selectAll()
        .where("group_id", "=", group.id)
        .where("name", "=", name)
        .executeTakeFirst();
      return row ? { group, stream: toStream(row) } : { group };
    },

    async streams(groupId, q) {
      if (q.limit <= 0) return [];
      const name = await byCodePoint("name");
      const desc = q.descending;
      const bound = q.prefix === undefined ? undefined : prefixBound(q.prefix);
      let b = k.selectFrom("log_streams").selectAll().where("group_id", "=", groupId);
      if (q.prefix !== undefined) {
        b = b.where(name, ">=", q.prefix);
        b =
          bound !== undefined
            ? b.where(name, "<", bound)
            : b.where(sql<SqlBool>`substr(name, 1, ${[...q.prefix].length}) = ${q.prefix}`);
      }
      if (q.orderBy === "LogStreamName") {
        if (q.after) b = b.where(name, desc ? "<" : ">", q.after.name);
        b = b.orderBy(name, desc ? "desc" : "asc");
      } else {
        // Streams without events (last_event_ts null) sort before every stream with events, as the smallest time.
        const after = q.after;
        if (after) {
          const t = after.lastEventTimestamp;
          b = b.where((eb) => {
            const sameTime = t === null ? eb("last_event_ts", "is", null) : eb("last_event_ts", "=", t);
            const tie = eb.and([sameTime, eb(name, desc ? "<" : ">", after.name)]);
            if (!desc)
              return eb.or([tie, t === null ? eb("last_event_ts", "is not", null) : eb("last_event_ts", ">", t)]);
            return t === null ? tie : eb.or([tie, eb("last_event_ts", "<", t), eb("last_event_ts", "is", null)]);
          });
        }
        b = b
          .orderBy("last_event_ts", (ob) => (desc ? ob.desc().nullsLast() : ob.asc().nullsFirst()))
          .orderBy(name, desc ? "desc" : "asc");
      }
      const rows = await b.limit(q.limit).execute();
      return rows.map(toStream);
    },

    async deleteStream(scope, groupName, name) {
      const group = await findGroup(scope, groupName);
      if (!group) return "noGroup";
      if (group.deletionProtection) return "protected";
      const r = await retryPgConflicts(() =>
        k
          .deleteFrom("log_streams")
          .where("name", "=", name)
          // Re-checked in the statement: protection switched on since the read wins.
          .where("group_id", "in", (eb) =>
            eb.selectFrom("log_groups").select("id").where("id", "=", group.id).where("deletion_protection", "=", 0),
          )
          .executeTakeFirst(),
      );
      if (Number(r.numDeletedRows) === 1) return "deleted";
      const now = await findGroup(scope, groupName);
      if (!now || now.id !== group.id) return "noGroup";
      return now.deletionProtection ? "protected" : "noStream";
    },

    async putResourcePolicy(scope, p, maxPolicies) {
      const put = async (t: Kysely<LogsTables>): Promise<ResourcePolicyRecord | "limit" | "conflict"> => {
        const updated = await t
          .updateTable("log_resource_policies")
          .set({ document: p.document, last_updated: p.lastUpdated })
          .where("account", "=", scope.account)
          .where("region", "=", scope.region)
          .where("name", "=", p.name)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 1) return p;
        // Inserted only while the scope is under its quota: the count and the insert are one statement.
        const inserted = await t
          .insertInto("log_resource_policies")
          .columns(["account", "region", "name", "document", "last_updated"])
          .expression(
            t
              .selectNoFrom([
                typed(scope.account, "text").as("account"),
                typed(scope.region, "text").as("region"),
                typed(p.name, "text").as("name"),
                typed(p.document, "text").as("document"),
                typed(p.lastUpdated, "bigint").as("last_updated"),
              ])
              .where(
                (w) =>
                  w
                    .selectFrom("log_resource_policies")
                    .select((s) => s.fn.countAll().as("n"))
                    .where("account", "=", scope.account)
                    .where("region", "=", scope.region),
                "<",
                maxPolicies,
              ),
          )
          .onConflict((oc) => oc.columns(["account", "region", "name"]).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return p;
        const exists = await t
          .selectFrom("log_resource_policies")
          .select("name")
          .where("account", "=", scope.account)
          .where("region", "=", scope.region)
          .where("name", "=", p.name)
          .executeTakeFirst();
        return exists ? "conflict" : "limit";
      };
      for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
        let r: ResourcePolicyRecord | "limit" | "conflict";
        if (pg) {
          // Under READ COMMITTED two inserts could both see the scope under quota; one lock per scope serializes them.
          r = await k.transaction().execute(async (t) => {
            await sql`SELECT pg_advisory_xact_lock(hashtext(${`logs-policies:${scope.account}:${scope.region}`}))`.execute(
              t,
            );
            return put(t);
          });
        } else {
          r = await put(k);
        }
        if (r !== "conflict") return r;
      }
      throw new Error(`logs store: resource policy ${p.name} kept changing; put abandoned`);
    },

    async resourcePolicies(scope) {
      const rows = await k
        .selectFrom("log_resource_policies")
        .selectAll()
        .where("account", "=", scope.account)
        .where("region", "=", scope.region)
        .orderBy(await byCodePoint("name"))
        .execute();
      return rows.map((r) => ({ name: r.name, document: r.document, lastUpdated: num(r.last_updated) }));
    },

    async deleteResourcePolicy(scope, name) {
      const r = await k
        .deleteFrom("log_resource_policies")
        .where("account", "=", scope.account)
        .where("region", "=", scope.region)
        .where("name", "=", name)
        .executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
  };
}
