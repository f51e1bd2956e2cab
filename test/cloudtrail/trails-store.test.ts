/** TrailsStore contract on every backend (SQLite file and memory; PostgreSQL with DATABASE_URL). */
import assert from "node:assert/strict";
import { randomInt, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createAuditStore } from "../../src/storage/audit-store.js";
import { openDatabase, type Database } from "../../src/storage/db.js";
import { migrate } from "../../src/storage/migrations/index.js";
import { createTrailsStore, type TrailsStore } from "../../src/storage/trails-store.js";
import type { AuditRow } from "../../src/storage/types.js";
import { BACKENDS, type Location } from "../storage/backends.js";

const row = (account: string, i: number): AuditRow => ({
  eventId: randomUUID(),
  account,
  region: "us-east-1",
  eventTime: 1_700_000_000_000 + i,
  eventName: `Op${i}`,
  eventSource: "s3.amazonaws.com",
  readOnly: i % 2 === 0,
  username: null,
  accessKeyId: null,
  eventCategory: "Data",
  resources: [
    { type: "AWS::S3::Bucket", name: "b" },
    { type: "AWS::S3::Object", name: `k${i}` },
  ],
  record: JSON.stringify({ eventName: `Op${i}` }),
});

for (const backend of BACKENDS) {
  describe(`TrailsStore on ${backend.name}`, () => {
    let loc: Location;
    let db: Database;
    let store: TrailsStore;
    before(async () => {
      loc = backend.create();
      db = await openDatabase(loc.options);
      await migrate(db);
      store = createTrailsStore(db);
    });
    after(async () => {
      await db.close();
      await loc.cleanup();
    });

    test("create is unique per ARN; get, list, update, state, delete", async () => {
      const account = String(randomInt(100_000_000_000, 999_999_999_999));
      const arn = `arn:aws:cloudtrail:us-east-1:${account}:trail/t1`;
      const t = { arn, account, region: "us-east-1", name: "t1", multiRegion: false, config: "{}", createdAt: 5 };
      assert.equal(await store.create(t, '{"cursor":0}'), true);
      assert.equal(await store.create(t, '{"cursor":0}'), false);
      assert.deepEqual(await store.get(arn), t);
      assert.deepEqual(
        (await store.listAccount(account)).map((x) => x.name),
        ["t1"],
      );
      assert.equal(await store.updateConfig(arn, '{"a":1}', true), true);
      assert.deepEqual(await store.get(arn), { ...t, config: '{"a":1}', multiRegion: true });
      assert.deepEqual(await store.getState(arn), { logging: false, state: '{"cursor":0}' });
      await store.putState(arn, true, '{"cursor":7}');
      assert.deepEqual(await store.getState(arn), { logging: true, state: '{"cursor":7}' });
      assert.equal(await store.delete(arn), true);
      assert.equal(await store.get(arn), undefined);
      assert.equal(await store.getState(arn), undefined);
      assert.equal(await store.delete(arn), false);
    });

    test("audit records are read after a cursor, in commit order, bounded", async () => {
      const audit = createAuditStore(db);
      const account = String(randomInt(100_000_000_000, 999_999_999_999));
      const start = await store.maxAuditSeq();
      await audit.append([row(account, 1), row(account, 2), row(account, 3)]);
      const max = await store.maxAuditSeq();
      assert.ok(max >= start + 3);
      const all = (await store.auditAfter(start, max, 100)).filter((r) => r.account === account);
      assert.deepEqual(
        all.map((r) => r.eventName),
        ["Op1", "Op2", "Op3"],
      );
      assert.deepEqual(all[0].resources, [
        { type: "AWS::S3::Bucket", name: "b" },
        { type: "AWS::S3::Object", name: "k1" },
      ]);
      assert.equal(all[1].readOnly, true);
      assert.equal(all[0].eventCategory, "Data");
      const firstTwo = await store.auditAfter(start, max, 2);
      assert.equal(firstTwo.length, 2);
      const rest = await store.auditAfter(firstTwo[1].seq, max, 100);
      assert.deepEqual(
        [...firstTwo, ...rest].map((r) => r.seq),
        all.map((r) => r.seq),
      );
      assert.deepEqual(await store.auditAfter(max, max, 10), []);
    });
  });
}
