/**
 * The delivery engine: one durable outbox (src/storage/delivery-store.ts) drained by senders registered per kind of
 * target, with per-delivery retry policies (retry.ts), dead-letter handlers, and leases so that a delivery in flight
 * when its node dies is tried again (at least once) and several nodes on one PostgreSQL make each attempt once.
 * Semantics by example: DELIVERY.md.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../runtime/clock.js";
import type { Scheduler } from "../runtime/scheduler.js";
import type {
  DeliveryStore,
  Lease,
  NewOutboxRow,
  OutboxFilter,
  OutboxRow,
  OutboxState,
  PostgresTx,
  SqliteTx,
} from "../storage/delivery-store.js";
import type { HttpClient } from "./http.js";
import { checkRetryPolicy, decideRetry, isExpired, type GiveUpCondition, type RetryPolicy } from "./retry.js";

export type { PostgresTx, SqliteTx } from "../storage/delivery-store.js";

export interface DeliveryError {
  code: string;
  message: string;
}

/** What a sender reports for one attempt. */
export type Outcome =
  | { status: "delivered" }
  /** Tried again per the delivery's policy. */
  | ({ status: "retryable" } & DeliveryError)
  /** Not tried again (the target is gone, access is denied, the request is malformed): dead-lettered or dropped now. */
  | ({ status: "permanent" } & DeliveryError);

export const delivered: Outcome = Object.freeze({ status: "delivered" });
export const retryable = (code: string, message: string): Outcome => ({ status: "retryable", code, message });
export const permanent = (code: string, message: string): Outcome => ({ status: "permanent", code, message });

/** Where a delivery goes when the engine gives up on it; `kind` selects the registered dead-letter handler. */
export interface DeadLetter<T = unknown> {
  kind: string;
  target: T;
}

export interface NewDelivery<T = unknown> {
  account: string;
  region: string;
  /** Selects the sender ("events.sqs", "sns.http", ...). */
  kind: string;
  /** The sender's own description of where to deliver (JSON). */
  target: T;
  payload: string | Buffer;
  policy: RetryPolicy;
  deadLetter?: DeadLetter;
}

export interface Delivery<T = unknown> {
  id: number;
  account: string;
  region: string;
  kind: string;
  target: T;
  payload: Buffer;
  /** 1 for the first attempt. */
  attempt: number;
  firstEnqueuedAt: number;
  policy: RetryPolicy;
  deadLetter?: DeadLetter;
  /** The previous attempt's failure. */
  lastError?: DeliveryError;
}

/** A delivery as stored, for inspection (tests, admin endpoints). */
export interface DeliveryRecord extends Delivery {
  state: OutboxState;
  nextAttemptAt: number;
  leaseOwner?: string;
  leaseUntil?: number;
  /** Set when the engine gave up. */
  condition?: GiveUpCondition;
  /** Set when dead-lettering failed (the delivery was then dropped). */
  deadLetterError?: string;
  finishedAt?: number;
}

/** One attempt; `signal` aborts on shutdown or when the engine's send timeout passes. */
export type Sender<T = unknown> = (delivery: Delivery<T>, signal: AbortSignal) => Promise<Outcome>;

export interface DeadLetterEvent<D = unknown, T = unknown> {
  delivery: Delivery<T>;
  deadLetter: DeadLetter<D>;
  /** The last attempt's error (EventBridge's ERROR_CODE and ERROR_MESSAGE). */
  error: DeliveryError;
  /** EventBridge's EXHAUSTED_RETRY_CONDITION, or PermanentFailure. */
  condition: GiveUpCondition;
  /** Retries made after the first attempt (EventBridge's RETRY_ATTEMPTS). */
  retryAttempts: number;
}

/** Hands the payload to the dead-letter target; a throw means it could not (the delivery is then dropped, as on AWS). */
export type DeadLetterHandler<D = unknown, T = unknown> = (event: DeadLetterEvent<D, T>) => Promise<void>;

export type DeliveryEvent =
  | { type: "delivered"; delivery: Delivery }
  | { type: "retrying"; delivery: Delivery; error: DeliveryError; nextAttemptAt: number }
  | { type: "dead-lettered" | "dropped"; delivery: Delivery; error: DeliveryError; condition: GiveUpCondition };

export interface DeliveryEngineOptions {
  store: DeliveryStore;
  clock: Clock;
  /** The guarded outbound HTTP client senders use (http.ts). */
  http?: HttpClient;
  /** Uniform in [0, 1): the jitter of retry delays. Tests fix it. */
  random?: () => number;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** How often the dispatch job looks for due deliveries. Default 1 s. */
  tickMs?: number;
  /** How long a claimed delivery stays leased to this node (on the engine's clock). Default 5 min. */
  leaseMs?: number;
  /** Real time a sender may take before its attempt counts as a retryable timeout. Default 60 s; below leaseMs. */
  sendTimeoutMs?: number;
  /** Deliveries in flight at once on this node. Default 32. */
  concurrency?: number;
  /** Given-up deliveries are kept this long for inspection. Default 24 h. */
  finishedRetentionMs?: number;
  /** Lease owner name; default a random id per engine. */
  nodeId?: string;
  /** System clock: dispatch right after an enqueue rather than at the next tick. Default true. */
  wakeOnEnqueue?: boolean;
}

export interface DispatchSummary {
  delivered: number;
  retried: number;
  deadLettered: number;
  dropped: number;
}

interface StoredError extends DeliveryError {
  condition?: GiveUpCondition;
  deadLetterError?: string;
}

const DISPATCH_JOB = "delivery-dispatch";

export class DeliveryEngine {
  readonly nodeId: string;
  readonly http?: HttpClient;
  private readonly store: DeliveryStore;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log?: DeliveryEngineOptions["log"];
  private readonly tickMs: number;
  private readonly leaseMs: number;
  private readonly sendTimeoutMs: number;
  private readonly concurrency: number;
  private readonly finishedRetentionMs: number;
  private readonly wakeOnEnqueue: boolean;
  private readonly senders = new Map<string, Sender>();
  private readonly deadLetterHandlers = new Map<string, DeadLetterHandler>();
  private readonly listeners = new Set<(e: DeliveryEvent) => void>();
  private readonly shutdown = new AbortController();
  /** Resolves (to undefined: no outcome) when the engine stops. */
  private readonly stopped = new Promise<undefined>((resolve) =>
    this.shutdown.signal.addEventListener("abort", () => resolve(undefined), { once: true }),
  );
  private pumping?: Promise<DispatchSummary>;
  private again = false;
  private wakeScheduled = false;
  private scheduler?: Scheduler;
  /** Counts wakes, so a plan made from a query that a wake overtook is not trusted. */
  private wakes = 0;

  constructor(options: DeliveryEngineOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.http = options.http;
    this.random = options.random ?? Math.random;
    this.log = options.log;
    this.tickMs = options.tickMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 60_000;
    this.concurrency = options.concurrency ?? 32;
    this.finishedRetentionMs = options.finishedRetentionMs ?? 24 * 3600_000;
    this.nodeId = options.nodeId ?? randomUUID();
    this.wakeOnEnqueue = options.wakeOnEnqueue ?? true;
    if (!(this.concurrency >= 1)) throw new Error("delivery: concurrency must be at least 1");
  }

  /** The sender of one kind of target. Only kinds with a sender are claimed, so a node never takes what it cannot send. */
  registerSender<T>(kind: string, sender: Sender<T>): void {
    if (this.senders.has(kind)) throw new Error(`delivery: a sender for ${kind} is already registered`);
    this.senders.set(kind, sender as Sender);
    // Deliveries of this kind may be waiting already.
    this.wake();
  }

  registerDeadLetterHandler<D, T = unknown>(kind: string, handler: DeadLetterHandler<D, T>): void {
    if (this.deadLetterHandlers.has(kind))
      throw new Error(`delivery: a dead-letter handler for ${kind} is already registered`);
    this.deadLetterHandlers.set(kind, handler as DeadLetterHandler);
  }

  /** Every outcome as it is recorded (metrics: Invocations, FailedInvocations, InvocationsSentToDlq, ...). */
  onEvent(listener: (e: DeliveryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The scheduler jobs: dispatch, and the retention of given-up deliveries. With the system clock dispatch polls every
   * tick (other nodes enqueue too). With the manual clock it runs only when a delivery is due (its next attempt, or a
   * lease's end, as the outbox says after each run; an enqueue makes it due at once), so advancing the clock by months
   * does not run it every tick.
   */
  schedule(scheduler: Scheduler): void {
    this.scheduler = scheduler;
    scheduler.register({
      name: DISPATCH_JOB,
      intervalMs: this.tickMs,
      run: async () => {
        const wakes = this.wakes;
        await this.dispatch();
        if (this.clock.manual) await this.planNext(wakes);
      },
    });
    scheduler.register({
      name: "delivery-outbox-retention",
      intervalMs: 3600_000,
      run: async (now) => void (await this.store.purgeFinished(now - this.finishedRetentionMs)),
    });
  }

  /** Enqueues in a transaction of its own; resolves after commit with the deliveries' ids. */
  async enqueue(items: readonly NewDelivery[]): Promise<number[]> {
    const ids = await this.store.insert(this.rows(items));
    if (ids.length) this.wake();
    return ids;
  }

  /**
   * Enqueues inside the caller's open transaction, so the deliveries commit (or roll back) with whatever the caller
   * stores. SQLite: call it inside `db.sqlite.transaction(...)` with `{ sqlite: db.sqlite }`; it is synchronous.
   * PostgreSQL: pass `{ client }`, the client that issued BEGIN; call wake() after COMMIT.
   */
  enqueueWith(tx: SqliteTx, items: readonly NewDelivery[]): number[];
  enqueueWith(tx: PostgresTx, items: readonly NewDelivery[]): Promise<number[]>;
  enqueueWith(tx: SqliteTx | PostgresTx, items: readonly NewDelivery[]): number[] | Promise<number[]> {
    const rows = this.rows(items);
    if ("sqlite" in tx) {
      const ids = this.store.insertSqlite(tx, rows);
      // The caller's synchronous transaction has committed (or thrown) by the time the wake runs.
      if (ids.length) this.wake();
      return ids;
    }
    return this.store.insertPostgres(tx, rows);
  }

  /**
   * Says deliveries are due now; call it after committing a transaction that enqueued with enqueueWith() on PostgreSQL
   * (the other enqueues call it themselves). Cheap and idempotent. System clock: dispatches on the next turn of the
   * event loop rather than at the next tick. Manual clock: makes the dispatch job due now, so the next advance of the
   * clock (even by 0) runs it; time never moves by itself.
   */
  wake(): void {
    this.wakes++;
    if (this.clock.manual) {
      this.scheduler?.setDue(DISPATCH_JOB, this.clock.now());
      return;
    }
    if (!this.wakeOnEnqueue || this.wakeScheduled || this.shutdown.signal.aborted) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      this.dispatch().catch((err: unknown) => this.log?.error({ err }, "delivery dispatch failed"));
    });
  }

  /**
   * Delivers everything due now, including retries that fall due meanwhile without delay, and resolves when none is
   * left in flight. Calls made while a dispatch runs join it (and make it look once more before it ends).
   */
  dispatch(): Promise<DispatchSummary> {
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    const summary: DispatchSummary = { delivered: 0, retried: 0, deadLettered: 0, dropped: 0 };
    this.pumping = (async () => {
      try {
        do {
          this.again = false;
          await this.pump(summary);
        } while (this.again && !this.shutdown.signal.aborted);
        return summary;
      } finally {
        this.pumping = undefined;
      }
    })();
    return this.pumping;
  }

  /** Aborts attempts in flight (their claims are given back) and waits for the dispatch to end. */
  async stop(): Promise<void> {
    this.shutdown.abort();
    await this.pumping?.catch(() => {});
  }

  async get(id: number): Promise<DeliveryRecord | undefined> {
    const row = await this.store.get(id);
    return row && toRecord(row);
  }

  async list(filter?: OutboxFilter): Promise<DeliveryRecord[]> {
    return (await this.store.list(filter)).map(toRecord);
  }

  /** Manual clock: the dispatch job's next run is when the outbox next has something due for this node. */
  private async planNext(wakesBefore: number): Promise<void> {
    const next = await this.store.nextDue([...this.senders.keys()]);
    // An enqueue during the query already made the job due now; leave it so.
    if (this.wakes !== wakesBefore || !this.scheduler) return;
    this.scheduler.setDue(DISPATCH_JOB, next === undefined ? Infinity : Math.max(next, this.clock.now() + 1));
  }

  private rows(items: readonly NewDelivery[]): NewOutboxRow[] {
    // Most enqueues share a few policy objects (a service's constant policy): each is checked and written once.
    const policies = new Map<unknown, string>();
    const policyJson = (p: unknown) => {
      let json = policies.get(p);
      if (json === undefined) policies.set(p, (json = JSON.stringify(checkRetryPolicy(p))));
      return json;
    };
    const now = this.clock.now();
    return items.map((d) => ({
      account: d.account,
      region: d.region,
      kind: d.kind,
      target: JSON.stringify(d.target),
      payload: typeof d.payload === "string" ? Buffer.from(d.payload) : d.payload,
      nextAttemptAt: now,
      firstEnqueuedAt: now,
      policy: policyJson(d.policy),
      deadLetter: d.deadLetter ? JSON.stringify(d.deadLetter) : null,
    }));
  }

  private async pump(summary: DispatchSummary): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    try {
      for (;;) {
        if (this.shutdown.signal.aborted) break;
        let claimed = 0;
        const free = this.concurrency - inFlight.size;
        if (free > 0) {
          const now = this.clock.now();
          const rows = await this.store.claim({
            now,
            owner: this.nodeId,
            leaseUntil: now + this.leaseMs,
            limit: free,
            kinds: [...this.senders.keys()],
          });
          claimed = rows.length;
          for (const row of rows) {
            const p: Promise<void> = this.attempt(row, summary).finally(() => inFlight.delete(p));
            inFlight.add(p);
          }
        }
        if (inFlight.size === 0) {
          if (claimed === 0) break;
          continue;
        }
        // Fewer due than there was room for: wait for an attempt to end (its retry may be due at once). No room: let
        // half the slots drain and claim them in one statement, not one claim per finished attempt.
        if (claimed < free) await Promise.race(inFlight);
        else while (inFlight.size > this.concurrency / 2) await Promise.race(inFlight);
      }
    } finally {
      await Promise.allSettled(inFlight);
    }
  }

  /** One claimed row: send it (unless it is already out of attempts or too old) and record what happened. */
  private async attempt(row: OutboxRow, summary: DispatchSummary): Promise<void> {
    const lease: Lease = { id: row.id, owner: this.nodeId, attempt: row.attempt };
    let delivery: Delivery;
    try {
      delivery = toDelivery(row);
    } catch (err) {
      // A row this engine cannot read (a newer node's policy format?) is dropped rather than retried forever.
      this.log?.error({ err, id: row.id }, "delivery: unreadable outbox row");
      const error = { code: "InvalidDelivery", message: (err as Error).message, condition: "PermanentFailure" };
      if (await this.store.finish(lease, "dropped", this.clock.now(), JSON.stringify(error)).catch(() => false))
        summary.dropped++;
      return;
    }
    try {
      const previous = delivery.lastError ?? { code: "NotAttempted", message: "no attempt was made" };
      // The previous holder of the lease died after its last allowed attempt, or the event outlived its age.
      const made = row.attempt - 1;
      if (row.attempt > 1 + delivery.policy.maximumRetryAttempts)
        return await this.giveUp(lease, delivery, previous, "MaximumRetryAttempts", made, summary);
      if (isExpired(delivery.policy, delivery.firstEnqueuedAt, this.clock.now()))
        return await this.giveUp(lease, delivery, previous, "MaximumEventAgeInSeconds", made, summary);

      const outcome = await this.send(delivery);
      if (outcome === undefined) {
        // Shut down mid-attempt: give the claim back so the next start (or another node) delivers it at once.
        await this.store.release(lease, this.clock.now());
        return;
      }
      const now = this.clock.now();
      if (outcome.status === "delivered") {
        if (await this.store.complete(lease)) {
          summary.delivered++;
          this.emit({ type: "delivered", delivery });
        }
        return;
      }
      const error = { code: outcome.code, message: outcome.message };
      if (outcome.status === "permanent")
        return await this.giveUp(lease, delivery, error, "PermanentFailure", row.attempt, summary);
      const decision = decideRetry(delivery.policy, row.attempt, delivery.firstEnqueuedAt, now, this.random);
      if ("giveUp" in decision) return await this.giveUp(lease, delivery, error, decision.giveUp, row.attempt, summary);
      if (await this.store.reschedule(lease, decision.retryAt, JSON.stringify(error))) {
        summary.retried++;
        this.emit({ type: "retrying", delivery, error, nextAttemptAt: decision.retryAt });
      }
    } catch (err) {
      // The store failed: the lease stays and expires, and the delivery is tried again then.
      this.log?.error({ err, id: row.id }, "delivery: recording an outcome failed");
    }
  }

  /** The sender's outcome; undefined when the engine shut down meanwhile. */
  private async send(delivery: Delivery): Promise<Outcome | undefined> {
    const sender = this.senders.get(delivery.kind)!;
    const attempt = new AbortController();
    const stop = () => attempt.abort();
    this.shutdown.signal.addEventListener("abort", stop, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => {
        attempt.abort();
        resolve(retryable("TIMEOUT", `the delivery did not finish within ${this.sendTimeoutMs} ms`));
      }, this.sendTimeoutMs);
    });
    try {
      const outcome = await Promise.race([
        sender(delivery, attempt.signal).catch((err: unknown): Outcome =>
          retryable("InternalFailure", err instanceof Error ? err.message : String(err)),
        ),
        timedOut,
        this.stopped,
      ]);
      if (outcome === undefined || this.shutdown.signal.aborted) return undefined;
      return checkOutcome(outcome);
    } finally {
      clearTimeout(timer);
      this.shutdown.signal.removeEventListener("abort", stop);
    }
  }

  private async giveUp(
    lease: Lease,
    delivery: Delivery,
    error: DeliveryError,
    condition: GiveUpCondition,
    attemptsMade: number,
    summary: DispatchSummary,
  ): Promise<void> {
    let state: "dead_lettered" | "dropped" = "dropped";
    let deadLetterError: string | undefined;
    if (delivery.deadLetter) {
      const handler = this.deadLetterHandlers.get(delivery.deadLetter.kind);
      if (!handler) deadLetterError = `no dead-letter handler for ${delivery.deadLetter.kind}`;
      else {
        try {
          await handler({
            delivery,
            deadLetter: delivery.deadLetter,
            error,
            condition,
            retryAttempts: Math.max(0, attemptsMade - 1),
          });
          state = "dead_lettered";
        } catch (err) {
          deadLetterError = err instanceof Error ? err.message : String(err);
        }
      }
      if (deadLetterError) this.log?.warn({ id: delivery.id, deadLetterError }, "delivery: dead-lettering failed");
    }
    const stored: StoredError = { ...error, condition, ...(deadLetterError ? { deadLetterError } : {}) };
    if (!(await this.store.finish(lease, state, this.clock.now(), JSON.stringify(stored)))) return;
    if (state === "dead_lettered") summary.deadLettered++;
    else summary.dropped++;
    this.emit({ type: state === "dead_lettered" ? "dead-lettered" : "dropped", delivery, error, condition });
  }

  private emit(e: DeliveryEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log?.error({ err }, "delivery: event listener failed");
      }
    }
  }
}

function checkOutcome(o: Outcome): Outcome {
  if (o?.status === "delivered") return o;
  if ((o?.status === "retryable" || o?.status === "permanent") && typeof o.code === "string")
    return { status: o.status, code: o.code, message: String(o.message ?? "") };
  return retryable("InternalFailure", `the sender returned an invalid outcome: ${JSON.stringify(o)}`);
}

function toDelivery(row: OutboxRow): Delivery {
  const lastError = row.lastError ? (JSON.parse(row.lastError) as StoredError) : undefined;
  return {
    id: row.id,
    account: row.account,
    region: row.region,
    kind: row.kind,
    target: JSON.parse(row.target) as unknown,
    payload: row.payload,
    attempt: row.attempt,
    firstEnqueuedAt: row.firstEnqueuedAt,
    policy: checkRetryPolicy(JSON.parse(row.policy)),
    ...(row.deadLetter ? { deadLetter: JSON.parse(row.deadLetter) as DeadLetter } : {}),
    ...(lastError ? { lastError: { code: lastError.code, message: lastError.message } } : {}),
  };
}

function toRecord(row: OutboxRow): DeliveryRecord {
  const stored = row.lastError ? (JSON.parse(row.lastError) as StoredError) : undefined;
  return {
    ...toDelivery(row),
    state: row.state,
    nextAttemptAt: row.nextAttemptAt,
    ...(row.leaseOwner !== null ? { leaseOwner: row.leaseOwner } : {}),
    ...(row.leaseUntil !== null ? { leaseUntil: row.leaseUntil } : {}),
    ...(stored?.condition ? { condition: stored.condition } : {}),
    ...(stored?.deadLetterError ? { deadLetterError: stored.deadLetterError } : {}),
    ...(row.finishedAt !== null ? { finishedAt: row.finishedAt } : {}),
  };
}
