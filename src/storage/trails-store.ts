/**
 * CloudTrail trails and their delivery state (migration 0010), plus the reads trail delivery makes of the audit
 * table: the committed records after a cursor, in commit (seq) order. Each write is one statement, so it is atomic
 * on both dialects without a transaction held across an await.
 */
import type { ColumnType, Selectable } from "kysely";
import type { Database } from "./db.js";
import { NOT_DATA, type AuditTables } from "./audit-store.js";

type BigIntColumn = ColumnType<number | string, number, number>;

type Tables = AuditTables & {
  ct_trails: {
    arn: string;
    account: string;
    region: string;
    name: string;
    multi_region: number;
    config: string;
    created_at: BigIntColumn;
  };
  ct_trail_state: { arn: string; logging: number; state: string };
};

/** A trail as stored: `config` is the trail's own JSON (see services/cloudtrail/trail.ts). */
export interface StoredTrail {
  arn: string;
  account: string;
  /** Home region. */
  region: string;
  name: string;
  multiRegion: boolean;
  config: string;
  createdAt: number;
}

/** One committed audit record, as trail delivery reads it. */
export interface AuditRecordRow {
  seq: number;
  account: string;
  region: string;
  eventTime: number;
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  eventCategory: string;
  /** The audit row's resources: the request members that name a resource (type and name). */
  resources: { type: string; name: string }[];
  record: string;
}

export interface TrailsStore {
  /** false when a trail with that ARN exists. */
  create(t: StoredTrail, state: string): Promise<boolean>;
  get(arn: string): Promise<StoredTrail | undefined>;
  /** Every trail of the account (all home regions), by name. */
  listAccount(account: string): Promise<StoredTrail[]>;
  /** Every trail (jobs). */
  listAll(): Promise<StoredTrail[]>;
  updateConfig(arn: string, config: string, multiRegion: boolean): Promise<boolean>;
  delete(arn: string): Promise<boolean>;
  getState(arn: string): Promise<{ logging: boolean; state: string } | undefined>;
  putState(arn: string, logging: boolean, state: string): Promise<void>;
  /** The highest committed audit seq (0 when none). */
  maxAuditSeq(): Promise<number>;
  /** Management records of an account (one region, or all when undefined) with from <= event_time < to (Insights), at most `limit`. */
  managementBetween(
    account: string,
    region: string | undefined,
    from: number,
    to: number,
    limit: number,
  ): Promise<AuditRecordRow[]>;
  /** Audit records with after < seq <= upTo, in seq order, at most `limit`. */
  auditAfter(after: number, upTo: number, limit: number): Promise<AuditRecordRow[]>;
}

const COLUMNS = [
  "seq",
  "account",
  "region",
  "event_time",
  "event_source",
  "event_name",
  "read_only",
  "event_category",
  "resources",
  "record",
] as const;

type AuditSelect = Pick<Selectable<Tables["audit_events"]>, (typeof COLUMNS)[number]>;

const toRecord = (r: AuditSelect): AuditRecordRow => ({
  seq: Number(r.seq),
  account: r.account,
  region: r.region,
  eventTime: Number(r.event_time),
  eventSource: r.event_source,
  eventName: r.event_name,
  readOnly: !!r.read_only,
  eventCategory: r.event_category,
  resources: JSON.parse(r.resources) as { type: string; name: string }[],
  record: r.record,
});

export function createTrailsStore(db: Database): TrailsStore {
  const k = db.kysely.withTables<Tables>();
  const toTrail = (r: Selectable<Tables["ct_trails"]>): StoredTrail => ({
    arn: r.arn,
    account: r.account,
    region: r.region,
    name: r.name,
    multiRegion: !!r.multi_region,
    config: r.config,
    createdAt: Number(r.created_at),
  });
  return {
    async create(t, state) {
      const r = await k
        .insertInto("ct_trails")
        .values({
          arn: t.arn,
          account: t.account,
          region: t.region,
          name: t.name,
          multi_region: t.multiRegion ? 1 : 0,
          config: t.config,
          created_at: t.createdAt,
        })
        .onConflict((oc) => oc.column("arn").doNothing())
        .returning("arn")
        .executeTakeFirst();
      if (!r) return false;
      await k
        .insertInto("ct_trail_state")
        .values({ arn: t.arn, logging: 0, state })
        .onConflict((oc) => oc.column("arn").doUpdateSet({ logging: 0, state }))
        .execute();
      return true;
    },
    async get(arn) {
      const r = await k.selectFrom("ct_trails").selectAll().where("arn", "=", arn).executeTakeFirst();
      return r ? toTrail(r) : undefined;
    },
    async listAccount(account) {
      const rows = await k.selectFrom("ct_trails").selectAll().where("account", "=", account).orderBy("name").execute();
      return rows.map(toTrail);
    },
    async listAll() {
      const rows = await k.selectFrom("ct_trails").selectAll().orderBy("arn").execute();
      return rows.map(toTrail);
    },
    async updateConfig(arn, config, multiRegion) {
      const r = await k
        .updateTable("ct_trails")
        .set({ config, multi_region: multiRegion ? 1 : 0 })
        .where("arn", "=", arn)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async delete(arn) {
      await k.deleteFrom("ct_trail_state").where("arn", "=", arn).execute();
      const r = await k.deleteFrom("ct_trails").where("arn", "=", arn).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async getState(arn) {
      const r = await k.selectFrom("ct_trail_state").selectAll().where("arn", "=", arn).executeTakeFirst();
      return r ? { logging: !!r.logging, state: r.state } : undefined;
    },
    async putState(arn, logging, state) {
      await k
        .updateTable("ct_trail_state")
        .set({ logging: logging ? 1 : 0, state })
        .where("arn", "=", arn)
        .execute();
    },
    async maxAuditSeq() {
      const r = await k
        .selectFrom("audit_events")
        .select((eb) => eb.fn.max("seq").as("m"))
        .executeTakeFirst();
      return Number(r?.m ?? 0);
    },
    async managementBetween(account, region, from, to, limit) {
      let q = k.selectFrom("audit_events").select(COLUMNS).where("account", "=", account);
      if (region !== undefined) q = q.where("region", "=", region);
      const rows = await q
        .where("event_category", "=", "Management")
        .where(NOT_DATA)
        .where("event_time", ">=", from)
        .where("event_time", "<", to)
        .limit(limit)
        .execute();
      return rows.map(toRecord);
    },
    async auditAfter(after, upTo, limit) {
      const rows = await k
        .selectFrom("audit_events")
        .select(COLUMNS)
        .where("seq", ">", after)
        .where("seq", "<=", upTo)
        .orderBy("seq")
        .limit(limit)
        .execute();
      return rows.map(toRecord);
    },
  };
}
