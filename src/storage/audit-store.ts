/**
 * CloudTrail event history: the store behind LookupEvents and the audit recorder.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 * Reads and deletes go through kysely for both dialects; the append, called for every API call, uses
 * a prepared statement per row in one transaction on SQLite and one constant, prepared statement per
 * batch on PostgreSQL.
 */
import { createHash } from "node:crypto";
import { sql, type ColumnType, type Kysely, type Selectable } from "kysely";
import type { Database, PostgresDatabase, SqliteDatabase } from "./db.js";
import type { AuditQuery, AuditRow, AuditStore, LookupAttributeKey } from "./types.js";

/** pg returns BIGINT as a string; better-sqlite3 as a number. */
type BigIntColumn = ColumnType<number | string, number, number>;

export type AuditTables = {
  audit_events: {
    /** Assigned by the database. */
    seq: ColumnType<number | string, never, never>;
    event_id: string;
    account: string;
    region: string;
    event_time: BigIntColumn;
    event_name: string;
    event_source: string;
    read_only: number;
    username: string | null;
    access_key_id: string | null;
    event_category: string;
    resources: string;
    record: string;
  };
  audit_resources: {
    seq: BigIntColumn;
    /** "ResourceType" | "ResourceName" */
    attribute: string;
    value: string;
    account: string;
    region: string;
    event_category: string;
    event_time: BigIntColumn;
  };
};

type EventRow = Selectable<AuditTables["audit_events"]>;

/** Thrown for a cursor this store did not issue for this query; the handler answers InvalidNextTokenException. */
export class InvalidCursorError extends Error {
  readonly code = "InvalidNextToken";
  constructor() {
    super("A token that is not valid, or a token that was previously used in a request with different parameters.");
    this.name = "InvalidCursorError";
  }
}

const COLUMN: Record<Exclude<LookupAttributeKey, "ResourceType" | "ResourceName">, keyof EventRow> = {
  EventId: "event_id",
  EventName: "event_name",
  ReadOnly: "read_only",
  Username: "username",
  EventSource: "event_source",
  AccessKeyId: "access_key_id",
};

export function createAuditStore(db: Database): AuditStore {
  const k = db.kysely.withTables<AuditTables>();
  const append = db.dialect === "sqlite" ? sqliteAppend(db) : postgresAppend(db);
  return {
    append: async (rows) => {
      if (rows.length > 0) await append(rows);
    },

    async query(q) {
      const limit = Math.max(0, Math.floor(q.limit));
      const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, q);
      if (limit === 0 || q.startTime > q.endTime) return { rows: [] };
      // One row more than the page tells whether another page follows.
      let found: EventRow[] = [];
      for (const slice of lookupSlices(q, after)) {
        const query = lookupQuery(k, q, slice, limit + 1 - found.length);
        if (query) found = found.concat(await query.execute());
        if (found.length > limit) break;
      }
      const rows = found.slice(0, limit).map(toAuditRow);
      if (found.length <= limit) return { rows };
      const last = found[limit - 1];
      return { rows, cursor: encodeCursor(Number(last.event_time), Number(last.seq), q) };
    },

    async deleteBefore(time) {
      // audit_resources rows go with their event (ON DELETE CASCADE).
      const r = await k.deleteFrom("audit_events").where("event_time", "<", time).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

/**
 * The lookup indexes leave data events out (migration 0012). This literal predicate, redundant with the category
 * equality, is what lets SQLite and PostgreSQL use those partial indexes: both need the index's condition written
 * in the query (a bound parameter proves nothing).
 */
export const NOT_DATA = sql<boolean>`event_category <> 'Data'`;
const NOT_DATA_R = sql<boolean>`r.event_category <> 'Data'`;

/** Part of the time range, newest first: up to an instant, or the rows of one instant below a seq. */
export type Slice = { maxTime: number; exclusive?: boolean } | { time: number; seqBelow: number };

/**
 * The slices a page reads, in order. Resuming after (event_time, seq) is "event_time = t AND seq < s", then
 * "event_time < t": each is a range of one index. The row value (event_time, seq) < (t, s) would be one query,
 * but SQLite bounds its index scan by event_time alone when seq is the rowid, and so would re-read, on every
 * page, the rows of earlier pages that share the cursor's event_time.
 */
export function lookupSlices(q: AuditQuery, after: { eventTime: number; seq: number } | undefined): Slice[] {
  // A cursor past EndTime (a later call narrowed it) bounds nothing.
  if (!after || after.eventTime > q.endTime) return [{ maxTime: q.endTime }];
  return [
    { time: after.eventTime, seqBelow: after.seq },
    { maxTime: after.eventTime, exclusive: true },
  ];
}

/** The LookupEvents query over one slice, newest first; undefined when nothing can match. */
export function lookupQuery(k: Kysely<AuditTables>, q: AuditQuery, slice: Slice, fetch: number) {
  const key = q.attribute?.key;
  if (key === "ResourceType" || key === "ResourceName") {
    return k
      .selectFrom("audit_resources as r")
      .innerJoin("audit_events as e", "e.seq", "r.seq")
      .selectAll("e")
      .where("r.account", "=", q.account)
      .where("r.region", "=", q.region)
      .where("r.event_category", "=", q.eventCategory)
      .where(NOT_DATA_R)
      .where("r.attribute", "=", key)
      .where("r.value", "=", q.attribute!.value)
      .where("r.event_time", ">=", q.startTime)
      .$call((b) =>
        "time" in slice
          ? b.where("r.event_time", "=", slice.time).where("r.seq", "<", slice.seqBelow)
          : b.where("r.event_time", slice.exclusive ? "<" : "<=", slice.maxTime),
      )
      .orderBy("r.event_time", "desc")
      .orderBy("r.seq", "desc")
      .limit(fetch);
  }
  let value: string | number | undefined = q.attribute?.value;
  if (key === "ReadOnly") {
    if (value !== "true" && value !== "false") return undefined;
    value = value === "true" ? 1 : 0;
  }
  return k
    .selectFrom("audit_events")
    .selectAll()
    .where("account", "=", q.account)
    .where("region", "=", q.region)
    .where("event_category", "=", q.eventCategory)
    .where(NOT_DATA)
    .$if(key !== undefined, (b) => b.where(COLUMN[key as keyof typeof COLUMN], "=", value!))
    .where("event_time", ">=", q.startTime)
    .$call((b) =>
      "time" in slice
        ? b.where("event_time", "=", slice.time).where("seq", "<", slice.seqBelow)
        : b.where("event_time", slice.exclusive ? "<" : "<=", slice.maxTime),
    )
    .orderBy("event_time", "desc")
    .orderBy("seq", "desc")
    .limit(fetch);
}

function toAuditRow(r: EventRow): AuditRow {
  return {
    eventId: r.event_id,
    account: r.account,
    region: r.region,
    eventTime: Number(r.event_time),
    eventName: r.event_name,
    eventSource: r.event_source,
    readOnly: r.read_only === 1,
    username: r.username,
    accessKeyId: r.access_key_id,
    eventCategory: r.event_category,
    resources: JSON.parse(r.resources) as AuditRow["resources"],
    record: r.record,
  };
}

/**
 * One lookup row per distinct (attribute, value) of the event's resources. A name holding U+0000 (an S3 key may)
 * gets no lookup row on either dialect: PostgreSQL text cannot store it, and the record itself keeps it escaped.
 */
function lookupValues(row: AuditRow): [attribute: string, value: string][] {
  // LookupEvents never lists data events, so they need no lookup rows.
  if (row.eventCategory === "Data") return [];
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (const r of row.resources) {
    for (const pair of [
      ["ResourceType", r.type],
      ["ResourceName", r.name],
    ] as [string, string][]) {
      const id = `${pair[0]}\0${pair[1]}`;
      if (!seen.has(id) && !pair[1].includes("\0")) {
        seen.add(id);
        out.push(pair);
      }
    }
  }
  return out;
}

/** The audit_events columns of a row, in the order both dialects' inserts list them. */
const eventValues = (r: AuditRow) =>
  [
    r.eventId,
    r.account,
    r.region,
    r.eventTime,
    r.eventName,
    r.eventSource,
    r.readOnly ? 1 : 0,
    r.username,
    r.accessKeyId,
    r.eventCategory,
    JSON.stringify(r.resources),
    r.record,
  ] as const;

function sqliteAppend(db: SqliteDatabase): (rows: AuditRow[]) => Promise<void> {
  const s = db.sqlite;
  const insertEvent = s.prepare(
    `INSERT INTO audit_events (event_id, account, region, event_time, event_name, event_source, read_only,
       username, access_key_id, event_category, resources, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertResource = s.prepare(
    `INSERT INTO audit_resources (seq, attribute, value, account, region, event_category, event_time)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const tx = s.transaction((rows: AuditRow[]) => {
    for (const r of rows) {
      const { lastInsertRowid: seq } = insertEvent.run(...eventValues(r));
      for (const [attribute, value] of lookupValues(r))
        insertResource.run(seq, attribute, value, r.account, r.region, r.eventCategory, r.eventTime);
    }
  });
  // better-sqlite3 is synchronous: the transaction has committed when tx returns.
  return async (rows) => tx(rows);
}

/**
 * One statement per batch, whatever its size: the rows travel as one array per column and the events'
 * seqs flow into the resources insert through a data-modifying CTE. A single statement is its own
 * transaction, the text never changes (so it is prepared once per connection) and it costs one round trip.
 */
const PG_APPEND = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::smallint[],
                       $8::text[], $9::text[], $10::text[], $11::text[], $12::text[]) WITH ORDINALITY
    AS t(event_id, account, region, event_time, event_name, event_source, read_only,
         username, access_key_id, event_category, resources, record, ord)
), ins AS (
  INSERT INTO audit_events (event_id, account, region, event_time, event_name, event_source, read_only,
                            username, access_key_id, event_category, resources, record)
  SELECT event_id, account, region, event_time, event_name, event_source, read_only,
         username, access_key_id, event_category, resources, record
  FROM input ORDER BY ord
  RETURNING seq, event_id, account, region, event_category, event_time
)
INSERT INTO audit_resources (seq, attribute, value, account, region, event_category, event_time)
SELECT ins.seq, r.attribute, r.value, ins.account, ins.region, ins.event_category, ins.event_time
FROM ins JOIN unnest($13::text[], $14::text[], $15::text[]) AS r(event_id, attribute, value) USING (event_id)`;

function postgresAppend(db: PostgresDatabase): (rows: AuditRow[]) => Promise<void> {
  return async (rows) => {
    const cols: unknown[][] = Array.from({ length: 15 }, () => []);
    for (const r of rows) {
      eventValues(r).forEach((v, i) => cols[i]!.push(v));
      for (const [attribute, value] of lookupValues(r)) {
        cols[12].push(r.eventId);
        cols[13].push(attribute);
        cols[14].push(value);
      }
    }
    await db.pool.query({ name: "vigil_audit_append", text: PG_APPEND, values: cols });
  };
}

/**
 * Cursor: base64url of "eventTime.seq.fingerprint", the fingerprint binding it to the query's scope and
 * attribute (AWS rejects a NextToken used with different parameters). Time bounds are left out so that a
 * caller whose EndTime defaults to "now" can still page.
 */
function encodeCursor(eventTime: number, seq: number, q: AuditQuery): string {
  return Buffer.from(`${eventTime}.${seq}.${fingerprint(q)}`).toString("base64url");
}

function decodeCursor(cursor: string, q: AuditQuery): { eventTime: number; seq: number } {
  const m = /^(-?\d{1,16})\.(\d{1,16})\.([0-9a-f]{12})$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!m || m[3] !== fingerprint(q) || Buffer.from(m[0]).toString("base64url") !== cursor)
    throw new InvalidCursorError();
  const eventTime = Number(m[1]);
  const seq = Number(m[2]);
  if (!Number.isSafeInteger(eventTime) || !Number.isSafeInteger(seq)) throw new InvalidCursorError();
  return { eventTime, seq };
}

function fingerprint(q: AuditQuery): string {
  const parts = [q.account, q.region, q.eventCategory, q.attribute?.key ?? "", q.attribute?.value ?? ""];
  return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 12);
}
