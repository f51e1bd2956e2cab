/**
 * The EventBridge store's contract on every backend (SQLite file and memory, PostgreSQL with DATABASE_URL):
 * documents by key, listing by parent/prefix/after, multi-row changes in one transaction, archived events committed
 * with the caller's outbox rows, stats and retention.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { openStores } from "../../src/storage/index.js";
import { BACKENDS } from "../storage/backends.js";

const A = { account: "000000000000", region: "us-east-1" };
const B = { account: "111111111111", region: "us-east-1" };

for (const backend of BACKENDS) {
  test(`events store on ${backend.name}`, async () => {
    const loc = backend.create();
    const stores = await openStores(loc.options);
    try {
      const ev = stores.events;
      assert.equal(await ev.create(A, "bus", "", "b1", { n: 1 }), true);
      assert.equal(await ev.create(A, "bus", "", "b1", { n: 2 }), false, "create does not replace");
      assert.deepEqual(await ev.get(A, "bus", "", "b1"), { n: 1 });
      assert.equal(await ev.get(B, "bus", "", "b1"), undefined, "scoped by account");
      await ev.put(A, "bus", "", "b1", { n: 3 });
      assert.deepEqual(await ev.get(A, "bus", "", "b1"), { n: 3 });
      for (const name of ["r_2", "r%1", "R3", "r_1"]) await ev.put(A, "rule", "b1", name, { name });
      const names = async (o: Parameters<typeof ev.list>[2]) => (await ev.list(A, "rule", o)).map((r) => r.name);
      assert.deepEqual(await names({ parent: "b1" }), ["R3", "r%1", "r_1", "r_2"], "code point order");
      assert.deepEqual(
        await names({ parent: "b1", prefix: "r_" }),
        ["r_1", "r_2"],
        "prefix is exact, _ is no wildcard",
      );
      assert.deepEqual(await names({ parent: "b1", prefix: "r%" }), ["r%1"]);
      assert.deepEqual(await names({ parent: "b1", after: "r%1", limit: 2 }), ["r_1", "r_2"]);
      await ev.apply(A, [
        { op: "put", kind: "target", parent: "b1|r_1", name: "t1", doc: {} },
        { op: "put", kind: "target", parent: "b1|r_1", name: "t2", doc: {} },
        { op: "delete", kind: "rule", parent: "b1", name: "R3" },
      ]);
      assert.equal((await ev.list(A, "target", { parent: "b1|r_1" })).length, 2);
      await ev.apply(A, [{ op: "deleteAll", kind: "target", parent: "b1|r_1" }]);
      assert.deepEqual(await ev.list(A, "target", { parent: "b1|r_1" }), []);
      assert.equal(await ev.delete(A, "bus", "", "b1"), true);
      assert.equal(await ev.delete(A, "bus", "", "b1"), false);

      // Archived events commit with what the caller writes in the same transaction, or not at all.
      let ran = false;
      await ev.archive(
        A,
        [
          { archive: "arc", time: 1000, event: '{"a":1}' },
          { archive: "arc", time: 2000, event: '{"a":2}' },
        ],
        {
          sqlite: () => void (ran = true),
          postgres: async () => void (ran = true),
        },
      );
      assert.ok(ran);
      await assert.rejects(
        ev.archive(A, [{ archive: "arc", time: 3000, event: '{"a":3}' }], {
          sqlite: () => {
            throw new Error("boom");
          },
          postgres: async () => {
            throw new Error("boom");
          },
        }),
      );
      assert.deepEqual(await ev.archiveStats(A, "arc"), { count: 2, bytes: 14 });
      const rows = await ev.archived(A, "arc", 0, 1500, 0, 10);
      assert.deepEqual(
        rows.map((r) => r.event),
        ['{"a":1}'],
      );
      const page2 = await ev.archived(A, "arc", 0, 5000, rows[0]!.id, 10);
      assert.deepEqual(
        page2.map((r) => r.time),
        [2000],
      );
      await ev.purgeArchive(A, "arc", 1500);
      assert.deepEqual(await ev.archiveStats(A, "arc"), { count: 1, bytes: 7 });
      assert.deepEqual((await ev.all("rule")).map((r) => r.account).sort(), [A.account, A.account, A.account]);
    } finally {
      await stores.close();
      await loc.cleanup();
    }
  });
}
