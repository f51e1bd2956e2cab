/** AuditStore contract, run on every backend in backends.ts. */
import assert from "node:assert/strict";
import { randomInt, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { lookupQuery, lookupSlices, type AuditTables, type Slice } from "../../src/storage/audit-store.js";
import { openDatabase, type Database } from "../../src/storage/db.js";
import { openStores } from "../../src/storage/index.js";
import { migrate } from "../../src/storage/migrations/index.js";
import type { AuditQuery, AuditRow, LookupAttributeKey, Stores } from "../../src/storage/types.js";
import { BACKENDS, type Location } from "./backends.js";

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
const HOUR = 3_600_000;

/** A fresh 12-digit account per call, so tests never see each other's rows. */
const newAccount = () => String(randomInt(100_000_000_000, 999_999_999_999));

function row(account: string, over: Partial<AuditRow> = {}): AuditRow {
  const eventId = over.eventId ?? randomUUID();
  const r: AuditRow = {
    eventId,
    account,
    region: "us-east-1",
    eventTime: T0,
    eventName: "DescribeLogGroups",
    eventSource: "logs.amazonaws.com",
    readOnly: true,
    username: "alice",
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    eventCategory: "Management",
    resources: [],
    record: "",
    ...over,
  };
  r.record ||= JSON.stringify({ eventVersion: "1.08", eventID: eventId, eventName: r.eventName });
  return r;
}

function scope(account: string, over: Partial<AuditQuery> = {}): AuditQuery {
  return {
    account,
    region: "us-east-1",
    startTime: T0 - 24 * HOUR,
    endTime: T0 + 24 * HOUR,
    eventCategory: "Management",
    limit: 50,
    ...over,
  };
}

/** What query should return: newest first, later appends first among equal times. */
const newestFirst = (rows: AuditRow[]) =>
  rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.eventTime - a.r.eventTime || b.i - a.i)
    .map((x) => x.r);

const ids = (rows: AuditRow[]) => rows.map((r) => r.eventId);

async function pageAll(stores: Stores, q: AuditQuery): Promise<{ rows: AuditRow[]; pages: number }> {
  const rows: AuditRow[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await stores.audit.query({ ...q, cursor });
    assert.ok(page.rows.length <= q.limit);
    if (page.cursor !== undefined) assert.equal(page.rows.length, q.limit, "a cursor only follows a full page");
    rows.push(...page.rows);
    cursor = page.cursor;
    pages++;
  } while (cursor !== undefined);
  return { rows, pages };
}

for (const backend of BACKENDS) {
  describe(`audit store on ${backend.name}`, () => {
    let location: Location;
    let stores: Stores;

    before(async () => {
      location = backend.create();
      stores = await openStores(location.options);
    });
    after(async () => {
      await stores.close();
      await location.cleanup();
    });

    test("reports its dialect and answers ping", async () => {
      assert.equal(stores.dialect, backend.name === "postgres" ? "postgres" : "sqlite");
      await stores.ping();
    });

    test("append then query returns the rows as written, newest first", async () => {
      const account = newAccount();
      const written = [
        row(account, { eventTime: T0 - 2000, username: null, accessKeyId: null }),
        row(account, {
          eventTime: T0,
          readOnly: false,
          eventName: "CreateLogGroup",
          resources: [{ type: "AWS::Logs::LogGroup", name: "app" }],
          record: JSON.stringify({ eventID: "x", nested: { a: [1, "é", null] } }),
        }),
        row(account, { eventTime: T0 - 1000 }),
      ];
      await stores.audit.append(written);
      const { rows, cursor } = await stores.audit.query(scope(account));
      assert.deepEqual(rows, newestFirst(written));
      assert.equal(cursor, undefined);
    });

    test("an empty append is a no-op", async () => {
      await stores.audit.append([]);
    });

    test("a batch is atomic: a duplicate event id rejects the whole batch", async () => {
      const account = newAccount();
      const dup = row(account);
      await assert.rejects(stores.audit.append([row(account), dup, { ...dup, eventTime: T0 + 1 }]));
      assert.deepEqual((await stores.audit.query(scope(account))).rows, []);
    });

    test("concurrent appends are all stored", async () => {
      const account = newAccount();
      const batches = Array.from({ length: 20 }, (_, i) =>
        Array.from({ length: 5 }, (_, j) => row(account, { eventTime: T0 + i * 10 + j })),
      );
      await Promise.all(batches.map((b) => stores.audit.append(b)));
      const { rows } = await pageAll(stores, scope(account, { limit: 50 }));
      assert.deepEqual(ids(rows), ids(newestFirst(batches.flat())));
    });

    test("every lookup attribute selects exactly its rows", async () => {
      const account = newAccount();
      const a = row(account, {
        eventTime: T0 - 3,
        eventName: "PutMetricData",
        eventSource: "monitoring.amazonaws.com",
        readOnly: false,
        username: "bob",
        accessKeyId: "AKIAB",
        resources: [
          { type: "AWS::S3::Object", name: "arn:aws:s3:::b/k1" },
          { type: "AWS::S3::Object", name: "arn:aws:s3:::b/k2" },
          { type: "AWS::S3::Bucket", name: "b" },
        ],
      });
      const b = row(account, {
        eventTime: T0 - 2,
        eventName: "GetMetricData",
        eventSource: "monitoring.amazonaws.com",
        readOnly: true,
        username: "carol",
        accessKeyId: "AKIAC",
        resources: [{ type: "AWS::S3::Bucket", name: "c" }],
      });
      const c = row(account, {
        eventTime: T0 - 1,
        eventName: "PutMetricData",
        eventSource: "logs.amazonaws.com",
        readOnly: false,
        username: null,
        accessKeyId: null,
      });
      await stores.audit.append([a, b, c]);
      const cases: [LookupAttributeKey, string, AuditRow[]][] = [
        ["EventId", b.eventId, [b]],
        ["EventId", randomUUID(), []],
        ["EventName", "PutMetricData", [c, a]],
        ["ReadOnly", "true", [b]],
        ["ReadOnly", "false", [c, a]],
        ["ReadOnly", "maybe", []],
        ["Username", "bob", [a]],
        ["Username", "nobody", []],
        ["EventSource", "monitoring.amazonaws.com", [b, a]],
        ["AccessKeyId", "AKIAC", [b]],
        ["ResourceType", "AWS::S3::Object", [a]],
        ["ResourceType", "AWS::S3::Bucket", [b, a]],
        ["ResourceName", "b", [a]],
        ["ResourceName", "arn:aws:s3:::b/k2", [a]],
        ["ResourceName", "arn:aws:s3:::b", []],
      ];
      for (const [key, value, expected] of cases) {
        const { rows } = await stores.audit.query(scope(account, { attribute: { key, value } }));
        assert.deepEqual(ids(rows), ids(expected), `${key}=${value}`);
      }
      const viaResource = await stores.audit.query(
        scope(account, { attribute: { key: "ResourceType", value: "AWS::S3::Object" } }),
      );
      assert.deepEqual(viaResource.rows, [a], "a resource lookup returns the whole row");
    });

    test("time bounds are inclusive", async () => {
      const account = newAccount();
      const times = [T0 - 1, T0, T0 + 5, T0 + 6];
      const written = times.map((eventTime) => row(account, { eventTime, resources: [{ type: "T", name: "n" }] }));
      await stores.audit.append(written);
      for (const attribute of [undefined, { key: "ResourceName" as const, value: "n" }]) {
        const { rows } = await stores.audit.query(scope(account, { startTime: T0, endTime: T0 + 5, attribute }));
        assert.deepEqual(
          rows.map((r) => r.eventTime),
          [T0 + 5, T0],
        );
        const point = await stores.audit.query(scope(account, { startTime: T0, endTime: T0, attribute }));
        assert.deepEqual(ids(point.rows), [written[1].eventId]);
        const inverted = await stores.audit.query(scope(account, { startTime: T0 + 5, endTime: T0, attribute }));
        assert.deepEqual(inverted.rows, []);
      }
    });

    test("pagination over many equal event times has no duplicates and no gaps", async () => {
      const account = newAccount();
      // 4 distinct times, 57 rows each, appended in shuffled batches.
      const written = Array.from({ length: 228 }, (_, i) =>
        row(account, {
          eventTime: T0 + ((i * 7) % 4) * 1000,
          eventName: i % 3 === 0 ? "PutLogEvents" : "GetLogEvents",
          resources: [{ type: "AWS::Logs::LogGroup", name: i % 2 === 0 ? "even" : "odd" }],
        }),
      );
      for (let i = 0; i < written.length; i += 13) await stores.audit.append(written.slice(i, i + 13));

      const all = await pageAll(stores, scope(account, { limit: 7 }));
      assert.deepEqual(ids(all.rows), ids(newestFirst(written)));
      assert.equal(all.pages, Math.ceil(228 / 7));

      const puts = await pageAll(
        stores,
        scope(account, { limit: 5, attribute: { key: "EventName", value: "PutLogEvents" } }),
      );
      assert.deepEqual(ids(puts.rows), ids(newestFirst(written.filter((r) => r.eventName === "PutLogEvents"))));

      const even = await pageAll(
        stores,
        scope(account, { limit: 9, attribute: { key: "ResourceName", value: "even" } }),
      );
      assert.deepEqual(ids(even.rows), ids(newestFirst(written.filter((r) => r.resources[0].name === "even"))));

      // Exactly two full pages: the second carries no cursor.
      const exact = await pageAll(stores, scope(account, { limit: 114 }));
      assert.equal(exact.pages, 2);
      assert.equal(exact.rows.length, 228);
    });

    test("management and insight events are kept apart, and data events are never looked up", async () => {
      const account = newAccount();
      const m = row(account, { eventCategory: "Management" });
      const d = row(account, { eventCategory: "Data", resources: [{ type: "AWS::S3::Object", name: "o" }] });
      const i = row(account, { eventCategory: "Insight" });
      await stores.audit.append([m, d, i]);
      for (const [category, expected] of [
        ["Management", m],
        ["Insight", i],
      ] as const) {
        assert.deepEqual(ids((await stores.audit.query(scope(account, { eventCategory: category }))).rows), [
          expected.eventId,
        ]);
      }
      for (const attribute of [
        { key: "ResourceName", value: "o" },
        { key: "ResourceType", value: "AWS::S3::Object" },
        { key: "EventId", value: d.eventId },
      ] as const) {
        const found = await stores.audit.query(scope(account, { attribute, eventCategory: "Management" }));
        assert.deepEqual(found.rows, []);
      }
    });

    test("queries see only their account and region", async () => {
      const account = newAccount();
      const other = newAccount();
      const here = row(account, { resources: [{ type: "T", name: "shared" }] });
      await stores.audit.append([
        here,
        row(account, { region: "eu-west-1", resources: [{ type: "T", name: "shared" }] }),
        row(other, { resources: [{ type: "T", name: "shared" }] }),
      ]);
      assert.deepEqual(ids((await stores.audit.query(scope(account))).rows), [here.eventId]);
      const shared = await stores.audit.query(scope(account, { attribute: { key: "ResourceName", value: "shared" } }));
      assert.deepEqual(ids(shared.rows), [here.eventId]);
      const eu = await stores.audit.query(scope(account, { region: "eu-west-1" }));
      assert.equal(eu.rows.length, 1);
      assert.equal(eu.rows[0].region, "eu-west-1");
    });

    test("a cursor that was not issued for the query is InvalidNextToken", async () => {
      const account = newAccount();
      await stores.audit.append([row(account), row(account)]);
      const first = await stores.audit.query(scope(account, { limit: 1 }));
      assert.ok(first.cursor);
      const bad = [
        "garbage",
        "",
        Buffer.from("1.2").toString("base64url"),
        Buffer.from("x.y.000000000000").toString("base64url"),
        first.cursor + "A",
      ];
      for (const cursor of bad) {
        await assert.rejects(stores.audit.query(scope(account, { cursor })), { code: "InvalidNextToken" }, cursor);
      }
      // Another account's or attribute's query.
      await assert.rejects(stores.audit.query(scope(newAccount(), { cursor: first.cursor })), {
        code: "InvalidNextToken",
      });
      await assert.rejects(
        stores.audit.query(scope(account, { cursor: first.cursor, attribute: { key: "Username", value: "alice" } })),
        { code: "InvalidNextToken" },
      );
      // The same query with other time bounds (EndTime defaulting to now) may page on.
      const next = await stores.audit.query(
        scope(account, { limit: 1, cursor: first.cursor, endTime: T0 + 48 * HOUR }),
      );
      assert.equal(next.rows.length, 1);
      assert.notEqual(next.rows[0].eventId, first.rows[0].eventId);
    });

    test("deleteBefore removes older rows and their resources, keeps the instant itself", async () => {
      const account = newAccount();
      // Far before every other test's rows, so the count is exact.
      const B = T0 - 1000 * HOUR;
      const res = [{ type: "AWS::Logs::LogGroup", name: "expiring" }];
      const old1 = row(account, { eventTime: B - 2 * HOUR, resources: res });
      const old2 = row(account, { eventTime: B - 1, resources: res });
      const edge = row(account, { eventTime: B, resources: res });
      const fresh = row(account, { eventTime: B + HOUR, resources: res });
      await stores.audit.append([old1, old2, edge, fresh]);
      assert.equal(await stores.audit.deleteBefore(B), 2);
      const q = scope(account, { startTime: B - 10 * HOUR, endTime: B + 10 * HOUR });
      assert.deepEqual(ids((await stores.audit.query(q)).rows), [fresh.eventId, edge.eventId]);
      const byName = await stores.audit.query({ ...q, attribute: { key: "ResourceName", value: "expiring" } });
      assert.deepEqual(ids(byName.rows), [fresh.eventId, edge.eventId]);
      assert.equal(await stores.audit.deleteBefore(B), 0);
    });

    test("LookupEvents queries are index range scans in newest-first order", async () => {
      const db = await openDatabase(location.options);
      try {
        if (!backend.persistent) await migrate(db);
        const keys: (LookupAttributeKey | undefined)[] = [
          undefined,
          "EventId",
          "EventName",
          "ReadOnly",
          "Username",
          "ResourceType",
          "ResourceName",
          "EventSource",
          "AccessKeyId",
        ];
        for (const key of keys) {
          const q = scope("123456789012", key ? { attribute: { key, value: key === "ReadOnly" ? "true" : "v" } } : {});
          const slices = [...lookupSlices(q, undefined), ...lookupSlices(q, { eventTime: T0, seq: 10 })];
          for (const slice of slices) {
            const plan = await explain(db, q, slice);
            const where = `${key ?? "no attribute"} ${JSON.stringify(slice)}`;
            assert.doesNotMatch(plan, /\bSCAN\b|Seq Scan/, `${where}: full scan\n${plan}`);
            if (key === "EventId") continue; // a unique point seek: at most one row to order
            assert.doesNotMatch(plan, /TEMP B-TREE|"Sort"/, `${where}: sorts\n${plan}`);
            // Resuming inside an instant seeks to the cursor's seq instead of skipping earlier pages' rows.
            if ("seqBelow" in slice)
              assert.match(plan, /(event_time=\? AND (seq|rowid)<\?)|seq < /, `${where}\n${plan}`);
          }
        }
      } finally {
        await db.close();
      }
    });

    test("reset wipes every account and leaves the store usable", async () => {
      const a = newAccount();
      const b = newAccount();
      await stores.audit.append([row(a, { resources: [{ type: "T", name: "n" }] }), row(b)]);
      await stores.reset();
      assert.deepEqual((await stores.audit.query(scope(a))).rows, []);
      assert.deepEqual((await stores.audit.query(scope(b))).rows, []);
      assert.deepEqual(
        (await stores.audit.query(scope(a, { attribute: { key: "ResourceName", value: "n" } }))).rows,
        [],
      );
      const again = row(a);
      await stores.audit.append([again]);
      assert.deepEqual(ids((await stores.audit.query(scope(a))).rows), [again.eventId]);
    });

    if (backend.persistent) {
      test("rows survive close and reopen", async () => {
        const account = newAccount();
        const written = [
          row(account, { resources: [{ type: "T", name: "kept" }] }),
          row(account, { eventTime: T0 + 1 }),
        ];
        await stores.audit.append(written);
        await stores.close();
        stores = await openStores(location.options);
        assert.deepEqual((await stores.audit.query(scope(account))).rows, newestFirst(written));
        const byName = await stores.audit.query(scope(account, { attribute: { key: "ResourceName", value: "kept" } }));
        assert.deepEqual(ids(byName.rows), [written[0].eventId]);
      });
    }
  });
}

/** The query plan as text: SQLite's EXPLAIN QUERY PLAN details, or PostgreSQL's JSON plan with seq scans and sorts priced out. */
async function explain(db: Database, q: AuditQuery, slice: Slice) {
  const compiled = lookupQuery(db.kysely.withTables<AuditTables>(), q, slice, q.limit + 1)!.compile();
  if (db.dialect === "sqlite") {
    const rows = db.sqlite.prepare(`EXPLAIN QUERY PLAN ${compiled.sql}`).all(...compiled.parameters) as {
      detail: string;
    }[];
    return rows.map((r) => r.detail).join("\n");
  }
  const client = await db.pool.connect();
  try {
    // With these off, the planner still picks a seq scan or a sort when no index can serve the query.
    await client.query("SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off");
    const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, compiled.parameters as unknown[]);
    return JSON.stringify(rows[0]["QUERY PLAN"], null, 1);
  } finally {
    await client.query("RESET ALL");
    client.release();
  }
}
