/** LogsStore contract (log groups, streams, resource policies), run on every backend in backends.ts. */
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { openDatabase, type Database } from "../../src/storage/db.js";
import {
  createLogsStore,
  prefixBound,
  type LogGroupQuery,
  type LogsScope,
  type LogsStore,
  type LogStreamQuery,
} from "../../src/storage/logs-store.js";
import { migrate } from "../../src/storage/migrations/index.js";
import { BACKENDS, type Location } from "./backends.js";

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);

/** A fresh 12-digit account per call, so tests never see each other's rows. */
const newScope = (region = "us-east-1"): LogsScope => ({
  account: String(randomInt(100_000_000_000, 999_999_999_999)),
  region,
});

test("prefixBound is the least string above every string with the prefix", () => {
  assert.equal(prefixBound("abc"), "abd");
  assert.equal(prefixBound("a/"), "a0");
  assert.equal(prefixBound("x\u{10FFFF}"), undefined);
  assert.equal(prefixBound("\uD7FF"), "\uE000");
  assert.equal(prefixBound("é"), "ê");
  assert.equal(prefixBound(""), undefined);
});

for (const backend of BACKENDS) {
  describe(`logs store on ${backend.name}`, () => {
    let location: Location;
    let db: Database;
    let logs: LogsStore;

    before(async () => {
      location = backend.create();
      db = await openDatabase(location.options);
      await migrate(db);
      logs = createLogsStore(db);
    });
    after(async () => {
      await db.close();
      await location.cleanup();
    });

    test("a group is created once per scope, with its settings, and read back", async () => {
      const scope = newScope();
      const g = await logs.createGroup(scope, {
        name: "/app/one",
        creationTime: T0,
        kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/k",
        logGroupClass: "INFREQUENT_ACCESS",
        deletionProtection: true,
        tags: { b: "2", a: "1" },
      });
      assert.ok(g);
      assert.deepEqual(
        { ...g, id: 0 },
        {
          id: 0,
          name: "/app/one",
          creationTime: T0,
          retentionInDays: null,
          kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/k",
          logGroupClass: "INFREQUENT_ACCESS",
          deletionProtection: true,
          storedBytes: 0,
          tags: { a: "1", b: "2" },
        },
      );
      assert.deepEqual(await logs.group(scope, "/app/one"), g);
      assert.equal(await logs.createGroup(scope, { name: "/app/one", creationTime: T0 + 1 }), undefined);
      assert.equal(await logs.group(scope, "/app/ONE"), undefined, "names are case-sensitive");
      const other = { ...scope, region: "eu-west-1" };
      assert.equal(await logs.group(other, "/app/one"), undefined);
      assert.ok(await logs.createGroup(other, { name: "/app/one", creationTime: T0 }), "same name, other region");
      const otherAccount = newScope();
      assert.ok(await logs.createGroup(otherAccount, { name: "/app/one", creationTime: T0 }));
    });

    test("groups: code-point order, prefix, substring, names, class, and keyset pages", async () => {
      const scope = newScope();
      const names = ["b", "a_1", "a%", "a", "A", "aa", "a/x", "a0", "ab", "zz", "a_b"];
      for (const [i, name] of names.entries()) {
        await logs.createGroup(scope, {
          name,
          creationTime: T0 + i,
          logGroupClass: name.startsWith("a_") ? "DELIVERY" : "STANDARD",
        });
      }
      const list = async (q: Partial<LogGroupQuery>) =>
        (await logs.groups(scope, { limit: 50, ...q })).map((g) => g.name);
      const sorted = [...names].sort();
      assert.deepEqual(await list({}), sorted);
      assert.deepEqual(
        await list({ prefix: "a" }),
        sorted.filter((n) => n.startsWith("a")),
      );
      assert.deepEqual(await list({ prefix: "a_" }), ["a_1", "a_b"], "_ is not a wildcard");
      assert.deepEqual(await list({ prefix: "a%" }), ["a%"], "% is not a wildcard");
      assert.deepEqual(await list({ contains: "_" }), ["a_1", "a_b"]);
      assert.deepEqual(await list({ contains: "A" }), ["A"], "substring search is case-sensitive");
      assert.deepEqual(await list({ names: ["zz", "b", "nope"] }), ["b", "zz"]);
      assert.deepEqual(await list({ names: [] }), []);
      assert.deepEqual(await list({ logGroupClass: "DELIVERY" }), ["a_1", "a_b"]);
      assert.deepEqual(await list({ limit: 3 }), sorted.slice(0, 3));
      assert.deepEqual(await list({ after: "a0", limit: 2 }), sorted.slice(sorted.indexOf("a0") + 1).slice(0, 2));
      assert.deepEqual(await list({ prefix: "a", after: "a0", limit: 2 }), ["a_1", "a_b"]);
      assert.deepEqual(await list({ prefix: "a", after: "ab" }), []);
    });

    test("updateGroup changes what it returns and refuses when the change throws", async () => {
      const scope = newScope();
      await logs.createGroup(scope, { name: "g", creationTime: T0, tags: { k: "v" } });
      const updated = await logs.updateGroup(scope, "g", (g) => ({
        retentionInDays: 7,
        kmsKeyId: "key",
        tags: { ...g.tags, n: "1" },
      }));
      assert.equal(updated?.retentionInDays, 7);
      assert.deepEqual((await logs.group(scope, "g"))?.tags, { k: "v", n: "1" });
      assert.equal((await logs.group(scope, "g"))?.kmsKeyId, "key");
      await logs.updateGroup(scope, "g", () => ({ retentionInDays: null, kmsKeyId: null }));
      const cleared = await logs.group(scope, "g");
      assert.equal(cleared?.retentionInDays, null);
      assert.equal(cleared?.kmsKeyId, null);
      await assert.rejects(
        logs.updateGroup(scope, "g", () => {
          throw new Error("refused");
        }),
        /refused/,
      );
      assert.equal(await logs.updateGroup(scope, "missing", () => ({ retentionInDays: 1 })), undefined);
    });

    test("concurrent tag updates all land (compare-and-set retries)", async () => {
      const scope = newScope();
      await logs.createGroup(scope, { name: "g", creationTime: T0 });
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          logs.updateGroup(scope, "g", (g) => ({ tags: { ...g.tags, [`k${i}`]: String(i) } })),
        ),
      );
      const tags = (await logs.group(scope, "g"))!.tags;
      assert.equal(Object.keys(tags).length, 20);
    });

    test("deleteGroup removes the group and its streams, and honours deletion protection", async () => {
      const scope = newScope();
      await logs.createGroup(scope, { name: "g", creationTime: T0 });
      await logs.createStream(scope, "g", "s", T0);
      assert.equal(await logs.deleteGroup(scope, "g"), "deleted");
      assert.equal(await logs.group(scope, "g"), undefined);
      assert.equal(await logs.deleteGroup(scope, "g"), "notFound");
      await logs.createGroup(scope, { name: "g", creationTime: T0 });
      const again = await logs.stream(scope, "g", "s");
      assert.equal(again?.stream, undefined, "a re-created group has none of the old streams");

      await logs.createGroup(scope, { name: "p", creationTime: T0, deletionProtection: true });
      await logs.createStream(scope, "p", "s", T0);
      assert.equal(await logs.deleteGroup(scope, "p"), "protected");
      assert.equal(await logs.deleteStream(scope, "p", "s"), "protected");
      await logs.updateGroup(scope, "p", () => ({ deletionProtection: false }));
      assert.equal(await logs.deleteStream(scope, "p", "s"), "deleted");
      assert.equal(await logs.deleteGroup(scope, "p"), "deleted");
    });

    test("streams are created once per group and deleted", async () => {
      const scope = newScope();
      assert.deepEqual(await logs.createStream(scope, "g", "s", T0), { status: "noGroup" });
      const g = (await logs.createGroup(scope, { name: "g", creationTime: T0 }))!;
      const created = await logs.createStream(scope, "g", "s:é", T0 + 5);
      assert.equal(created.status, "created");
      if (created.status !== "created") return;
      assert.deepEqual(
        { ...created.stream, id: 0 },
        {
          id: 0,
          groupId: g.id,
          name: "s:é",
          creationTime: T0 + 5,
          firstEventTimestamp: null,
          lastEventTimestamp: null,
          lastIngestionTime: null,
          storedBytes: 0,
        },
      );
      assert.deepEqual(await logs.createStream(scope, "g", "s:é", T0), { status: "exists" });
      assert.deepEqual(await logs.stream(scope, "g", "s:é"), { group: g, stream: created.stream });
      assert.deepEqual(await logs.stream(scope, "g", "other"), { group: g });
      assert.equal(await logs.stream(scope, "nope", "s:é"), undefined);
      assert.equal(await logs.deleteStream(scope, "g", "other"), "noStream");
      assert.equal(await logs.deleteStream(scope, "nope", "s:é"), "noGroup");
      assert.equal(await logs.deleteStream(scope, "g", "s:é"), "deleted");
      assert.deepEqual(await logs.stream(scope, "g", "s:é"), { group: g });
    });

    test("streams by name and by last event time, both directions, paged by keyset", async () => {
      const scope = newScope();
      const g = (await logs.createGroup(scope, { name: "g", creationTime: T0 }))!;
      const names = ["c", "a", "b2", "b1", "é", "Z", "d", "e"];
      for (const n of names) await logs.createStream(scope, "g", n, T0);
      // Event statistics are the event path's to keep; set some directly as it would.
      const times: Record<string, number> = { c: 30, a: 10, b2: 20, b1: 20, d: 5 };
      for (const [name, t] of Object.entries(times)) {
        await db.kysely
          .withTables<{ log_streams: { group_id: number; name: string; last_event_ts: number | null } }>()
          .updateTable("log_streams")
          .set({ last_event_ts: T0 + t })
          .where("group_id", "=", g.id)
          .where("name", "=", name)
          .execute();
      }

      const all = async (q: Omit<LogStreamQuery, "limit" | "after">, pageSize: number) => {
        const out: string[] = [];
        let after: LogStreamQuery["after"];
        for (;;) {
          const page = await logs.streams(g.id, { ...q, limit: pageSize, after });
          out.push(...page.map((s) => s.name));
          if (page.length < pageSize) return out;
          const last = page[page.length - 1]!;
          after = { name: last.name, lastEventTimestamp: last.lastEventTimestamp };
        }
      };
      const byName = [...names].sort();
      const byTime = [...names].sort((x, y) => (times[x] ?? -1) - (times[y] ?? -1) || (x < y ? -1 : x > y ? 1 : 0));
      for (const size of [1, 2, 3, 50]) {
        assert.deepEqual(await all({ orderBy: "LogStreamName", descending: false }, size), byName);
        assert.deepEqual(await all({ orderBy: "LogStreamName", descending: true }, size), [...byName].reverse());
        assert.deepEqual(await all({ orderBy: "LastEventTime", descending: false }, size), byTime);
        assert.deepEqual(await all({ orderBy: "LastEventTime", descending: true }, size), [...byTime].reverse());
      }
      assert.deepEqual(await all({ orderBy: "LogStreamName", descending: false, prefix: "b" }, 1), ["b1", "b2"]);
      assert.deepEqual(await all({ orderBy: "LogStreamName", descending: true, prefix: "b" }, 1), ["b2", "b1"]);
      const [first] = await logs.streams(g.id, { orderBy: "LastEventTime", descending: true, limit: 1 });
      assert.equal(first?.lastEventTimestamp, T0 + 30);
    });

    test("resource policies: put creates or replaces, at most the quota, delete", async () => {
      const scope = newScope();
      assert.deepEqual(await logs.resourcePolicies(scope), []);
      const p = (name: string, lastUpdated = T0) => ({ name, document: `{"n":"${name}"}`, lastUpdated });
      assert.deepEqual(await logs.putResourcePolicy(scope, p("b"), 3), p("b"));
      assert.deepEqual(await logs.putResourcePolicy(scope, p("a"), 3), p("a"));
      assert.deepEqual(await logs.putResourcePolicy(scope, p("c"), 3), p("c"));
      assert.equal(await logs.putResourcePolicy(scope, p("d"), 3), "limit");
      const replaced = { name: "a", document: "{}", lastUpdated: T0 + 9 };
      assert.deepEqual(await logs.putResourcePolicy(scope, replaced, 3), replaced, "replacing is not creating");
      assert.deepEqual(await logs.resourcePolicies(scope), [replaced, p("b"), p("c")]);
      assert.deepEqual(await logs.resourcePolicies(newScope()), []);
      assert.equal(await logs.deleteResourcePolicy(scope, "b"), true);
      assert.equal(await logs.deleteResourcePolicy(scope, "b"), false);
      assert.deepEqual(await logs.putResourcePolicy(scope, p("d"), 3), p("d"));
    });

    test("concurrent puts never exceed the policy quota", async () => {
      const scope = newScope();
      const results = await Promise.all(
        Array.from({ length: 15 }, (_, i) =>
          logs.putResourcePolicy(scope, { name: `p${i}`, document: "{}", lastUpdated: T0 }, 10),
        ),
      );
      assert.equal(results.filter((r) => r !== "limit").length, 10);
      assert.equal((await logs.resourcePolicies(scope)).length, 10);
    });

    if (backend.persistent) {
      test("groups and streams survive a reopen", async () => {
        const scope = newScope();
        await logs.createGroup(scope, { name: "durable", creationTime: T0, tags: { a: "b" } });
        await logs.createStream(scope, "durable", "s", T0);
        const reopened = await openDatabase(location.options);
        try {
          const again = createLogsStore(reopened);
          assert.deepEqual((await again.group(scope, "durable"))?.tags, { a: "b" });
          assert.ok((await again.stream(scope, "durable", "s"))?.stream);
        } finally {
          await reopened.close();
        }
      });
    }
  });
}
