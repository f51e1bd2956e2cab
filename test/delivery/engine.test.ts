/**
 * The delivery engine over the outbox, on every backend in backends.ts: dispatch, retries on the manual clock,
 * dead letters, leases and restarts, enqueueing inside a caller's transaction, several engines at once.
 * Each test uses kinds of its own, so tests sharing a database never claim each other's deliveries.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  DeliveryEngine,
  delivered,
  permanent,
  retryable,
  type DeadLetterEvent,
  type Delivery,
  type DeliveryEngineOptions,
  type DeliveryEvent,
  type NewDelivery,
  type Outcome,
} from "../../src/delivery/engine.js";
import { eventBridgeRetryPolicy, snsHttpRetryPolicy, type RetryPolicy } from "../../src/delivery/retry.js";
import { ManualClock, SystemClock } from "../../src/runtime/clock.js";
import { Scheduler } from "../../src/runtime/scheduler.js";
import { openDatabase, type Database } from "../../src/storage/db.js";
import { createDeliveryStore, type DeliveryStore } from "../../src/storage/delivery-store.js";
import { migrate } from "../../src/storage/migrations/index.js";
import { BACKENDS, type Location } from "../storage/backends.js";

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
const ACCOUNT = "123456789012";
const REGION = "us-east-1";

const newKind = (what = "test") => `${what}.${randomUUID().slice(0, 8)}`;

function item(kind: string, n: number, over: Partial<NewDelivery> = {}): NewDelivery {
  return {
    account: ACCOUNT,
    region: REGION,
    kind,
    target: { arn: `arn:aws:sqs:us-east-1:123456789012:q${n}` },
    payload: JSON.stringify({ n }),
    policy: eventBridgeRetryPolicy(),
    ...over,
  };
}

/** A promise and its resolver, to wait for something without sleeping. */
function signal<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

for (const backend of BACKENDS) {
  describe(`delivery engine on ${backend.name}`, () => {
    let location: Location;
    let db: Database;
    let store: DeliveryStore;
    const engines: DeliveryEngine[] = [];

    before(async () => {
      location = backend.create();
      db = await openDatabase(location.options);
      await migrate(db);
      store = createDeliveryStore(db);
    });

    after(async () => {
      await Promise.all(engines.map((e) => e.stop()));
      await db.close();
      await location.cleanup();
    });

    /** An engine on a manual clock at T0, its jobs on a scheduler; random fixed at 0.5 unless given. */
    function setup(options: Partial<DeliveryEngineOptions> = {}) {
      const clock = (options.clock as ManualClock | undefined) ?? new ManualClock(T0);
      const scheduler = new Scheduler(clock, (job, err) => assert.fail(`${job} failed: ${String(err)}`));
      const engine = new DeliveryEngine({ store, clock, random: () => 0.5, tickMs: 250, ...options });
      engine.schedule(scheduler);
      engines.push(engine);
      const events: DeliveryEvent[] = [];
      engine.onEvent((e) => events.push(e));
      return { clock, scheduler, engine, events, at: () => clock.now() - T0 };
    }

    test("an enqueued delivery goes out at the next advance of the clock and leaves the outbox", async () => {
      const { scheduler, engine, events, at } = setup();
      const kind = newKind();
      const seen: [number, string, number][] = [];
      engine.registerSender(kind, async (d) => {
        seen.push([at(), d.payload.toString(), d.attempt]);
        return delivered;
      });
      const [id] = await engine.enqueue([item(kind, 1)]);
      assert.equal((await engine.get(id!))?.state, "pending");
      await scheduler.advance(0);
      assert.deepEqual(seen, [[0, '{"n":1}', 1]]);
      assert.equal(await engine.get(id!), undefined);
      assert.deepEqual(
        events.map((e) => e.type),
        ["delivered"],
      );
    });

    test("retryable failures are retried on the backoff schedule until one succeeds", async () => {
      const { scheduler, engine, events, at } = setup();
      const kind = newKind();
      const attempts: { at: number; attempt: number; lastError?: string }[] = [];
      engine.registerSender(kind, async (d) => {
        attempts.push({ at: at(), attempt: d.attempt, lastError: d.lastError?.code });
        return d.attempt < 4 ? retryable("THROTTLING", `busy ${d.attempt}`) : delivered;
      });
      const [id] = await engine.enqueue([item(kind, 1)]);
      await scheduler.advance(10_000);
      // random 0.5: retries wait 500, 1000 and 2000 ms after the attempt they follow.
      assert.deepEqual(attempts, [
        { at: 0, attempt: 1, lastError: undefined },
        { at: 500, attempt: 2, lastError: "THROTTLING" },
        { at: 1500, attempt: 3, lastError: "THROTTLING" },
        { at: 3500, attempt: 4, lastError: "THROTTLING" },
      ]);
      assert.equal(await engine.get(id!), undefined);
      assert.deepEqual(
        events.map((e) => (e.type === "retrying" ? `retry at ${e.nextAttemptAt - T0}` : e.type)),
        ["retry at 500", "retry at 1500", "retry at 3500", "delivered"],
      );
    });

    test("while a retry waits, the row shows its attempt, next attempt and last error", async () => {
      const { scheduler, engine } = setup();
      const kind = newKind();
      engine.registerSender(kind, async () => retryable("CONNECTION_FAILURE", "refused"));
      const [id] = await engine.enqueue([item(kind, 1)]);
      await scheduler.advance(250);
      const r = await engine.get(id!);
      assert.equal(r?.state, "pending");
      assert.equal(r?.attempt, 1);
      assert.equal(r?.nextAttemptAt, T0 + 500);
      assert.deepEqual(r?.lastError, { code: "CONNECTION_FAILURE", message: "refused" });
      assert.equal(r?.leaseOwner, undefined);
    });

    test("after MaximumRetryAttempts the dead-letter handler gets the payload, the error and the condition", async () => {
      const { scheduler, engine, events } = setup();
      const kind = newKind();
      const dlq = newKind("dlq");
      let calls = 0;
      engine.registerSender(kind, async (d) => {
        calls++;
        return retryable("TIMEOUT", `attempt ${d.attempt} timed out`);
      });
      const dead: DeadLetterEvent[] = [];
      engine.registerDeadLetterHandler(dlq, async (e) => void dead.push(e));
      const [id] = await engine.enqueue([
        item(kind, 7, {
          policy: eventBridgeRetryPolicy({ MaximumRetryAttempts: 2 }),
          deadLetter: { kind: dlq, target: { arn: "arn:aws:sqs:us-east-1:123456789012:dlq" } },
        }),
      ]);
      await scheduler.advance(60_000);
      assert.equal(calls, 3);
      assert.equal(dead.length, 1);
      const e = dead[0]!;
      assert.equal(e.delivery.payload.toString(), '{"n":7}');
      assert.deepEqual(e.delivery.target, { arn: "arn:aws:sqs:us-east-1:123456789012:q7" });
      assert.deepEqual(e.deadLetter, { kind: dlq, target: { arn: "arn:aws:sqs:us-east-1:123456789012:dlq" } });
      assert.deepEqual(e.error, { code: "TIMEOUT", message: "attempt 3 timed out" });
      assert.equal(e.condition, "MaximumRetryAttempts");
      assert.equal(e.retryAttempts, 2);
      const r = await engine.get(id!);
      assert.equal(r?.state, "dead_lettered");
      assert.equal(r?.condition, "MaximumRetryAttempts");
      assert.equal(r?.finishedAt, T0 + 1500);
      assert.deepEqual(
        events.map((x) => x.type),
        ["retrying", "retrying", "dead-lettered"],
      );
    });

    test("no attempt starts after MaximumEventAgeInSeconds", async () => {
      // random 0.999: retries wait 999, 1998, 3996, ... ms.
      const { scheduler, engine, at } = setup({ random: () => 0.999 });
      const kind = newKind();
      const dlq = newKind("dlq");
      const times: number[] = [];
      engine.registerSender(kind, async () => {
        times.push(at());
        return retryable("THROTTLING", "slow down");
      });
      const dead: DeadLetterEvent[] = [];
      engine.registerDeadLetterHandler(dlq, async (e) => void dead.push(e));
      const [id] = await engine.enqueue([
        item(kind, 1, {
          policy: eventBridgeRetryPolicy({ MaximumEventAgeInSeconds: 60 }),
          deadLetter: { kind: dlq, target: {} },
        }),
      ]);
      await scheduler.advance(120_000);
      assert.ok(times.every((t) => t <= 60_000));
      assert.deepEqual(times, [0, 999, 2997, 6993, 14_985, 30_969]);
      assert.equal(dead[0]?.condition, "MaximumEventAgeInSeconds");
      assert.equal(dead[0]?.retryAttempts, 5);
      assert.equal((await engine.get(id!))?.state, "dead_lettered");
    });

    test("a permanent failure is dead-lettered at once, without retries", async () => {
      const { scheduler, engine } = setup();
      const kind = newKind();
      const dlq = newKind("dlq");
      let calls = 0;
      engine.registerSender(kind, async () => {
        calls++;
        return permanent("NO_RESOURCE", "the queue does not exist");
      });
      const dead: DeadLetterEvent[] = [];
      engine.registerDeadLetterHandler(dlq, async (e) => void dead.push(e));
      await engine.enqueue([item(kind, 1, { deadLetter: { kind: dlq, target: {} } })]);
      await scheduler.advance(10_000);
      assert.equal(calls, 1);
      assert.equal(dead[0]?.condition, "PermanentFailure");
      assert.equal(dead[0]?.retryAttempts, 0);
      assert.deepEqual(dead[0]?.error, { code: "NO_RESOURCE", message: "the queue does not exist" });
    });

    test("without a dead-letter target a given-up delivery is dropped, recorded, and purged a day later", async () => {
      const { scheduler, engine, events } = setup();
      const kind = newKind();
      engine.registerSender(kind, async () => permanent("NO_PERMISSIONS", "denied"));
      const [id] = await engine.enqueue([item(kind, 1)]);
      await scheduler.advance(0);
      const r = await engine.get(id!);
      assert.equal(r?.state, "dropped");
      assert.equal(r?.condition, "PermanentFailure");
      assert.deepEqual(r?.lastError, { code: "NO_PERMISSIONS", message: "denied" });
      assert.deepEqual(
        (await engine.list({ state: "dropped", kind })).map((x) => x.id),
        [id],
      );
      assert.equal(events.at(-1)?.type, "dropped");
      await scheduler.advance(25 * 3600_000);
      assert.equal(await engine.get(id!), undefined);
    });

    test("a dead-letter handler that fails leaves the delivery dropped with the reason", async () => {
      const { scheduler, engine } = setup();
      const kind = newKind();
      const dlq = newKind("dlq");
      engine.registerSender(kind, async () => permanent("NO_RESOURCE", "gone"));
      engine.registerDeadLetterHandler(dlq, async () => {
        throw new Error("the dead-letter queue does not exist");
      });
      const [id] = await engine.enqueue([item(kind, 1, { deadLetter: { kind: dlq, target: {} } })]);
      const [other] = await engine.enqueue([item(kind, 2, { deadLetter: { kind: newKind("unknown"), target: {} } })]);
      await scheduler.advance(250);
      const r = await engine.get(id!);
      assert.equal(r?.state, "dropped");
      assert.equal(r?.deadLetterError, "the dead-letter queue does not exist");
      assert.match((await engine.get(other!))?.deadLetterError ?? "", /no dead-letter handler/);
    });

    test("a sender that throws, or returns nonsense, fails retryably", async () => {
      const { scheduler, engine } = setup();
      const kind = newKind();
      const seen: (string | undefined)[] = [];
      engine.registerSender(kind, async (d) => {
        seen.push(d.lastError?.code);
        if (d.attempt === 1) throw new Error("boom");
        if (d.attempt === 2) return { status: "maybe" } as unknown as Outcome;
        return delivered;
      });
      const [id] = await engine.enqueue([item(kind, 1)]);
      await scheduler.advance(5000);
      assert.deepEqual(seen, [undefined, "InternalFailure", "InternalFailure"]);
      assert.equal(await engine.get(id!), undefined);
    });

    test("SNS policies: immediate retries go out at once", async () => {
      const { scheduler, engine, at } = setup({ random: () => 0 });
      const kind = newKind();
      const times: number[] = [];
      engine.registerSender(kind, async () => {
        times.push(at());
        return retryable("HTTP_SERVER_ERROR", "503");
      });
      await engine.enqueue([
        item(kind, 1, {
          policy: snsHttpRetryPolicy({ numRetries: 4, numNoDelayRetries: 2, minDelayTarget: 1, maxDelayTarget: 3 }),
        }),
      ]);
      await scheduler.advance(10_000);
      // 2 immediate, then a backoff of two from 1 s to 3 s.
      assert.deepEqual(times, [0, 0, 0, 1000, 4000]);
    });

    test("on the manual clock, dispatch runs only when something is due, however far the clock moves", async () => {
      let claims = 0;
      const counting: DeliveryStore = { ...store, claim: (req) => (claims++, store.claim(req)) };
      const { scheduler, engine, at } = setup({ store: counting });
      const kind = newKind();
      const times: number[] = [];
      engine.registerSender(kind, async (d) => {
        times.push(at());
        return d.attempt === 1 ? retryable("THROTTLING", "later") : delivered;
      });
      await scheduler.advance(30 * 86_400_000);
      assert.ok(claims <= 2, `${claims} claims while nothing was due`);
      await engine.enqueue([item(kind, 1)]);
      await scheduler.advance(30 * 86_400_000);
      assert.deepEqual(times, [30 * 86_400_000, 30 * 86_400_000 + 500]);
      assert.ok(claims <= 6, `${claims} claims for two attempts`);
    });

    test("deliveries of a kind without a sender wait until one is registered", async () => {
      const { scheduler, engine } = setup();
      const kind = newKind();
      const [id] = await engine.enqueue([item(kind, 1)]);
      await scheduler.advance(5000);
      const waiting = await engine.get(id!);
      assert.equal(waiting?.state, "pending");
      assert.equal(waiting?.attempt, 0);
      engine.registerSender(kind, async () => delivered);
      await scheduler.advance(250);
      assert.equal(await engine.get(id!), undefined);
    });

    test("enqueueWith joins the caller's transaction: a rollback leaves nothing, a commit delivers", async () => {
      const { scheduler, engine } = setup();
      const kind = newKind();
      const sent: string[] = [];
      engine.registerSender(kind, async (d) => {
        sent.push(d.payload.toString());
        return delivered;
      });
      if (db.dialect === "sqlite") {
        const s = db.sqlite;
        assert.throws(() =>
          s.transaction(() => {
            engine.enqueueWith({ sqlite: s }, [item(kind, 1)]);
            throw new Error("the API call failed");
          })(),
        );
        const ids = s.transaction(() => engine.enqueueWith({ sqlite: s }, [item(kind, 2), item(kind, 3)]))();
        assert.equal(ids.length, 2);
      } else {
        const client = await db.pool.connect();
        try {
          await client.query("BEGIN");
          await engine.enqueueWith({ client }, [item(kind, 1)]);
          await client.query("ROLLBACK");
          await client.query("BEGIN");
          const ids = await engine.enqueueWith({ client }, [item(kind, 2), item(kind, 3)]);
          assert.equal(ids.length, 2);
          // Not committed yet: no other connection sees it.
          assert.equal((await engine.list({ kind })).length, 0);
          await client.query("COMMIT");
          engine.wake();
        } finally {
          client.release();
        }
      }
      assert.equal((await engine.list({ kind })).length, 2);
      await scheduler.advance(250);
      assert.deepEqual(sent, ['{"n":2}', '{"n":3}']);
    });

    test("enqueue refuses a malformed policy", async () => {
      const { engine } = setup();
      await assert.rejects(
        engine.enqueue([item(newKind(), 1, { policy: { maximumRetryAttempts: 3 } as unknown as RetryPolicy })]),
        TypeError,
      );
    });

    test("a delivery in flight when its node dies is delivered by another node once the lease expires", async () => {
      const clock = new ManualClock(T0);
      const kind = newKind();
      const a = setup({ clock, leaseMs: 60_000, nodeId: "node-a" });
      const started = signal<Delivery>();
      // Node A never finishes (it "died" mid-request).
      a.engine.registerSender(kind, (d) => {
        started.resolve(d);
        return new Promise<Outcome>(() => {});
      });
      const [id] = await a.engine.enqueue([item(kind, 1)]);
      const aRun = a.engine.dispatch();
      assert.equal((await started.promise).attempt, 1);
      const leased = await a.engine.get(id!);
      assert.equal(leased?.leaseOwner, "node-a");
      assert.equal(leased?.leaseUntil, T0 + 60_000);

      const b = new DeliveryEngine({ store, clock, random: () => 0.5, nodeId: "node-b" });
      engines.push(b);
      const got: Delivery[] = [];
      b.registerSender(kind, async (d) => {
        got.push(d);
        return delivered;
      });
      assert.deepEqual(await b.dispatch(), { delivered: 0, retried: 0, deadLettered: 0, dropped: 0 });
      clock.set(T0 + 59_999);
      await b.dispatch();
      assert.equal(got.length, 0);
      clock.set(T0 + 60_000);
      await b.dispatch();
      assert.equal(got.length, 1);
      assert.equal(got[0]!.attempt, 2);
      assert.equal(await b.get(id!), undefined);

      // A stops; its stale claim changes nothing.
      await a.engine.stop();
      await aRun;
      assert.equal(await b.get(id!), undefined);
    });

    test("a graceful stop gives an attempt in flight back, uncounted, for the next start", async () => {
      const clock = new ManualClock(T0);
      const kind = newKind();
      const a = setup({ clock });
      const started = signal();
      let aborted = false;
      a.engine.registerSender(kind, (_d, abort) => {
        started.resolve();
        return new Promise<Outcome>((resolve) =>
          abort.addEventListener("abort", () => {
            aborted = true;
            resolve(retryable("ABORTED", "shutting down"));
          }),
        );
      });
      const [id] = await a.engine.enqueue([item(kind, 1)]);
      const run = a.engine.dispatch();
      await started.promise;
      await a.engine.stop();
      await run;
      assert.ok(aborted);
      const r = await a.engine.get(id!);
      assert.equal(r?.state, "pending");
      assert.equal(r?.attempt, 0);
      assert.equal(r?.nextAttemptAt, T0);

      const b = setup({ clock });
      const seen: number[] = [];
      b.engine.registerSender(kind, async (d) => {
        seen.push(d.attempt);
        return delivered;
      });
      await b.scheduler.advance(250);
      assert.deepEqual(seen, [1]);
    });

    test("a node that restarts after its last allowed attempt dead-letters without sending again", async () => {
      const clock = new ManualClock(T0);
      const kind = newKind();
      const dlq = newKind("dlq");
      const a = setup({ clock, leaseMs: 10_000 });
      const started = signal();
      a.engine.registerSender(kind, () => {
        started.resolve();
        return new Promise<Outcome>(() => {});
      });
      const [id] = await a.engine.enqueue([
        item(kind, 1, {
          policy: eventBridgeRetryPolicy({ MaximumRetryAttempts: 0 }),
          deadLetter: { kind: dlq, target: {} },
        }),
      ]);
      void a.engine.dispatch();
      await started.promise;

      const b = setup({ clock });
      let sent = 0;
      b.engine.registerSender(kind, async () => {
        sent++;
        return delivered;
      });
      const dead: DeadLetterEvent[] = [];
      b.engine.registerDeadLetterHandler(dlq, async (e) => void dead.push(e));
      await b.scheduler.advance(10_250);
      assert.equal(sent, 0);
      assert.equal(dead[0]?.condition, "MaximumRetryAttempts");
      assert.equal(dead[0]?.retryAttempts, 0);
      assert.equal((await b.engine.get(id!))?.state, "dead_lettered");
    });

    test("several engines dispatching at once make each attempt exactly once", async () => {
      const clock = new ManualClock(T0);
      const kind = newKind();
      const counts = new Map<string, number>();
      const nodes = [1, 2, 3].map((n) => {
        const e = new DeliveryEngine({ store, clock, nodeId: `node-${n}`, concurrency: 7 });
        engines.push(e);
        e.registerSender(kind, async (d) => {
          await new Promise((r) => setImmediate(r));
          const key = d.payload.toString();
          counts.set(key, (counts.get(key) ?? 0) + 1);
          return delivered;
        });
        return e;
      });
      const first = nodes[0]!;
      const ids = await first.enqueue(Array.from({ length: 300 }, (_, i) => item(kind, i)));
      assert.equal(new Set(ids).size, 300);
      const summaries = await Promise.all(nodes.flatMap((e) => [e.dispatch(), e.dispatch()]));
      assert.equal(counts.size, 300);
      assert.deepEqual(
        [...counts.values()].filter((c) => c !== 1),
        [],
      );
      assert.equal((await first.list({ kind })).length, 0);
      // Each node's summary is counted once (a second dispatch() joins the first); every node took a share.
      const perNode = summaries.filter((_, i) => i % 2 === 0).map((s) => s.delivered);
      assert.equal(
        perNode.reduce((sum, n) => sum + n, 0),
        300,
      );
      assert.ok(
        perNode.every((n) => n > 0),
        `deliveries per node: ${perNode.join(", ")}`,
      );
    });

    if (backend.persistent) {
      test("a delivery claimed before a restart is delivered after it, by a new connection", async () => {
        const clock = new ManualClock(T0);
        const kind = newKind();
        const a = setup({ clock, leaseMs: 30_000 });
        const started = signal();
        a.engine.registerSender(kind, () => {
          started.resolve();
          return new Promise<Outcome>(() => {});
        });
        const [id] = await a.engine.enqueue([item(kind, 42)]);
        void a.engine.dispatch();
        await started.promise;

        // The "restarted" process: its own connection to the same database, its clock past the lease.
        const db2 = await openDatabase(location.options);
        try {
          await migrate(db2);
          const restarted = new DeliveryEngine({
            store: createDeliveryStore(db2),
            clock: new ManualClock(T0 + 30_000),
          });
          const got: string[] = [];
          restarted.registerSender(kind, async (d) => {
            got.push(d.payload.toString());
            return delivered;
          });
          await restarted.dispatch();
          assert.deepEqual(got, ['{"n":42}']);
          assert.equal(await restarted.get(id!), undefined);
          await restarted.stop();
        } finally {
          await db2.close();
        }
      });
    }

    test("with the system clock, an enqueue wakes the dispatcher without waiting for a tick", async () => {
      const engine = new DeliveryEngine({ store, clock: new SystemClock(), tickMs: 3600_000 });
      engines.push(engine);
      const kind = newKind();
      const got = signal<string>();
      engine.registerSender(kind, async (d) => {
        got.resolve(d.payload.toString());
        return delivered;
      });
      await engine.enqueue([item(kind, 5)]);
      assert.equal(await got.promise, '{"n":5}');
    });

    test("a sender that outlives the send timeout fails retryably with TIMEOUT", async () => {
      const { scheduler, engine } = setup({ sendTimeoutMs: 20 });
      const kind = newKind();
      let aborted = false;
      engine.registerSender(kind, (d, abort) => {
        abort.addEventListener("abort", () => (aborted = true));
        return d.attempt === 1 ? new Promise<Outcome>(() => {}) : Promise.resolve(delivered);
      });
      const [id] = await engine.enqueue([item(kind, 1)]);
      await scheduler.advance(250);
      assert.ok(aborted);
      assert.deepEqual((await engine.get(id!))?.lastError?.code, "TIMEOUT");
      await scheduler.advance(1000);
      assert.equal(await engine.get(id!), undefined);
    });
  });
}
