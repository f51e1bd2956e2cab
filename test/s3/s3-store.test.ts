/** S3Store contract, on every backend in test/storage/backends.ts (SQLite file and memory; PostgreSQL with DATABASE_URL). */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { openDatabase, type Database } from "../../src/storage/db.js";
import { migrate } from "../../src/storage/migrations/index.js";
import { createS3Store, type S3Store } from "../../src/storage/s3-store.js";
import { BACKENDS, type Location } from "../storage/backends.js";

const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);

function obj(bucket: string, key: string, body = key) {
  const b = Buffer.from(body);
  return {
    bucket,
    key,
    size: b.length,
    etag: `"${key.length}"`,
    lastModified: T0,
    meta: { metadata: { m: key } },
    body: b,
  };
}

for (const backend of BACKENDS) {
  describe(`S3Store on ${backend.name}`, () => {
    let loc: Location;
    let db: Database;
    let store: S3Store;
    let n = 0;
    const bucketName = () => `bucket-${backend.name.replace(/\W/g, "")}-${++n}`;

    before(async () => {
      loc = backend.create();
      db = await openDatabase(loc.options);
      await migrate(db);
      store = createS3Store(db);
    });
    after(async () => {
      await db.close();
      await loc.cleanup();
    });

    test("bucket names are one namespace; the existing owner is reported", async () => {
      const name = bucketName();
      assert.deepEqual(
        await store.createBucket({ name, account: "111111111111", region: "us-east-1", createdAt: T0 }),
        {
          created: true,
        },
      );
      const again = await store.createBucket({ name, account: "222222222222", region: "eu-west-1", createdAt: T0 + 1 });
      assert.equal(again.created, false);
      assert.equal(!again.created && again.existing.account, "111111111111");
      assert.deepEqual(
        (await store.listBuckets("111111111111")).filter((b) => b.name === name).map((b) => [b.region, b.createdAt]),
        [["us-east-1", T0]],
      );
      await store.setPolicy(name, '{"Statement":[]}');
      await store.setNotification(name, "{}");
      const b = await store.bucket(name);
      assert.equal(b?.policy, '{"Statement":[]}');
      assert.equal(b?.notification, "{}");
    });

    test("keys list in UTF-8 byte order after a marker and from a prefix; bodies and ranges read back", async () => {
      const name = bucketName();
      await store.createBucket({ name, account: "111111111111", region: "us-east-1", createdAt: T0 });
      const keys = ["b", "a", "a\u0000", "ä", "日本", "\uffff", "\u{1F600}", "A", "a/b", "../a"];
      for (const k of keys) await store.putObject(obj(name, k));
      const sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      assert.deepEqual(
        (await store.list(name, undefined, undefined, 100)).map((o) => o.key),
        sorted,
      );
      assert.deepEqual(
        (await store.list(name, "a", undefined, 3)).map((o) => o.key),
        sorted.slice(sorted.indexOf("a") + 1).slice(0, 3),
      );
      assert.deepEqual(
        (await store.list(name, undefined, "a/", 2)).map((o) => o.key),
        ["a/b", "b"],
      );
      const got = await store.get(name, "日本");
      assert.equal(got?.body.toString(), "日本");
      assert.deepEqual(got?.meta, { metadata: { m: "日本" } });
      const part = await store.get(name, "a/b", { start: 1, length: 2 });
      assert.equal(part?.body.toString(), "/b");
      assert.equal(part?.size, 3);
      // Replacing keeps one row.
      await store.putObject(obj(name, "a", "new"));
      assert.equal((await store.get(name, "a"))?.body.toString(), "new");
      assert.equal((await store.list(name, undefined, undefined, 100)).length, keys.length);
    });

    test("a bucket with objects is not deleted; deleteObject returns what it removed", async () => {
      const name = bucketName();
      await store.createBucket({ name, account: "111111111111", region: "us-east-1", createdAt: T0 });
      await store.putObject(obj(name, "k", "body"));
      assert.equal(await store.deleteBucket(name), false);
      const gone = await store.deleteObject(name, "k");
      assert.equal(gone?.key, "k");
      assert.equal(gone?.size, 4);
      assert.equal(await store.deleteObject(name, "k"), undefined);
      assert.equal(await store.head(name, "k"), undefined);
      assert.equal(await store.deleteBucket(name), true);
      assert.equal(await store.bucket(name), undefined);
    });
  });
}
