/** SqsStore contract, run on every backend in backends.ts (SQLite in a file and in memory; PostgreSQL with DATABASE_URL). */
import assert from "node:assert/strict";
import { randomInt, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { openDatabase, type Database } from "../../src/storage/db.js";
import { migrate } from "../../src/storage/migrations/index.js";
import {
  createSqsStore,
  sequenceNumberOf,
  type NewMessage,
  type QueueRecord,
  type SqsScope,
  type SqsStore,
} from "../../src/storage/sqs-store.js";
import { BACKENDS, type Location } from "./backends.js";

const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);
const DAY = 86_400_000;

const newScope = (): SqsScope => ({
  account: String(randomInt(100_000_000_000, 999_999_999_999)),
  region: "eu-west-1",
});

const message = (body: string, at = T0, extra: Partial<NewMessage> = {}): NewMessage => ({
  messageId: randomUUID(),
  body,
  attributes: null,
  systemAttributes: null,
  md5Body: "md5",
  md5Attributes: null,
  senderId: "AIDATEST",
  sentAt: at,
  visibleAt: at,
  ...extra,
});

const STD = { fifo: false, dedupWindowMs: 300_000, now: T0 };

for (const backend of BACKENDS) {
  describe(`sqs store on ${backend.name}`, () => {
    let location: Location;
    let db: Database;
    let sqs: SqsStore;

    before(async () => {
      location = backend.create();
      db = await openDatabase(location.options);
      await migrate(db);
      sqs = createSqsStore(db);
    });
    after(async () => {
      await db.close();
      await location.cleanup();
    });

    async function queue(scope = newScope(), name = "q", fifo = false, retentionMs = 4 * DAY): Promise<QueueRecord> {
      const r = await sqs.createQueue(
        scope,
        {
          name,
          fifo,
          attributes: { VisibilityTimeout: "30" },
          tags: { b: "2", a: "1" },
          retentionMs,
          redriveTarget: null,
          now: T0,
        },
        60_000,
      );
      assert.notEqual(r.status, "deletedRecently");
      return (r as { queue: QueueRecord }).queue;
    }

    test("a queue is created once per account and region and found by name", async () => {
      const scope = newScope();
      const q = await queue(scope, "orders");
      assert.deepEqual(
        { ...q, id: 0 },
        {
          id: 0,
          account: scope.account,
          region: scope.region,
          name: "orders",
          fifo: false,
          attributes: { VisibilityTimeout: "30" },
          tags: { a: "1", b: "2" },
          createdAt: T0,
          lastModified: T0,
          purgedAt: null,
        },
      );
      const again = await sqs.createQueue(
        scope,
        { name: "orders", fifo: false, attributes: {}, tags: {}, retentionMs: 1, redriveTarget: null, now: T0 + 5 },
        60_000,
      );
      assert.equal(again.status, "exists");
      assert.equal((again as { queue: QueueRecord }).queue.id, q.id);
      assert.equal(await sqs.queue({ ...scope, region: "us-east-1" }, "orders"), undefined);
      assert.equal(await sqs.queue({ ...scope, account: newScope().account }, "orders"), undefined);
      assert.equal((await sqs.queue(scope, "orders"))!.id, q.id);
    });

    test("queues list by name in code-point order with a prefix and after a name", async () => {
      const scope = newScope();
      for (const n of ["b-2", "a-1", "b-1", "B-0", "c"]) await queue(scope, n);
      const names = async (q: { prefix?: string; after?: string; limit: number }) =>
        (await sqs.queues(scope, q)).map((x) => x.name);
      assert.deepEqual(await names({ limit: 10 }), ["B-0", "a-1", "b-1", "b-2", "c"]);
      assert.deepEqual(await names({ prefix: "b-", limit: 10 }), ["b-1", "b-2"]);
      assert.deepEqual(await names({ after: "a-1", limit: 2 }), ["b-1", "b-2"]);
    });

    test("a deleted queue takes its messages with it and its name is held for the given time", async () => {
      const scope = newScope();
      const q = await queue(scope, "gone");
      await sqs.send(q.id, [message("a")], STD);
      assert.equal(await sqs.deleteQueue(scope, "gone", T0 + 1000), true);
      assert.equal(await sqs.deleteQueue(scope, "gone", T0 + 1000), false);
      const held = await sqs.createQueue(
        scope,
        {
          name: "gone",
          fifo: false,
          attributes: {},
          tags: {},
          retentionMs: DAY,
          redriveTarget: null,
          now: T0 + 60_999,
        },
        60_000,
      );
      assert.equal(held.status, "deletedRecently");
      const back = await sqs.createQueue(
        scope,
        {
          name: "gone",
          fifo: false,
          attributes: {},
          tags: {},
          retentionMs: DAY,
          redriveTarget: null,
          now: T0 + 61_000,
        },
        60_000,
      );
      assert.equal(back.status, "created");
      assert.deepEqual(await sqs.counts((back as { queue: QueueRecord }).queue.id, T0 + 61_000, 0), {
        visible: 0,
        notVisible: 0,
        delayed: 0,
      });
      assert.equal(await sqs.send(q.id, [message("late")], STD), undefined);
    });

    test("modifyQueue changes attributes and tags in one transaction, refusing when the change throws", async () => {
      const scope = newScope();
      await queue(scope, "m");
      const updated = await sqs.modifyQueue(scope, "m", T0 + 9, (q) => ({
        attributes: { ...q.attributes, DelaySeconds: "5" },
        tags: { z: "9" },
      }));
      assert.deepEqual(
        [updated!.attributes, updated!.tags, updated!.lastModified],
        [{ VisibilityTimeout: "30", DelaySeconds: "5" }, { z: "9" }, T0 + 9],
      );
      await assert.rejects(
        sqs.modifyQueue(scope, "m", T0 + 10, () => {
          throw new Error("refused");
        }),
        /refused/,
      );
      assert.deepEqual((await sqs.queue(scope, "m"))!.tags, { z: "9" });
      assert.equal(await sqs.modifyQueue(scope, "nope", T0, () => ({})), undefined);
    });

    test("receiving takes the oldest visible messages, hides them, counts receives", async () => {
      const q = await queue();
      await sqs.send(q.id, [message("a"), message("b"), message("later", T0, { visibleAt: T0 + 5000 })], STD);
      const spec = { queueId: q.id, fifo: false, now: T0, max: 10, visibilityMs: 1000, retentionCutoff: 0 };
      const first = await sqs.receive(spec);
      assert.deepEqual(
        first.messages.map((m) => [m.body, m.receiveCount, m.firstReceivedAt, m.sequenceNumber]),
        [
          ["a", 1, T0, null],
          ["b", 1, T0, null],
        ],
      );
      assert.deepEqual(await sqs.counts(q.id, T0, 0), { visible: 0, notVisible: 2, delayed: 1 });
      assert.equal(await sqs.nextVisibleAt(q.id, T0), T0 + 1000);
      assert.deepEqual((await sqs.receive(spec)).messages, []);
      const later = await sqs.receive({ ...spec, now: T0 + 5000 });
      assert.deepEqual(
        later.messages.map((m) => [m.body, m.receiveCount, m.firstReceivedAt]),
        [
          ["a", 2, T0],
          ["b", 2, T0],
          ["later", 1, T0 + 5000],
        ],
      );
    });

    test("concurrent receives never hand one message to two receivers", async () => {
      const q = await queue();
      await sqs.send(
        q.id,
        Array.from({ length: 100 }, (_, i) => message(`m${i}`)),
        STD,
      );
      const spec = { queueId: q.id, fifo: false, now: T0, max: 3, visibilityMs: 60_000, retentionCutoff: 0 };
      const seen: string[] = [];
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (;;) {
            const r = await sqs.receive(spec);
            if (r.messages.length === 0) return;
            seen.push(...r.messages.map((m) => m.body));
          }
        }),
      );
      assert.equal(seen.length, 100);
      assert.equal(new Set(seen).size, 100);
    });

    test("deleting and changing visibility by receipt: standard and FIFO rules", async () => {
      const std = await queue();
      await sqs.send(std.id, [message("s")], STD);
      const spec = { queueId: std.id, fifo: false, now: T0, max: 1, visibilityMs: 1000, retentionCutoff: 0 };
      const [m] = (await sqs.receive(spec)).messages;
      assert.equal(await sqs.changeVisibility(std.id, m!.rowId, 1, false, T0 + 500, 10_000, 43_200_000), "changed");
      assert.equal(await sqs.changeVisibility(std.id, m!.rowId, 1, false, T0 + 500, 43_200_000, 43_200_000), "tooLong");
      assert.equal(await sqs.changeVisibility(std.id, m!.rowId, 1, false, T0 + 20_000, 5_000, 43_200_000), "noop");
      assert.equal(await sqs.deleteMessage(std.id, m!.rowId, 1, false, T0 + 20_000), "deleted");
      assert.equal(await sqs.deleteMessage(std.id, m!.rowId, 1, false, T0 + 20_000), "gone");
      assert.equal(await sqs.changeVisibility(std.id, m!.rowId, 1, false, T0, 1, 43_200_000), "gone");

      const fifo = await queue(newScope(), "f.fifo", true);
      const opts = { fifo: true, dedupWindowMs: 300_000, now: T0 };
      await sqs.send(fifo.id, [message("f", T0, { groupId: "g", dedupId: "d" })], opts);
      const fspec = { ...spec, queueId: fifo.id, fifo: true };
      const [fm] = (await sqs.receive(fspec)).messages;
      assert.equal(fm!.sequenceNumber, sequenceNumberOf(fm!.rowId));
      assert.equal(await sqs.deleteMessage(fifo.id, fm!.rowId, 1, true, T0 + 1000), "expired");
      assert.equal(await sqs.changeVisibility(fifo.id, fm!.rowId, 1, true, T0 + 1000, 5, 43_200_000), "expired");
      const [again] = (await sqs.receive({ ...fspec, now: T0 + 1000 })).messages;
      assert.equal(again!.receiveCount, 2);
      assert.equal(await sqs.deleteMessage(fifo.id, fm!.rowId, 1, true, T0 + 1500), "expired");
      assert.equal(await sqs.deleteMessage(fifo.id, again!.rowId, 2, true, T0 + 1500), "deleted");
    });

    test("FIFO: groups in order, held while their oldest message is in flight; deduplication per scope and window", async () => {
      const q = await queue(newScope(), "o.fifo", true);
      const opts = { fifo: true, dedupScope: "queue" as const, dedupWindowMs: 300_000, now: T0 };
      const sent = await sqs.send(
        q.id,
        [
          message("g1-a", T0, { groupId: "g1", dedupId: "1" }),
          message("g2-a", T0, { groupId: "g2", dedupId: "2" }),
          message("g1-b", T0, { groupId: "g1", dedupId: "3" }),
          message("dup", T0, { groupId: "g2", dedupId: "1" }),
        ],
        opts,
      );
      assert.deepEqual(
        sent!.map((s) => s.duplicate),
        [false, false, false, true],
      );
      assert.equal(sent![3]!.messageId, sent![0]!.messageId);
      const spec = { queueId: q.id, fifo: true, now: T0, max: 1, visibilityMs: 1000, retentionCutoff: 0 };
      assert.deepEqual(
        (await sqs.receive(spec)).messages.map((m) => m.body),
        ["g1-a"],
      );
      assert.deepEqual(
        (await sqs.receive({ ...spec, max: 10 })).messages.map((m) => m.body),
        ["g2-a"],
      );
      assert.deepEqual((await sqs.receive({ ...spec, max: 10 })).messages, []);
      assert.deepEqual(
        (await sqs.receive({ ...spec, max: 10, now: T0 + 1000 })).messages.map((m) => m.body),
        ["g1-a", "g1-b", "g2-a"],
      );
      const later = await sqs.send(q.id, [message("again", T0, { groupId: "g3", dedupId: "1" })], {
        ...opts,
        now: T0 + 300_000,
      });
      assert.equal(later![0]!.duplicate, false);
      const scoped = await queue(newScope(), "s.fifo", true);
      const groupScope = { ...opts, dedupScope: "messageGroup" as const };
      const r = await sqs.send(
        scoped.id,
        [message("x", T0, { groupId: "a", dedupId: "d" }), message("y", T0, { groupId: "b", dedupId: "d" })],
        groupScope,
      );
      assert.deepEqual(
        r!.map((s) => s.duplicate),
        [false, false],
      );
    });

    test("a message received maxReceiveCount times moves to the dead-letter queue on its next receive", async () => {
      const scope = newScope();
      const src = await queue(scope, "src");
      const dlq = await queue(scope, "dlq");
      await sqs.send(src.id, [message("poison")], STD);
      const redrive = { maxReceiveCount: 2, queueId: dlq.id, fifo: false, sourceArn: "arn:aws:sqs:eu-west-1:1:src" };
      const spec = { queueId: src.id, fifo: false, now: T0, max: 10, visibilityMs: 0, retentionCutoff: 0, redrive };
      assert.equal((await sqs.receive(spec)).messages.length, 1);
      assert.equal((await sqs.receive(spec)).messages.length, 1);
      const third = await sqs.receive(spec);
      assert.deepEqual([third.messages.length, third.movedToDlq], [0, 1]);
      const [moved] = (await sqs.receive({ ...spec, queueId: dlq.id, redrive: undefined })).messages;
      assert.deepEqual(
        [moved!.body, moved!.receiveCount, moved!.sentAt, moved!.dlqSourceArn],
        ["poison", 3, T0, redrive.sourceArn],
      );
    });

    test("purge deletes what was sent up to its time, at most once per interval", async () => {
      const q = await queue();
      await sqs.send(q.id, [message("a"), message("b")], STD);
      assert.equal(await sqs.purge(q.id, T0 + 10, 60_000), "purged");
      assert.equal(await sqs.purge(q.id, T0 + 20, 60_000), "inProgress");
      assert.equal(await sqs.purge(q.id, T0 + 60_010, 60_000), "purged");
      assert.deepEqual(await sqs.counts(q.id, T0 + 60_010, 0), { visible: 0, notVisible: 0, delayed: 0 });
      assert.equal(await sqs.purge(-1, T0, 60_000), "gone");
    });

    test("expire deletes messages past their queue's retention and old bookkeeping", async () => {
      const q = await queue(newScope(), "r", false, 60_000);
      await sqs.send(q.id, [message("old", T0), message("new", T0 + 30_000)], STD);
      await sqs.expire(T0 + 60_000, 60_000, 300_000);
      const left = await sqs.peekAvailable(q.id, T0 + 60_000, 0, 10);
      assert.deepEqual(
        left.map((m) => m.body),
        ["new"],
      );
    });

    test("move tasks: one active per source, listed newest first, cancelled, updated", async () => {
      const scope = newScope();
      const task = (taskId: string, startedAt: number) => ({
        taskId,
        ...scope,
        sourceArn: "arn:src",
        destinationArn: null,
        maxPerSecond: 5,
        status: "RUNNING" as const,
        moved: 0,
        toMove: 10,
        failureReason: null,
        startedAt,
        updatedAt: startedAt,
      });
      const a = randomUUID();
      assert.notEqual(await sqs.startMoveTask(task(a, T0)), "running");
      assert.equal(await sqs.startMoveTask(task(randomUUID(), T0 + 1)), "running");
      await sqs.updateMoveTask(a, { movedDelta: 3 }, T0 + 2);
      const cancelled = await sqs.cancelMoveTask(a, T0 + 3);
      assert.deepEqual([cancelled!.status, cancelled!.moved], ["CANCELLING", 3]);
      assert.ok((await sqs.activeMoveTasks()).some((t) => t.taskId === a));
      await sqs.updateMoveTask(a, { status: "CANCELLED" }, T0 + 4);
      const b = randomUUID();
      assert.notEqual(await sqs.startMoveTask(task(b, T0 + 5)), "running");
      assert.deepEqual(
        (await sqs.moveTasks(scope, "arn:src", 10)).map((t) => [t.taskId, t.status]),
        [
          [b, "RUNNING"],
          [a, "CANCELLED"],
        ],
      );
      assert.equal((await sqs.moveTask(a))!.updatedAt, T0 + 4);
    });

    if (backend.persistent) {
      test("two nodes on one database never hand one message to two receivers", async () => {
        const q = await queue();
        await sqs.send(
          q.id,
          Array.from({ length: 60 }, (_, i) => message(`m${i}`)),
          STD,
        );
        const other = await openDatabase(location.options);
        try {
          const nodes = [sqs, createSqsStore(other)];
          const spec = { queueId: q.id, fifo: false, now: T0, max: 2, visibilityMs: 60_000, retentionCutoff: 0 };
          const seen: string[] = [];
          await Promise.all(
            Array.from({ length: 6 }, async (_, i) => {
              for (;;) {
                const r = await nodes[i % 2]!.receive(spec);
                if (r.messages.length === 0) return;
                seen.push(...r.messages.map((m) => m.body));
              }
            }),
          );
          assert.equal(seen.length, 60);
          assert.equal(new Set(seen).size, 60);
        } finally {
          await other.close();
        }
      });

      test("queues and messages survive closing and reopening the database", async () => {
        const scope = newScope();
        const q = await queue(scope, "durable");
        await sqs.send(q.id, [message("kept")], STD);
        const again = await openDatabase(location.options);
        try {
          const store = createSqsStore(again);
          const found = await store.queue(scope, "durable");
          const got = await store.peekAvailable(found!.id, T0, 0, 10);
          assert.deepEqual(
            got.map((m) => m.body),
            ["kept"],
          );
        } finally {
          await again.close();
        }
      });
    }
  });
}
