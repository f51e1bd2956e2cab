/**
 * CloudWatch alarms (migration 0011): metric and composite alarms, their history and anomaly detectors. One SQL text
 * per statement for both dialects (`?` placeholders, numbered for PostgreSQL); several writes commit together in one
 * transaction (synchronous on SQLite).
 */
import type BetterSqlite3 from "better-sqlite3";
import type { Database } from "./db.js";
import type { InTransaction } from "./delivery-store.js";

export type AlarmType = "MetricAlarm" | "CompositeAlarm";
export type AlarmStateValue = "OK" | "ALARM" | "INSUFFICIENT_DATA";

export interface AlarmRow {
  account: string;
  region: string;
  name: string;
  type: AlarmType;
  /** The alarm's configuration as PutMetricAlarm / PutCompositeAlarm received it (normalized), JSON. */
  config: string;
  actionsEnabled: boolean;
  stateValue: AlarmStateValue;
  stateReason: string;
  /** JSON text, as DescribeAlarms returns it. */
  stateReasonData: string | null;
  stateUpdatedAt: number;
  stateTransitionedAt: number;
  configUpdatedAt: number;
  /** The evaluator's own memory (composite suppression windows), JSON. */
  evalState: string | null;
  /** [{Key, Value}] JSON. */
  tags: string;
}

export interface NewHistoryItem {
  account: string;
  region: string;
  alarmName: string;
  alarmType: AlarmType;
  itemType: "ConfigurationUpdate" | "StateUpdate" | "Action";
  at: number;
  summary: string;
  /** JSON text. */
  data: string;
}

export interface HistoryItem extends NewHistoryItem {
  id: number;
}

export interface HistoryQuery {
  account: string;
  region: string;
  alarmName?: string;
  alarmTypes?: AlarmType[];
  itemType?: string;
  /** Inclusive bounds, epoch ms. */
  start?: number;
  end?: number;
  ascending: boolean;
  limit: number;
  /** Continue after this id (in the scan order). */
  after?: number;
}

export interface DetectorRow {
  account: string;
  region: string;
  key: string;
  /** The AnomalyDetector structure, JSON. */
  detector: string;
  createdAt: number;
}

/** One change the alarms layer commits atomically. */
export type AlarmWrite =
  | { op: "upsert"; row: AlarmRow }
  /** A state change only (the evaluator's hot path): the configuration is not rewritten. */
  | { op: "state"; row: AlarmRow }
  | { op: "delete"; account: string; region: string; name: string }
  | { op: "history"; item: NewHistoryItem };

export interface AlarmsStore {
  get(account: string, region: string, name: string): Promise<AlarmRow | undefined>;
  /** Every alarm of account/region, by name. */
  list(account: string, region: string): Promise<AlarmRow[]>;
  /** Whether account/region has composite alarms (most do not: the evaluator then skips settling them). */
  hasComposites(account: string, region: string): Promise<boolean>;
  /** Every alarm of every account and region (the evaluator's scan). */
  listAll(): Promise<AlarmRow[]>;
  /** Applies the writes in order in one transaction, then `within` in it; resolves after commit. */
  write(writes: readonly AlarmWrite[], within?: InTransaction): Promise<void>;
  history(q: HistoryQuery): Promise<HistoryItem[]>;
  /** Deletes history older than `before` (AWS keeps 30 days). */
  expireHistory(before: number): Promise<number>;
  putDetector(row: DetectorRow): Promise<void>;
  listDetectors(account: string, region: string): Promise<DetectorRow[]>;
  deleteDetector(account: string, region: string, key: string): Promise<boolean>;
}

type Params = (string | number | null)[];

const ALARM_COLUMNS =
  "account, region, name, alarm_type, config, actions_enabled, state_value, state_reason, state_reason_data, " +
  "state_updated_at, state_transitioned_at, config_updated_at, eval_state, tags";

const UPSERT =
  `INSERT INTO cw_alarms (${ALARM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ` +
  "ON CONFLICT (account, region, name) DO UPDATE SET alarm_type = excluded.alarm_type, config = excluded.config, " +
  "actions_enabled = excluded.actions_enabled, state_value = excluded.state_value, " +
  "state_reason = excluded.state_reason, state_reason_data = excluded.state_reason_data, " +
  "state_updated_at = excluded.state_updated_at, state_transitioned_at = excluded.state_transitioned_at, " +
  "config_updated_at = excluded.config_updated_at, eval_state = excluded.eval_state, tags = excluded.tags";

const numbered = (text: string) => {
  let i = 0;
  return text.replace(/\?/g, () => `$${++i}`);
};

function statement(w: Extract<AlarmWrite, { op: "upsert" | "delete" }>): [string, Params] {
  switch (w.op) {
    case "upsert": {
      const r = w.row;
      return [
        UPSERT,
        [
          r.account,
          r.region,
          r.name,
          r.type,
          r.config,
          r.actionsEnabled ? 1 : 0,
          r.stateValue,
          r.stateReason,
          r.stateReasonData,
          r.stateUpdatedAt,
          r.stateTransitionedAt,
          r.configUpdatedAt,
          r.evalState,
          r.tags,
        ],
      ];
    }
    case "delete":
      return ["DELETE FROM cw_alarms WHERE account = ? AND region = ? AND name = ?", [w.account, w.region, w.name]];
  }
}

/**
 * Rows per multi-row statement: on SQLite 64 x 9 parameters (its limit is 32,766); on PostgreSQL 1,024 x 9 (its limit
 * is 65,535; fewer round trips). Values go as parameters on both: arrays or JSON would have the driver escape every
 * history item's text once more.
 */
const BATCH_ROWS = { sqlite: 64, postgres: 1024 };

const STATE_COLUMNS = 9;
const HISTORY_COLUMNS = 8;

function stateParams(r: AlarmRow, into: Params): void {
  into.push(
    r.account,
    r.region,
    r.name,
    r.stateValue,
    r.stateReason,
    r.stateReasonData,
    r.stateUpdatedAt,
    r.stateTransitionedAt,
    r.evalState,
  );
}

function historyParams(h: NewHistoryItem, into: Params): void {
  into.push(h.account, h.region, h.alarmName, h.alarmType, h.itemType, h.at, h.summary, h.data);
}

/**
 * `n` rows of placeholders: `?` on SQLite; numbered on PostgreSQL, with the row's casts (a VALUES list outside an
 * INSERT gets its types from its values, and untyped parameters would be text).
 */
function rowsOf(dialect: Database["dialect"], n: number, casts: readonly string[]): string {
  if (dialect === "sqlite")
    return Array(n)
      .fill(`(${casts.map(() => "?").join(", ")})`)
      .join(", ");
  let i = 0;
  return Array.from({ length: n }, () => `(${casts.map((c) => `$${++i}${c}`).join(", ")})`).join(", ");
}

const STATE_CASTS = ["::text", "::text", "::text", "::text", "::text", "::text", "::bigint", "::bigint", "::text"];
const HISTORY_CASTS = Array<string>(HISTORY_COLUMNS).fill("");

/** State changes of `n` distinct alarms in one statement, params as stateParams lays them out. */
const statesText = (dialect: Database["dialect"], n: number) =>
  `WITH v(account, region, name, sv, sr, srd, su, st, es) AS (VALUES ${rowsOf(dialect, n, STATE_CASTS)}) ` +
  "UPDATE cw_alarms SET state_value = v.sv, state_reason = v.sr, state_reason_data = v.srd, " +
  "state_updated_at = v.su, state_transitioned_at = v.st, eval_state = v.es " +
  "FROM v WHERE cw_alarms.account = v.account AND cw_alarms.region = v.region AND cw_alarms.name = v.name";

/** `n` history items in one statement: ids are taken in the rows' order, as one insert per item took them. */
const historyText = (dialect: Database["dialect"], n: number) =>
  "INSERT INTO cw_alarm_history (account, region, alarm_name, alarm_type, item_type, at, summary, data) " +
  `VALUES ${rowsOf(dialect, n, HISTORY_CASTS)}`;

const batchTexts = new Map<string, string>();

/** The multi-row statements of a step, [text, params] per batch of rows; texts are built once per row count. */
function batches(dialect: Database["dialect"], step: Extract<Step, { kind: "states" | "history" }>) {
  const width = step.kind === "states" ? STATE_COLUMNS : HISTORY_COLUMNS;
  const out: [string, Params][] = [];
  let at = 0;
  for (const n of sizes(step.params.length / width, BATCH_ROWS[dialect])) {
    const key = `${dialect} ${step.kind} ${n}`;
    let text = batchTexts.get(key);
    if (text === undefined)
      batchTexts.set(key, (text = step.kind === "states" ? statesText(dialect, n) : historyText(dialect, n)));
    out.push([text, step.params.slice(at, at + n * width)]);
    at += n * width;
  }
  return out;
}

/** Row counts to split `n` rows into: the batch size at a time, then powers of two (few statement texts). */
function* sizes(n: number, max: number): Generator<number> {
  while (n > 0) {
    let size = max;
    while (size > n) size /= 2;
    yield size;
    n -= size;
  }
}

/**
 * A batch of writes as few statements: history items (a table of their own, which no other write reads) all go in
 * multi-row inserts after the alarm rows, in their order, so their ids grow as before; consecutive state changes of
 * distinct alarms go in one multi-row update (a second change of the same alarm starts a new one, so the later wins);
 * upserts and deletes stay one statement each, in order.
 */
type Step =
  | { kind: "one"; text: string; params: Params }
  | { kind: "states"; params: Params }
  | { kind: "history"; params: Params };

function steps(writes: readonly AlarmWrite[]): Step[] {
  const out: Step[] = [];
  let states: Params = [];
  let keys = new Set<string>();
  const flush = () => {
    if (states.length) out.push({ kind: "states", params: states });
    states = [];
    keys = new Set();
  };
  const history: Params = [];
  for (const w of writes) {
    if (w.op === "history") historyParams(w.item, history);
    else if (w.op === "state") {
      const key = `${w.row.account}\u0000${w.row.region}\u0000${w.row.name}`;
      if (keys.has(key)) flush();
      keys.add(key);
      stateParams(w.row, states);
    } else {
      flush();
      const [text, params] = statement(w);
      out.push({ kind: "one", text, params });
    }
  }
  flush();
  if (history.length) out.push({ kind: "history", params: history });
  return out;
}

type Raw = Record<string, unknown>;

const toAlarm = (r: Raw): AlarmRow => ({
  account: r.account as string,
  region: r.region as string,
  name: r.name as string,
  type: r.alarm_type as AlarmType,
  config: r.config as string,
  actionsEnabled: Number(r.actions_enabled) === 1,
  stateValue: r.state_value as AlarmStateValue,
  stateReason: r.state_reason as string,
  stateReasonData: (r.state_reason_data as string | null) ?? null,
  stateUpdatedAt: Number(r.state_updated_at),
  stateTransitionedAt: Number(r.state_transitioned_at),
  configUpdatedAt: Number(r.config_updated_at),
  evalState: (r.eval_state as string | null) ?? null,
  tags: r.tags as string,
});

/** toAlarm from a row as an array of ALARM_COLUMNS: no column names to set per row (the evaluator reads them all). */
const toAlarmFromArray = (r: unknown[]): AlarmRow => ({
  account: r[0] as string,
  region: r[1] as string,
  name: r[2] as string,
  type: r[3] as AlarmType,
  config: r[4] as string,
  actionsEnabled: Number(r[5]) === 1,
  stateValue: r[6] as AlarmStateValue,
  stateReason: r[7] as string,
  stateReasonData: (r[8] as string | null) ?? null,
  stateUpdatedAt: Number(r[9]),
  stateTransitionedAt: Number(r[10]),
  configUpdatedAt: Number(r[11]),
  evalState: (r[12] as string | null) ?? null,
  tags: r[13] as string,
});

const toHistory = (r: Raw): HistoryItem => ({
  id: Number(r.id),
  account: r.account as string,
  region: r.region as string,
  alarmName: r.alarm_name as string,
  alarmType: r.alarm_type as AlarmType,
  itemType: r.item_type as HistoryItem["itemType"],
  at: Number(r.at),
  summary: r.summary as string,
  data: r.data as string,
});

const toDetector = (r: Raw): DetectorRow => ({
  account: r.account as string,
  region: r.region as string,
  key: r.detector_key as string,
  detector: r.detector as string,
  createdAt: Number(r.created_at),
});

export function createAlarmsStore(db: Database): AlarmsStore {
  const prepared = new Map<string, BetterSqlite3.Statement>();
  const prepare = (text: string) => {
    if (db.dialect !== "sqlite") throw new Error("unreachable");
    let st = prepared.get(text);
    if (!st) prepared.set(text, (st = db.sqlite.prepare(text)));
    return st;
  };
  const all = async (text: string, params: Params): Promise<Raw[]> => {
    if (db.dialect === "sqlite") return prepare(text).all(...params) as Raw[];
    return (await db.pool.query(numbered(text), params)).rows as Raw[];
  };
  let listAllRaw: BetterSqlite3.Statement | undefined;
  const run = async (text: string, params: Params): Promise<number> => {
    if (db.dialect === "sqlite") return prepare(text).run(...params).changes;
    return (await db.pool.query(numbered(text), params)).rowCount ?? 0;
  };

  return {
    async get(account, region, name) {
      const rows = await all(`SELECT ${ALARM_COLUMNS} FROM cw_alarms WHERE account = ? AND region = ? AND name = ?`, [
        account,
        region,
        name,
      ]);
      return rows[0] ? toAlarm(rows[0]) : undefined;
    },
    async list(account, region) {
      const rows = await all(`SELECT ${ALARM_COLUMNS} FROM cw_alarms WHERE account = ? AND region = ? ORDER BY name`, [
        account,
        region,
      ]);
      return rows.map(toAlarm);
    },
    async hasComposites(account, region) {
      const rows = await all(
        "SELECT 1 AS x FROM cw_alarms WHERE account = ? AND region = ? AND alarm_type = 'CompositeAlarm' LIMIT 1",
        [account, region],
      );
      return rows.length > 0;
    },
    async listAll() {
      const text = `SELECT ${ALARM_COLUMNS} FROM cw_alarms`;
      const rows =
        db.dialect === "sqlite"
          ? (listAllRaw ??= db.sqlite.prepare(text).raw(true)).all()
          : (await db.pool.query({ text, rowMode: "array" })).rows;
      return (rows as unknown[][]).map(toAlarmFromArray);
    },
    async write(writes, within) {
      if (writes.length === 0 && !within) return;
      if (db.dialect === "sqlite") {
        db.sqlite.transaction(() => {
          for (const step of steps(writes)) {
            if (step.kind === "one") prepare(step.text).run(...step.params);
            else for (const [text, params] of batches("sqlite", step)) prepare(text).run(...params);
          }
          within?.sqlite({ sqlite: db.sqlite });
        })();
        return;
      }
      const client = await db.pool.connect();
      try {
        await client.query("BEGIN");
        try {
          for (const step of steps(writes)) {
            if (step.kind === "one") await client.query(numbered(step.text), step.params);
            else for (const [text, params] of batches("postgres", step)) await client.query(text, params);
          }
          await within?.postgres({ client });
          await client.query("COMMIT");
        } catch (e) {
          await client.query("ROLLBACK");
          throw e;
        }
      } finally {
        client.release();
      }
    },
    async history(q) {
      const where = ["account = ?", "region = ?"];
      const params: Params = [q.account, q.region];
      const add = (clause: string, ...values: Params) => {
        where.push(clause);
        params.push(...values);
      };
      if (q.alarmName !== undefined) add("alarm_name = ?", q.alarmName);
      if (q.alarmTypes?.length) add(`alarm_type IN (${q.alarmTypes.map(() => "?").join(", ")})`, ...q.alarmTypes);
      if (q.itemType !== undefined) add("item_type = ?", q.itemType);
      if (q.start !== undefined) add("at >= ?", q.start);
      if (q.end !== undefined) add("at <= ?", q.end);
      // Ids grow with time, so (at, id) order is id order within one instant: a cursor on id alone would not do
      // when items are written out of time order, hence the pair.
      if (q.after !== undefined) {
        const [at] = await all("SELECT at FROM cw_alarm_history WHERE id = ?", [q.after]);
        if (at) {
          const t = Number(at.at);
          where.push(q.ascending ? "(at > ? OR (at = ? AND id > ?))" : "(at < ? OR (at = ? AND id < ?))");
          params.push(t, t, q.after);
        }
      }
      const dir = q.ascending ? "ASC" : "DESC";
      const rows = await all(
        `SELECT * FROM cw_alarm_history WHERE ${where.join(" AND ")} ORDER BY at ${dir}, id ${dir} LIMIT ?`,
        [...params, q.limit],
      );
      return rows.map(toHistory);
    },
    expireHistory: (before) => run("DELETE FROM cw_alarm_history WHERE at < ?", [before]),
    async putDetector(r) {
      await run(
        "INSERT INTO cw_anomaly_detectors (account, region, detector_key, detector, created_at) VALUES (?, ?, ?, ?, ?) " +
          "ON CONFLICT (account, region, detector_key) DO UPDATE SET detector = excluded.detector",
        [r.account, r.region, r.key, r.detector, r.createdAt],
      );
    },
    async listDetectors(account, region) {
      const rows = await all(
        "SELECT * FROM cw_anomaly_detectors WHERE account = ? AND region = ? ORDER BY created_at, detector_key",
        [account, region],
      );
      return rows.map(toDetector);
    },
    async deleteDetector(account, region, key) {
      return (
        (await run("DELETE FROM cw_anomaly_detectors WHERE account = ? AND region = ? AND detector_key = ?", [
          account,
          region,
          key,
        ])) > 0
      );
    },
  };
}
