/**
 * SQS queues and messages (tables of migration 0004), scoped by account and region through their queue.
 *
 * One implementation for both dialects: each operation is written once as a generator that yields its SQL statements
 * and receives their results. On SQLite a driver runs the generator synchronously inside one better-sqlite3
 * transaction over cached prepared statements (never a transaction held across an await, see db.ts); on PostgreSQL
 * the same generator runs statement by statement on one pooled client inside BEGIN/COMMIT, with named prepared
 * statements. Every write resolves only after its transaction committed.
 *
 * Receiving on PostgreSQL takes its candidates with FOR UPDATE SKIP LOCKED, so several Vigil nodes receiving from one
 * queue never hand the same message to two receivers; FIFO receives and sends lock their queue's row instead, since
 * a FIFO queue's order and deduplication are per queue.
 */
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import type { Database } from "./db.js";
import { isPgCode } from "./db.js";

// ---------------------------------------------------------------------------------------------------
// Public types

export interface SqsScope {
  account: string;
  region: string;
}

export interface QueueRecord {
  id: number;
  account: string;
  region: string;
  name: string;
  fifo: boolean;
  /** The queue's settable attributes as SQS answers them (strings), defaults included. */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** Milliseconds since the epoch. */
  createdAt: number;
  lastModified: number;
  /** The last PurgeQueue, if any. */
  purgedAt: number | null;
}

export interface NewQueue {
  name: string;
  fifo: boolean;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  retentionMs: number;
  /** The dead-letter queue's ARN when the queue has a RedrivePolicy. */
  redriveTarget: string | null;
  now: number;
}

export type CreateQueueResult = { status: "created" | "exists"; queue: QueueRecord } | { status: "deletedRecently" };

/** What modifyQueue changes; members left out keep their value. */
export interface QueueChange {
  attributes?: Record<string, string>;
  tags?: Record<string, string>;
  retentionMs?: number;
  redriveTarget?: string | null;
}

export interface NewMessage {
  messageId: string;
  body: string;
  /** JSON of the message attributes (binary values base64), or null. */
  attributes: string | null;
  /** JSON of the message system attributes (AWSTraceHeader), or null. */
  systemAttributes: string | null;
  md5Body: string;
  md5Attributes: string | null;
  senderId: string;
  sentAt: number;
  visibleAt: number;
  groupId?: string | null;
  dedupId?: string | null;
}

export interface SendOptions {
  fifo: boolean;
  /** FIFO: deduplicate per queue or per message group. */
  dedupScope?: "queue" | "messageGroup";
  /** FIFO: how long a deduplication id is remembered (5 minutes). */
  dedupWindowMs: number;
  now: number;
}

export interface SentMessage {
  messageId: string;
  /** FIFO only. */
  sequenceNumber?: string;
  /** A FIFO message accepted but not enqueued: its deduplication id was seen within the interval. */
  duplicate: boolean;
}

export interface StoredMessage {
  rowId: number;
  messageId: string;
  body: string;
  attributes: string | null;
  systemAttributes: string | null;
  md5Body: string;
  md5Attributes: string | null;
  senderId: string;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt: number | null;
  groupId: string | null;
  dedupId: string | null;
  /** FIFO messages only. */
  sequenceNumber: string | null;
  dlqSourceArn: string | null;
}

export interface DeadLetterTarget {
  maxReceiveCount: number;
  queueId: number;
  fifo: boolean;
  /** The ARN of the queue the messages leave (DeadLetterQueueSourceArn). */
  sourceArn: string;
}

export interface ReceiveSpec {
  queueId: number;
  fifo: boolean;
  now: number;
  max: number;
  visibilityMs: number;
  /** Messages sent at or before this instant are past the retention period: never received, deleted by expire(). */
  retentionCutoff: number;
  redrive?: DeadLetterTarget;
  /** FIFO ReceiveRequestAttemptId: a retry within the window answers the same messages and receipt handles. */
  attemptId?: string;
  attemptWindowMs?: number;
}

export interface ReceiveResult {
  messages: StoredMessage[];
  /** How many messages this receive moved to the dead-letter queue instead of returning them. */
  movedToDlq: number;
}

export type DeleteMessageResult = "deleted" | "gone" | "expired";
export type ChangeVisibilityResult = "changed" | "gone" | "expired" | "noop" | "tooLong";

export interface QueueCounts {
  visible: number;
  notVisible: number;
  delayed: number;
}

export type MoveTaskStatus = "RUNNING" | "COMPLETED" | "CANCELLING" | "CANCELLED" | "FAILED";

export interface MoveTaskRecord {
  taskId: string;
  account: string;
  region: string;
  sourceArn: string;
  destinationArn: string | null;
  maxPerSecond: number | null;
  status: MoveTaskStatus;
  moved: number;
  toMove: number;
  failureReason: string | null;
  startedAt: number;
  updatedAt: number;
}

/** A message to move to another queue (redrive), with the queue it goes to. */
export interface MovePlan {
  rowId: number;
  toQueueId: number;
  toFifo: boolean;
}

export interface SqsStore {
  /** Drops this node's cached view of the queues (after the database was wiped under it). */
  forget(): void;
  /** Creates the queue, or finds the one of that name; refuses a name deleted less than `recentlyDeletedMs` ago. */
  createQueue(scope: SqsScope, q: NewQueue, recentlyDeletedMs: number): Promise<CreateQueueResult>;
  queue(scope: SqsScope, name: string): Promise<QueueRecord | undefined>;
  /** Queues in name order (code points), names starting with `prefix`, after `after`, at most `limit`. */
  queues(scope: SqsScope, q: { prefix?: string; after?: string; limit: number }): Promise<QueueRecord[]>;
  /** Queues whose RedrivePolicy targets `targetArn`, in name order, after `after`, at most `limit`. */
  deadLetterSources(
    scope: SqsScope,
    targetArn: string,
    after: string | undefined,
    limit: number,
  ): Promise<QueueRecord[]>;
  /**
   * Changes the queue in one transaction: `change` sees the current queue (it may throw to refuse) and returns what to
   * set. Resolves with the updated queue, or undefined when there is no such queue.
   */
  modifyQueue(
    scope: SqsScope,
    name: string,
    now: number,
    change: (q: QueueRecord) => QueueChange,
  ): Promise<QueueRecord | undefined>;
  /** Deletes the queue with its messages and remembers the name's deletion time. */
  deleteQueue(scope: SqsScope, name: string, now: number): Promise<boolean>;
  /** Deletes every message sent up to `now` and the FIFO deduplication records, at most once per `minIntervalMs`. */
  purge(queueId: number, now: number, minIntervalMs: number): Promise<"purged" | "inProgress" | "gone">;
  counts(queueId: number, now: number, retentionCutoff: number): Promise<QueueCounts>;
  /** The earliest instant after `now` at which a message of the queue becomes visible. */
  nextVisibleAt(queueId: number, now: number): Promise<number | undefined>;

  /** Stores the messages (in order) in one transaction; undefined when the queue no longer exists. */
  send(queueId: number, messages: NewMessage[], opts: SendOptions): Promise<SentMessage[] | undefined>;
  receive(spec: ReceiveSpec): Promise<ReceiveResult>;
  deleteMessage(
    queueId: number,
    rowId: number,
    receiveCount: number,
    fifo: boolean,
    now: number,
  ): Promise<DeleteMessageResult>;
  /**
   * Sets the message's visibility to `now + timeoutMs` if the receipt (receiveCount) is the current one and the
   * message is in flight; a message received more than `maxTotalMs` ago cannot be extended past that limit.
   */
  changeVisibility(
    queueId: number,
    rowId: number,
    receiveCount: number,
    fifo: boolean,
    now: number,
    timeoutMs: number,
    maxTotalMs: number,
  ): Promise<ChangeVisibilityResult>;
  /** Retention: deletes messages past their queue's retention period and expired bookkeeping. */
  expire(now: number, recentlyDeletedMs: number, attemptWindowMs: number): Promise<number>;

  startMoveTask(task: MoveTaskRecord): Promise<MoveTaskRecord | "running">;
  moveTasks(scope: SqsScope, sourceArn: string, limit: number): Promise<MoveTaskRecord[]>;
  moveTask(taskId: string): Promise<MoveTaskRecord | undefined>;
  /** RUNNING becomes CANCELLING; resolves with the task as it is afterwards. */
  cancelMoveTask(taskId: string, now: number): Promise<MoveTaskRecord | undefined>;
  activeMoveTasks(): Promise<MoveTaskRecord[]>;
  updateMoveTask(
    taskId: string,
    change: { status?: MoveTaskStatus; movedDelta?: number; failureReason?: string },
    now: number,
  ): Promise<void>;
  /** The oldest available messages of a queue (for a move task to route), without receiving them. */
  peekAvailable(queueId: number, now: number, retentionCutoff: number, limit: number): Promise<StoredMessage[]>;
  /** Moves the messages, each still available, to their destination queues; resolves with how many moved. */
  moveMessages(plans: MovePlan[], now: number): Promise<number>;
}

// ---------------------------------------------------------------------------------------------------
// Statements as generator steps

type Mode = "all" | "get" | "run";
interface Step {
  sql: string;
  params: unknown[];
  mode: Mode;
}
type Op<T> = Generator<Step, T, unknown>;

function* all<R>(sql: string, params: unknown[]): Op<R[]> {
  return (yield { sql, params, mode: "all" }) as R[];
}
function* get<R>(sql: string, params: unknown[]): Op<R | undefined> {
  return (yield { sql, params, mode: "get" }) as R | undefined;
}
/** Resolves with the number of rows changed. */
function* run(sql: string, params: unknown[]): Op<number> {
  return (yield { sql, params, mode: "run" }) as number;
}

interface Runner {
  readonly pg: boolean;
  /** Runs the operation in one transaction; resolves after it committed. */
  tx<T>(op: () => Op<T>): Promise<T>;
  /** Runs a write of a single statement (atomic on its own); resolves after it committed. */
  write<T>(op: () => Op<T>): Promise<T>;
  /** Runs a read. */
  once<T>(op: () => Op<T>): Promise<T>;
}

function sqliteRunner(s: BetterSqlite3.Database): Runner {
  const statements = new Map<string, BetterSqlite3.Statement>();
  const exec = (step: Step): unknown => {
    let st = statements.get(step.sql);
    if (!st) statements.set(step.sql, (st = s.prepare(step.sql)));
    if (step.mode === "run") return st.run(...step.params).changes;
    return step.mode === "all" ? st.all(...step.params) : st.get(...step.params);
  };
  const drive = <T>(op: Op<T>): T => {
    let r = op.next();
    while (!r.done) {
      let result: unknown;
      try {
        result = exec(r.value);
      } catch (e) {
        r = op.throw(e);
        continue;
      }
      r = op.next(result);
    }
    return r.value;
  };
  // Group commit: the writes requested in one turn of the event loop run in one transaction, each in a savepoint of
  // its own (better-sqlite3 nests transaction functions that way), so that one failing write undoes only itself. On a
  // file every commit appends to the WAL; sharing one makes the hot paths several times cheaper under load.
  interface Pending {
    op: () => Op<unknown>;
    resolve: (v: unknown) => void;
    reject: (e: unknown) => void;
  }
  let pending: Pending[] = [];
  let scheduled = false;
  const savepoint = s.transaction((run: () => unknown) => run());
  const flush = () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      s.transaction(() => {
        for (const p of batch) {
          try {
            outcomes.push({ ok: true, value: savepoint(() => drive(p.op())) });
          } catch (e) {
            outcomes.push({ ok: false, value: e });
          }
        }
      })();
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    batch.forEach((p, i) => (outcomes[i]!.ok ? p.resolve(outcomes[i]!.value) : p.reject(outcomes[i]!.value)));
  };
  const batched = <T>(op: () => Op<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      pending.push({ op, resolve: resolve as (v: unknown) => void, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  return {
    pg: false,
    tx: batched,
    write: batched,
    once: (op) => {
      try {
        return Promise.resolve(drive(op()));
      } catch (e) {
        return Promise.reject(e);
      }
    },
  };
}

const PLACEHOLDER = /\?/g;

/** Prepared statement names, one per SQL text in the process (pg prepares a name once per connection). */
const texts = new Map<string, { name: string; text: string }>();

function postgresRunner(pool: pg.Pool): Runner {
  const prepared = (sql: string) => {
    let t = texts.get(sql);
    if (!t) {
      let n = 0;
      t = { name: `vigil_sqs_${texts.size}`, text: sql.replace(PLACEHOLDER, () => `$${++n}`) };
      texts.set(sql, t);
    }
    return t;
  };
  const drive = async <T>(client: pg.Pool | pg.PoolClient, op: Op<T>): Promise<T> => {
    let r = op.next();
    while (!r.done) {
      const step = r.value;
      let result: unknown;
      try {
        const res = await client.query({ ...prepared(step.sql), values: step.params });
        result = step.mode === "all" ? res.rows : step.mode === "get" ? res.rows[0] : (res.rowCount ?? 0);
      } catch (e) {
        r = op.throw(e);
        continue;
      }
      r = op.next(result);
    }
    return r.value;
  };
  return {
    pg: true,
    async tx(op) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const v = await drive(client, op());
        await client.query("COMMIT");
        return v;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    write: (op) => drive(pool, op()),
    once: (op) => drive(pool, op()),
  };
}

// ---------------------------------------------------------------------------------------------------
// Rows

type Num = number | string;
const num = (v: Num): number => (typeof v === "number" ? v : Number(v));
const numOrNull = (v: Num | null): number | null => (v === null ? null : num(v));

interface QueueRow {
  id: Num;
  account: string;
  region: string;
  name: string;
  fifo: Num;
  attributes: string;
  tags: string;
  created_at: Num;
  last_modified: Num;
  purged_at: Num | null;
}

const QUEUE_COLS = "id, account, region, name, fifo, attributes, tags, created_at, last_modified, purged_at";

type ParsedQueues = Map<number, { row: QueueRow; queue: QueueRecord }>;
const MAX_PARSED_QUEUES = 10_000;
/** PostgreSQL: how long a node trusts its cached view of a queue (see createSqsStore). */
const QUEUE_CACHE_MS = 1000;

function sameRow(a: QueueRow, b: QueueRow): boolean {
  return (
    a.attributes === b.attributes &&
    a.tags === b.tags &&
    a.name === b.name &&
    a.account === b.account &&
    a.region === b.region &&
    String(a.last_modified) === String(b.last_modified) &&
    String(a.purged_at) === String(b.purged_at) &&
    String(a.created_at) === String(b.created_at)
  );
}

/**
 * A queue row as a record, reusing the last parsed form of the row while its stored text is unchanged: every call
 * resolves its queue, and reusing the same attributes object also keeps the settings cached on it (attributes.ts)
 * warm. The row itself is read on every call, so changes made by other nodes are seen at once.
 */
function toQueueWith(cache: ParsedQueues, r: QueueRow): QueueRecord {
  const id = num(r.id);
  const cached = cache.get(id);
  if (cached && sameRow(cached.row, r)) return cached.queue;
  const queue = parseQueue(r);
  if (cache.size >= MAX_PARSED_QUEUES) cache.clear();
  cache.set(id, { row: r, queue });
  return queue;
}

function parseQueue(r: QueueRow): QueueRecord {
  return {
    id: num(r.id),
    account: r.account,
    region: r.region,
    name: r.name,
    fifo: num(r.fifo) === 1,
    attributes: JSON.parse(r.attributes) as Record<string, string>,
    tags: JSON.parse(r.tags) as Record<string, string>,
    createdAt: num(r.created_at),
    lastModified: num(r.last_modified),
    purgedAt: numOrNull(r.purged_at),
  };
}

interface MessageRow {
  id: Num;
  message_id: string;
  body: string;
  attributes: string | null;
  system_attributes: string | null;
  md5_body: string;
  md5_attributes: string | null;
  sender_id: string;
  sent_at: Num;
  visible_at: Num;
  receive_count: Num;
  first_received_at: Num | null;
  received_at: Num | null;
  group_id: string | null;
  dedup_id: string | null;
  dlq_source_arn: string | null;
}

const MESSAGE_COLS =
  "id, message_id, body, attributes, system_attributes, md5_body, md5_attributes, sender_id, sent_at, visible_at, " +
  "receive_count, first_received_at, received_at, group_id, dedup_id, dlq_source_arn";

/** A FIFO message's SequenceNumber: 20 digits, increasing with every message stored (AWS: "large, non-consecutive"). */
export const sequenceNumberOf = (rowId: number): string => (10n ** 19n + BigInt(rowId)).toString();

function toMessage(r: MessageRow, fifo: boolean): StoredMessage {
  const rowId = num(r.id);
  return {
    rowId,
    messageId: r.message_id,
    body: r.body,
    attributes: r.attributes,
    systemAttributes: r.system_attributes,
    md5Body: r.md5_body,
    md5Attributes: r.md5_attributes,
    senderId: r.sender_id,
    sentAt: num(r.sent_at),
    receiveCount: num(r.receive_count),
    firstReceivedAt: numOrNull(r.first_received_at),
    groupId: r.group_id,
    dedupId: r.dedup_id,
    sequenceNumber: fifo ? sequenceNumberOf(rowId) : null,
    dlqSourceArn: r.dlq_source_arn,
  };
}

interface TaskRow {
  task_id: string;
  account: string;
  region: string;
  source_arn: string;
  destination_arn: string | null;
  max_per_second: Num | null;
  status: string;
  moved: Num;
  to_move: Num;
  failure_reason: string | null;
  started_at: Num;
  updated_at: Num;
}

function toTask(r: TaskRow): MoveTaskRecord {
  return {
    taskId: r.task_id,
    account: r.account,
    region: r.region,
    sourceArn: r.source_arn,
    destinationArn: r.destination_arn,
    maxPerSecond: numOrNull(r.max_per_second),
    status: r.status as MoveTaskStatus,
    moved: num(r.moved),
    toMove: num(r.to_move),
    failureReason: r.failure_reason,
    startedAt: num(r.started_at),
    updatedAt: num(r.updated_at),
  };
}

/** Tags and attributes are kept as canonical JSON (keys in code-point order). */
const canonical = (m: Record<string, string>): string =>
  JSON.stringify(
    Object.fromEntries(
      Object.keys(m)
        .sort()
        .map((k) => [k, m[k]!]),
    ),
  );

/** The least string above every string starting with `prefix`, as logs-store's prefixBound (code-point order). */
function prefixBound(prefix: string): string | undefined {
  const chars = [...prefix];
  const last = chars.pop();
  if (last === undefined) return undefined;
  let cp = last.codePointAt(0)! + 1;
  if (cp === 0xd800) cp = 0xe000;
  if (cp > 0x10ffff) return undefined;
  return chars.join("") + String.fromCodePoint(cp);
}

const isForeignKeyViolation = (e: unknown): boolean =>
  isPgCode(e, "23503") || (e instanceof Error && (e as { code?: string }).code === "SQLITE_CONSTRAINT_FOREIGNKEY");

// ---------------------------------------------------------------------------------------------------
// The store

export function createSqsStore(db: Database): SqsStore {
  const r: Runner = db.dialect === "sqlite" ? sqliteRunner(db.sqlite) : postgresRunner(db.pool);
  const parsed: ParsedQueues = new Map();
  const toQueue = (row: QueueRow) => toQueueWith(parsed, row);
  /**
   * Queues by scope and name, as this node last read or wrote them. Every call names its queue, so this spares the
   * hot paths a read. This node's own changes update it; on PostgreSQL another node's changes are seen after at most
   * QUEUE_CACHE_MS (SQS itself documents that attribute changes take up to 60 seconds to propagate), and a queue
   * another node deleted fails the write that follows (its messages reference the queue row).
   */
  const known = new Map<string, { queue: QueueRecord; at: number }>();
  const cacheMs = r.pg ? QUEUE_CACHE_MS : Infinity;
  const keyOf = (scope: SqsScope, name: string) => `${scope.account}\0${scope.region}\0${name}`;
  const remember = (q: QueueRecord) => {
    if (known.size >= MAX_PARSED_QUEUES) known.clear();
    known.set(keyOf(q, q.name), { queue: q, at: Date.now() });
    return q;
  };
  const pg = r.pg;
  /** `id IN (...)` over a list bound as one parameter. */
  const inIds = pg ? "= ANY(?::bigint[])" : "IN (SELECT value FROM json_each(?))";
  const idList = (ids: number[]): unknown => (pg ? ids : JSON.stringify(ids));
  /** Text compared by code point: SQLite's BINARY collation does it, PostgreSQL needs COLLATE "C". */
  const cp = (col: string) => (pg ? `${col} COLLATE "C"` : col);
  const lockSuffix = pg ? " FOR UPDATE" : "";

  function* findQueue(scope: SqsScope, name: string): Op<QueueRecord | undefined> {
    const row = yield* get<QueueRow>(
      `SELECT ${QUEUE_COLS} FROM sqs_queues WHERE account = ? AND region = ? AND name = ?`,
      [scope.account, scope.region, name],
    );
    return row && toQueue(row);
  }

  /** Inserts a message row (and, in a FIFO queue, its message group), returning its row id. */
  function* insertMessage(
    queueId: number,
    fifo: boolean,
    m: NewMessage,
    extra: { receiveCount?: number; firstReceivedAt?: number | null; dlqSourceArn?: string | null } = {},
  ): Op<number> {
    const sql = `INSERT INTO sqs_messages (queue_id, message_id, body, attributes, system_attributes, md5_body,
         md5_attributes, sender_id, sent_at, visible_at, receive_count, first_received_at, group_id, dedup_id,
         dlq_source_arn) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
    const params = [
      queueId,
      m.messageId,
      m.body,
      m.attributes,
      m.systemAttributes,
      m.md5Body,
      m.md5Attributes,
      m.senderId,
      m.sentAt,
      m.visibleAt,
      extra.receiveCount ?? 0,
      extra.firstReceivedAt ?? null,
      m.groupId ?? null,
      m.dedupId ?? null,
      extra.dlqSourceArn ?? null,
    ];
    // Only FIFO messages need their row id (the sequence number); a standard send is then a plain INSERT.
    if (!fifo) {
      yield* run(sql, params);
      return 0;
    }
    const row = yield* get<{ id: Num }>(sql + " RETURNING id", params);
    if (m.groupId != null) yield* ensureGroup(queueId, m.groupId);
    return num(row!.id);
  }

  /** A message group joins the end of its queue's group order when it first gets a message. */
  function* ensureGroup(queueId: number, groupId: string): Op<void> {
    const exists = yield* get("SELECT 1 AS x FROM sqs_fifo_groups WHERE queue_id = ? AND group_id = ?", [
      queueId,
      groupId,
    ]);
    if (exists) return;
    const rank = yield* get<{ next_rank: Num }>(
      "UPDATE sqs_queues SET next_rank = next_rank + 1 WHERE id = ? RETURNING next_rank",
      [queueId],
    );
    yield* run("INSERT INTO sqs_fifo_groups (queue_id, group_id, rank) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [
      queueId,
      groupId,
      num(rank?.next_rank ?? 0),
    ]);
  }

  /** Moves a message row to another queue as a new row (a dead-letter move or a redrive). */
  function* moveRow(
    m: MessageRow,
    toQueueId: number,
    now: number,
    opts: { toFifo: boolean; keepReceipts: boolean; sentAt: number; dlqSourceArn: string | null },
  ): Op<void> {
    yield* insertMessage(
      toQueueId,
      opts.toFifo,
      {
        messageId: m.message_id,
        body: m.body,
        attributes: m.attributes,
        systemAttributes: m.system_attributes,
        md5Body: m.md5_body,
        md5Attributes: m.md5_attributes,
        senderId: m.sender_id,
        sentAt: opts.sentAt,
        visibleAt: now,
        groupId: m.group_id,
        dedupId: m.dedup_id,
      },
      opts.keepReceipts
        ? {
            receiveCount: num(m.receive_count),
            firstReceivedAt: numOrNull(m.first_received_at),
            dlqSourceArn: opts.dlqSourceArn,
          }
        : { dlqSourceArn: opts.dlqSourceArn },
    );
    yield* run("DELETE FROM sqs_messages WHERE id = ?", [m.id]);
  }

  function* deadLetter(m: MessageRow, target: DeadLetterTarget, now: number): Op<void> {
    // Standard queues keep the original enqueue time (and so the retention clock); FIFO queues reset it.
    yield* moveRow(m, target.queueId, now, {
      toFifo: target.fifo,
      keepReceipts: true,
      sentAt: target.fifo ? now : num(m.sent_at),
      dlqSourceArn: target.sourceArn,
    });
  }

  function* markReceived(ids: number[], spec: ReceiveSpec): Op<MessageRow[]> {
    if (ids.length === 0) return [];
    const rows = yield* all<MessageRow>(
      `UPDATE sqs_messages SET visible_at = ?, receive_count = receive_count + 1,
         first_received_at = coalesce(first_received_at, ?), received_at = ?
       WHERE id ${inIds} RETURNING ${MESSAGE_COLS}`,
      [spec.now + spec.visibilityMs, spec.now, spec.now, idList(ids)],
    );
    const order = new Map(ids.map((id, i) => [id, i]));
    return rows.sort((a, b) => order.get(num(a.id))! - order.get(num(b.id))!);
  }

  /**
   * The common case, a standard queue without a dead-letter queue. PostgreSQL: one statement picks (SKIP LOCKED) and
   * hides the messages. SQLite: a select and an update by row id per message, several times cheaper there than one
   * UPDATE over a subquery.
   */
  function* receiveSimple(spec: ReceiveSpec): Op<ReceiveResult> {
    const visibleAt = spec.now + spec.visibilityMs;
    if (pg) {
      const rows = yield* all<MessageRow>(
        `UPDATE sqs_messages SET visible_at = ?, receive_count = receive_count + 1,
           first_received_at = coalesce(first_received_at, ?), received_at = ?
         WHERE id IN (SELECT id FROM sqs_messages WHERE queue_id = ? AND visible_at <= ? AND sent_at > ?
                      ORDER BY visible_at, id LIMIT ? FOR UPDATE SKIP LOCKED)
         RETURNING ${MESSAGE_COLS}`,
        [visibleAt, spec.now, spec.now, spec.queueId, spec.now, spec.retentionCutoff, spec.max],
      );
      rows.sort((a, b) => num(a.id) - num(b.id));
      return { messages: rows.map((m) => toMessage(m, false)), movedToDlq: 0 };
    }
    const rows = yield* all<MessageRow>(
      `SELECT ${MESSAGE_COLS} FROM sqs_messages WHERE queue_id = ? AND visible_at <= ? AND sent_at > ?
        ORDER BY visible_at, id LIMIT ?`,
      [spec.queueId, spec.now, spec.retentionCutoff, spec.max],
    );
    for (const m of rows) {
      m.receive_count = num(m.receive_count) + 1;
      m.first_received_at ??= spec.now;
      yield* run(
        "UPDATE sqs_messages SET visible_at = ?, receive_count = ?, first_received_at = ?, received_at = ? WHERE id = ?",
        [visibleAt, m.receive_count, m.first_received_at, spec.now, m.id],
      );
    }
    return { messages: rows.map((m) => toMessage(m, false)), movedToDlq: 0 };
  }

  function* receiveStandard(spec: ReceiveSpec): Op<ReceiveResult> {
    const picked: number[] = [];
    let moved = 0;
    // A round that dead-letters some of its candidates looks again for the rest, a bounded number of times.
    for (let round = 0; round < 4 && picked.length < spec.max; round++) {
      const candidates = yield* all<MessageRow>(
        `SELECT ${MESSAGE_COLS} FROM sqs_messages
          WHERE queue_id = ? AND visible_at <= ? AND sent_at > ? ORDER BY visible_at, id LIMIT ?` +
          (pg ? " FOR UPDATE SKIP LOCKED" : ""),
        [spec.queueId, spec.now, spec.retentionCutoff, spec.max - picked.length],
      );
      if (candidates.length === 0) break;
      for (const c of candidates) {
        if (spec.redrive && num(c.receive_count) >= spec.redrive.maxReceiveCount) {
          yield* deadLetter(c, spec.redrive, spec.now);
          moved++;
        } else picked.push(num(c.id));
      }
      if (moved === 0) break;
    }
    const rows = yield* markReceived(picked, spec);
    return { messages: rows.map((m) => toMessage(m, false)), movedToDlq: moved };
  }

  /**
   * FIFO: message groups are served in rank order, a group's messages in send order. A group yields its leading run of
   * available messages and nothing while its oldest message is in flight. Served groups move to the end of the order
   * (as AWS was recorded interleaving groups across receives).
   */
  function* receiveFifo(spec: ReceiveSpec): Op<ReceiveResult> {
    yield* get(`SELECT id FROM sqs_queues WHERE id = ?${lockSuffix}`, [spec.queueId]);
    if (spec.attemptId !== undefined) {
      const retried = yield* retryAttempt(spec);
      if (retried) return retried;
    }
    const picked: number[] = [];
    const served: string[] = [];
    let moved = 0;
    let afterRank = -1;
    while (picked.length < spec.max) {
      const groups = yield* all<{ group_id: string; rank: Num }>(
        "SELECT group_id, rank FROM sqs_fifo_groups WHERE queue_id = ? AND rank > ? ORDER BY rank LIMIT 100",
        [spec.queueId, afterRank],
      );
      if (groups.length === 0) break;
      for (const g of groups) {
        afterRank = num(g.rank);
        if (picked.length >= spec.max) break;
        const messages = yield* all<MessageRow>(
          `SELECT ${MESSAGE_COLS} FROM sqs_messages WHERE queue_id = ? AND group_id = ? AND sent_at > ?
            ORDER BY id LIMIT ?`,
          [spec.queueId, g.group_id, spec.retentionCutoff, spec.max - picked.length + 10],
        );
        if (messages.length === 0) {
          const left = yield* get("SELECT 1 AS x FROM sqs_messages WHERE queue_id = ? AND group_id = ? LIMIT 1", [
            spec.queueId,
            g.group_id,
          ]);
          if (!left)
            yield* run("DELETE FROM sqs_fifo_groups WHERE queue_id = ? AND group_id = ?", [spec.queueId, g.group_id]);
          continue;
        }
        let took = 0;
        for (const m of messages) {
          if (num(m.visible_at) > spec.now || picked.length >= spec.max) break;
          if (spec.redrive && num(m.receive_count) >= spec.redrive.maxReceiveCount) {
            yield* deadLetter(m, spec.redrive, spec.now);
            moved++;
            continue;
          }
          picked.push(num(m.id));
          took++;
        }
        if (took > 0) served.push(g.group_id);
      }
    }
    for (const groupId of served) {
      const rank = yield* get<{ next_rank: Num }>(
        "UPDATE sqs_queues SET next_rank = next_rank + 1 WHERE id = ? RETURNING next_rank",
        [spec.queueId],
      );
      yield* run("UPDATE sqs_fifo_groups SET rank = ? WHERE queue_id = ? AND group_id = ?", [
        num(rank!.next_rank),
        spec.queueId,
        groupId,
      ]);
    }
    const rows = yield* markReceived(picked, spec);
    if (spec.attemptId !== undefined && rows.length > 0) {
      const receipts = rows.map((m) => [num(m.id), num(m.receive_count)]);
      yield* run(
        `INSERT INTO sqs_receive_attempts (queue_id, attempt_id, created_at, receipts) VALUES (?, ?, ?, ?)
         ON CONFLICT (queue_id, attempt_id) DO UPDATE SET created_at = excluded.created_at, receipts = excluded.receipts`,
        [spec.queueId, spec.attemptId, spec.now, JSON.stringify(receipts)],
      );
    }
    return { messages: rows.map((m) => toMessage(m, true)), movedToDlq: moved };
  }

  /** A retried ReceiveRequestAttemptId: the same messages (still held by that receipt), their visibility reset. */
  function* retryAttempt(spec: ReceiveSpec): Op<ReceiveResult | undefined> {
    const attempt = yield* get<{ created_at: Num; receipts: string }>(
      "SELECT created_at, receipts FROM sqs_receive_attempts WHERE queue_id = ? AND attempt_id = ?",
      [spec.queueId, spec.attemptId],
    );
    if (!attempt || num(attempt.created_at) <= spec.now - (spec.attemptWindowMs ?? 0)) return undefined;
    const receipts = JSON.parse(attempt.receipts) as [number, number][];
    const out: StoredMessage[] = [];
    for (const [rowId, count] of receipts) {
      const m = yield* get<MessageRow>(
        `UPDATE sqs_messages SET visible_at = ? WHERE id = ? AND queue_id = ? AND receive_count = ? RETURNING ${MESSAGE_COLS}`,
        [spec.now + spec.visibilityMs, rowId, spec.queueId, count],
      );
      if (m) out.push(toMessage(m, true));
    }
    return { messages: out, movedToDlq: 0 };
  }

  function* sendOp(queueId: number, messages: NewMessage[], opts: SendOptions): Op<SentMessage[]> {
    const out: SentMessage[] = [];
    if (!opts.fifo) {
      for (const m of messages) {
        yield* insertMessage(queueId, false, m);
        out.push({ messageId: m.messageId, duplicate: false });
      }
      return out;
    }
    // FIFO sends of one queue are serialized (its row lock), so deduplication is exact across nodes.
    const q = yield* get(`SELECT id FROM sqs_queues WHERE id = ?${lockSuffix}`, [queueId]);
    if (!q) throw new QueueGone();
    for (const m of messages) {
      const scope = opts.dedupScope === "messageGroup" ? (m.groupId ?? "") : "";
      const seen = yield* get<{ message_id: string; sequence_number: string }>(
        "SELECT message_id, sequence_number FROM sqs_dedup WHERE queue_id = ? AND scope = ? AND dedup_id = ? AND expires_at > ?",
        [queueId, scope, m.dedupId, opts.now],
      );
      if (seen) {
        out.push({ messageId: seen.message_id, sequenceNumber: seen.sequence_number, duplicate: true });
        continue;
      }
      const rowId = yield* insertMessage(queueId, true, m);
      const sequenceNumber = sequenceNumberOf(rowId);
      yield* run(
        `INSERT INTO sqs_dedup (queue_id, scope, dedup_id, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (queue_id, scope, dedup_id) DO UPDATE SET message_id = excluded.message_id,
           sequence_number = excluded.sequence_number, expires_at = excluded.expires_at`,
        [queueId, scope, m.dedupId, m.messageId, sequenceNumber, opts.now + opts.dedupWindowMs],
      );
      out.push({ messageId: m.messageId, sequenceNumber, duplicate: false });
    }
    return out;
  }

  return {
    forget() {
      known.clear();
      parsed.clear();
    },

    async createQueue(scope, q, recentlyDeletedMs) {
      const result = await r.tx(function* () {
        const existing = yield* findQueue(scope, q.name);
        if (existing) return { status: "exists" as const, queue: existing };
        const deleted = yield* get<{ deleted_at: Num }>(
          "SELECT deleted_at FROM sqs_deleted_queues WHERE account = ? AND region = ? AND name = ?",
          [scope.account, scope.region, q.name],
        );
        if (deleted && num(deleted.deleted_at) > q.now - recentlyDeletedMs)
          return { status: "deletedRecently" as const };
        const row = yield* get<QueueRow>(
          `INSERT INTO sqs_queues (account, region, name, fifo, attributes, tags, retention_ms, redrive_target,
             created_at, last_modified)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account, region, name) DO NOTHING RETURNING ${QUEUE_COLS}`,
          [
            scope.account,
            scope.region,
            q.name,
            q.fifo ? 1 : 0,
            JSON.stringify(q.attributes),
            canonical(q.tags),
            q.retentionMs,
            q.redriveTarget,
            q.now,
            q.now,
          ],
        );
        if (row) return { status: "created" as const, queue: toQueue(row) };
        // Created by another node between the read and the insert.
        const raced = yield* findQueue(scope, q.name);
        return { status: "exists" as const, queue: raced! };
      });
      if (result.status !== "deletedRecently") remember(result.queue);
      return result;
    },

    async queue(scope, name) {
      const hit = known.get(keyOf(scope, name));
      if (hit && Date.now() - hit.at < cacheMs) return hit.queue;
      const q = await r.once(() => findQueue(scope, name));
      if (q) remember(q);
      else known.delete(keyOf(scope, name));
      return q;
    },

    queues(scope, q) {
      const bound = q.prefix ? prefixBound(q.prefix) : undefined;
      return r.once(function* () {
        let sql = `SELECT ${QUEUE_COLS} FROM sqs_queues WHERE account = ? AND region = ?`;
        const params: unknown[] = [scope.account, scope.region];
        if (q.prefix) {
          sql += ` AND ${cp("name")} >= ?`;
          params.push(q.prefix);
          if (bound !== undefined) {
            sql += ` AND ${cp("name")} < ?`;
            params.push(bound);
          }
        }
        if (q.after !== undefined) {
          sql += ` AND ${cp("name")} > ?`;
          params.push(q.after);
        }
        sql += ` ORDER BY ${cp("name")} LIMIT ?`;
        params.push(q.limit);
        const rows = yield* all<QueueRow>(sql, params);
        return rows.map(toQueue).filter((x) => !q.prefix || x.name.startsWith(q.prefix));
      });
    },

    deadLetterSources(scope, targetArn, after, limit) {
      return r.once(function* () {
        const rows = yield* all<QueueRow>(
          `SELECT ${QUEUE_COLS} FROM sqs_queues WHERE account = ? AND region = ? AND redrive_target = ?
             AND ${cp("name")} > ? ORDER BY ${cp("name")} LIMIT ?`,
          [scope.account, scope.region, targetArn, after ?? "", limit],
        );
        return rows.map(toQueue);
      });
    },

    async modifyQueue(scope, name, now, change) {
      known.delete(keyOf(scope, name));
      const updated = await r.tx(function* () {
        const row = yield* get<QueueRow>(
          `SELECT ${QUEUE_COLS} FROM sqs_queues WHERE account = ? AND region = ? AND name = ?${lockSuffix}`,
          [scope.account, scope.region, name],
        );
        if (!row) return undefined;
        const current = toQueue(row);
        const c = change(current);
        const next: QueueRecord = {
          ...current,
          attributes: c.attributes ?? current.attributes,
          tags: c.tags ?? current.tags,
          lastModified: c.attributes ? now : current.lastModified,
        };
        let sql = "UPDATE sqs_queues SET attributes = ?, tags = ?, last_modified = ?";
        const params: unknown[] = [JSON.stringify(next.attributes), canonical(next.tags), next.lastModified];
        if (c.retentionMs !== undefined) {
          sql += ", retention_ms = ?";
          params.push(c.retentionMs);
        }
        if (c.redriveTarget !== undefined) {
          sql += ", redrive_target = ?";
          params.push(c.redriveTarget);
        }
        yield* run(sql + " WHERE id = ?", [...params, current.id]);
        return next;
      });
      if (updated) remember(updated);
      return updated;
    },

    deleteQueue(scope, name, now) {
      known.delete(keyOf(scope, name));
      return r.tx(function* () {
        const n = yield* run("DELETE FROM sqs_queues WHERE account = ? AND region = ? AND name = ?", [
          scope.account,
          scope.region,
          name,
        ]);
        if (n === 0) return false;
        yield* run(
          `INSERT INTO sqs_deleted_queues (account, region, name, deleted_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (account, region, name) DO UPDATE SET deleted_at = excluded.deleted_at`,
          [scope.account, scope.region, name, now],
        );
        return true;
      });
    },

    purge(queueId, now, minIntervalMs) {
      return r.tx(function* () {
        const q = yield* get<{ purged_at: Num | null }>(`SELECT purged_at FROM sqs_queues WHERE id = ?${lockSuffix}`, [
          queueId,
        ]);
        if (!q) return "gone" as const;
        if (q.purged_at !== null && num(q.purged_at) > now - minIntervalMs) return "inProgress" as const;
        yield* run("UPDATE sqs_queues SET purged_at = ? WHERE id = ?", [now, queueId]);
        yield* run("DELETE FROM sqs_messages WHERE queue_id = ? AND sent_at <= ?", [queueId, now]);
        yield* run("DELETE FROM sqs_dedup WHERE queue_id = ?", [queueId]);
        yield* run("DELETE FROM sqs_receive_attempts WHERE queue_id = ?", [queueId]);
        return "purged" as const;
      });
    },

    counts(queueId, now, cutoff) {
      return r.once(function* () {
        const row = yield* get<{ visible: Num | null; not_visible: Num | null; delayed: Num | null }>(
          `SELECT sum(CASE WHEN visible_at <= ? THEN 1 ELSE 0 END) AS visible,
                  sum(CASE WHEN visible_at > ? AND receive_count > 0 THEN 1 ELSE 0 END) AS not_visible,
                  sum(CASE WHEN visible_at > ? AND receive_count = 0 THEN 1 ELSE 0 END) AS delayed
             FROM sqs_messages WHERE queue_id = ? AND sent_at > ?`,
          [now, now, now, queueId, cutoff],
        );
        return {
          visible: num(row?.visible ?? 0),
          notVisible: num(row?.not_visible ?? 0),
          delayed: num(row?.delayed ?? 0),
        };
      });
    },

    nextVisibleAt(queueId, now) {
      return r.once(function* () {
        const row = yield* get<{ t: Num }>(
          "SELECT visible_at AS t FROM sqs_messages WHERE queue_id = ? AND visible_at > ? ORDER BY visible_at LIMIT 1",
          [queueId, now],
        );
        return row ? num(row.t) : undefined;
      });
    },

    async send(queueId, messages, opts) {
      try {
        // A standard queue's single message is one INSERT, atomic on its own.
        if (!opts.fifo && messages.length === 1) return await r.write(() => sendOp(queueId, messages, opts));
        return await r.tx(() => sendOp(queueId, messages, opts));
      } catch (e) {
        if (e instanceof QueueGone || isForeignKeyViolation(e)) return undefined;
        throw e;
      }
    },

    receive(spec) {
      if (!spec.fifo && !spec.redrive) return pg ? r.write(() => receiveSimple(spec)) : r.tx(() => receiveSimple(spec));
      return r.tx(() => (spec.fifo ? receiveFifo(spec) : receiveStandard(spec)));
    },

    deleteMessage(queueId, rowId, receiveCount, fifo, now) {
      if (!fifo) {
        // Any receipt of a standard queue's message deletes it, and deleting twice is no error.
        return r.write(function* () {
          const n = yield* run("DELETE FROM sqs_messages WHERE id = ? AND queue_id = ?", [rowId, queueId]);
          return n > 0 ? ("deleted" as const) : ("gone" as const);
        });
      }
      return r.tx(function* () {
        const m = yield* get<{ receive_count: Num; visible_at: Num; group_id: string | null }>(
          `SELECT receive_count, visible_at, group_id FROM sqs_messages WHERE id = ? AND queue_id = ?${lockSuffix}`,
          [rowId, queueId],
        );
        if (!m) return "gone" as const;
        // A FIFO receipt is valid only while that receive holds the message.
        if (num(m.receive_count) !== receiveCount || num(m.visible_at) <= now) return "expired" as const;
        yield* run("DELETE FROM sqs_messages WHERE id = ?", [rowId]);
        return "deleted" as const;
      });
    },

    changeVisibility(queueId, rowId, receiveCount, fifo, now, timeoutMs, maxTotalMs) {
      return r.tx(function* () {
        const m = yield* get<{ receive_count: Num; visible_at: Num; received_at: Num | null }>(
          `SELECT receive_count, visible_at, received_at FROM sqs_messages WHERE id = ? AND queue_id = ?${lockSuffix}`,
          [rowId, queueId],
        );
        if (!m) return "gone" as const;
        if (num(m.receive_count) !== receiveCount || num(m.visible_at) <= now) {
          // AWS answers OK and changes nothing for a standard queue's receipt whose visibility already ended.
          return fifo ? ("expired" as const) : ("noop" as const);
        }
        const receivedAt = m.received_at === null ? now : num(m.received_at);
        if (now - receivedAt + timeoutMs > maxTotalMs) return "tooLong" as const;
        yield* run("UPDATE sqs_messages SET visible_at = ? WHERE id = ?", [now + timeoutMs, rowId]);
        return "changed" as const;
      });
    },

    expire(now, recentlyDeletedMs, attemptWindowMs) {
      return r.tx(function* () {
        const n = yield* run(
          `DELETE FROM sqs_messages WHERE id IN (
             SELECT m.id FROM sqs_messages m JOIN sqs_queues q ON q.id = m.queue_id
              WHERE m.sent_at <= ? - q.retention_ms LIMIT 50000)`,
          [now],
        );
        yield* run("DELETE FROM sqs_dedup WHERE expires_at <= ?", [now]);
        yield* run("DELETE FROM sqs_receive_attempts WHERE created_at <= ?", [now - attemptWindowMs]);
        yield* run("DELETE FROM sqs_deleted_queues WHERE deleted_at <= ?", [now - recentlyDeletedMs]);
        return n;
      });
    },

    startMoveTask(t) {
      return r.tx(function* () {
        const active = yield* get(
          `SELECT 1 AS x FROM sqs_move_tasks WHERE account = ? AND region = ? AND source_arn = ?
             AND status IN ('RUNNING', 'CANCELLING')`,
          [t.account, t.region, t.sourceArn],
        );
        if (active) return "running" as const;
        yield* run(
          `INSERT INTO sqs_move_tasks (task_id, account, region, source_arn, destination_arn, max_per_second, status,
             moved, to_move, failure_reason, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            t.taskId,
            t.account,
            t.region,
            t.sourceArn,
            t.destinationArn,
            t.maxPerSecond,
            t.status,
            t.moved,
            t.toMove,
            t.failureReason,
            t.startedAt,
            t.updatedAt,
          ],
        );
        return t;
      });
    },

    moveTasks(scope, sourceArn, limit) {
      return r.once(function* () {
        const rows = yield* all<TaskRow>(
          `SELECT * FROM sqs_move_tasks WHERE account = ? AND region = ? AND source_arn = ?
            ORDER BY started_at DESC, task_id LIMIT ?`,
          [scope.account, scope.region, sourceArn, limit],
        );
        return rows.map(toTask);
      });
    },

    moveTask(taskId) {
      return r.once(function* () {
        const row = yield* get<TaskRow>("SELECT * FROM sqs_move_tasks WHERE task_id = ?", [taskId]);
        return row && toTask(row);
      });
    },

    cancelMoveTask(taskId, now) {
      return r.tx(function* () {
        yield* run(
          "UPDATE sqs_move_tasks SET status = 'CANCELLING', updated_at = ? WHERE task_id = ? AND status = 'RUNNING'",
          [now, taskId],
        );
        const row = yield* get<TaskRow>("SELECT * FROM sqs_move_tasks WHERE task_id = ?", [taskId]);
        return row && toTask(row);
      });
    },

    activeMoveTasks() {
      return r.once(function* () {
        const rows = yield* all<TaskRow>(
          "SELECT * FROM sqs_move_tasks WHERE status IN ('RUNNING', 'CANCELLING') ORDER BY started_at",
          [],
        );
        return rows.map(toTask);
      });
    },

    updateMoveTask(taskId, change, now) {
      return r.write(function* () {
        yield* run(
          `UPDATE sqs_move_tasks SET status = coalesce(?, status), moved = moved + ?,
             failure_reason = coalesce(?, failure_reason), updated_at = ? WHERE task_id = ?`,
          [change.status ?? null, change.movedDelta ?? 0, change.failureReason ?? null, now, taskId],
        );
      });
    },

    peekAvailable(queueId, now, cutoff, limit) {
      return r.once(function* () {
        const rows = yield* all<MessageRow>(
          `SELECT ${MESSAGE_COLS} FROM sqs_messages WHERE queue_id = ? AND visible_at <= ? AND sent_at > ?
            ORDER BY visible_at, id LIMIT ?`,
          [queueId, now, cutoff, limit],
        );
        return rows.map((m) => toMessage(m, false));
      });
    },

    moveMessages(plans, now) {
      if (plans.length === 0) return Promise.resolve(0);
      return r.tx(function* () {
        let moved = 0;
        for (const p of plans) {
          const m = yield* get<MessageRow>(
            `SELECT ${MESSAGE_COLS} FROM sqs_messages WHERE id = ? AND visible_at <= ?` +
              (pg ? " FOR UPDATE SKIP LOCKED" : ""),
            [p.rowId, now],
          );
          if (!m) continue;
          // A redriven message starts over in its destination: new enqueue time, no receives.
          yield* moveRow(m, p.toQueueId, now, {
            toFifo: p.toFifo,
            keepReceipts: false,
            sentAt: now,
            dlqSourceArn: null,
          });
          moved++;
        }
        return moved;
      });
    },
  };
}

/** Thrown inside a send whose queue row is gone (deleted meanwhile). */
class QueueGone extends Error {}
