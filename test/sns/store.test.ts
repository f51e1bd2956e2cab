/**
 * The SNS store on every backend (SQLite file and memory; PostgreSQL with DATABASE_URL): topics, subscriptions,
 * pages in ARN order, DeleteTopic cascading to subscriptions, and publish: the FIFO deduplication window and the
 * deliveries enqueued in its transaction (none when the publish is a duplicate or the enqueue throws).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { openStores } from "../../src/storage/index.js";
import type { TopicRecord } from "../../src/storage/sns-store.js";
import { BACKENDS } from "../storage/backends.js";

const topic = (name: string, account = "111111111111"): TopicRecord => ({
  account,
  region: "us-east-1",
  name,
  arn: `arn:aws:sns:us-east-1:${account}:${name}`,
  fifo: name.endsWith(".fifo"),
  attributes: { DisplayName: name },
  tags: { k: "v" },
  createdAt: 1000,
});

const row = (n: number) => ({
  account: "111111111111",
  region: "us-east-1",
  kind: "test.kind",
  target: "{}",
  nextAttemptAt: 0,
  firstEnqueuedAt: 0,
  policy: "{}",
  deadLetter: null,
  payload: Buffer.from(`payload ${n}`),
});

for (const backend of BACKENDS) {
  describe(`sns store on ${backend.name}`, () => {
    test("topics, subscriptions, pages, cascade", async () => {
      const loc = backend.create();
      const stores = await openStores(loc.options);
      try {
        const s = stores.sns;
        const a = await s.createTopic(topic("a"));
        assert.equal(a.created, true);
        const again = await s.createTopic({ ...topic("a"), attributes: { DisplayName: "other" } });
        assert.equal(again.created, false);
        assert.deepEqual(again.topic, topic("a"));
        await s.createTopic(topic("b"));
        await s.createTopic(topic("c", "222222222222"));
        const scope = { account: "111111111111", region: "us-east-1" };
        assert.deepEqual(
          (await s.listTopics(scope, undefined, 1)).map((t) => t.name),
          ["a"],
        );
        assert.deepEqual(
          (await s.listTopics(scope, topic("a").arn, 10)).map((t) => t.name),
          ["b"],
        );
        assert.equal(await s.updateTopic(topic("a").arn, { attributes: { DisplayName: "x" }, tags: {} }), true);
        assert.deepEqual((await s.getTopic(topic("a").arn))!.attributes, { DisplayName: "x" });
        const sub = {
          arn: `${topic("a").arn}:1`,
          account: "111111111111",
          region: "us-east-1",
          topicArn: topic("a").arn,
          protocol: "http",
          endpoint: "http://x",
          owner: "111111111111",
          confirmed: false,
          token: "ab",
          attributes: { RawMessageDelivery: "true" },
          createdAt: 5,
        };
        await s.createSubscription(sub);
        await s.createSubscription({ ...sub, arn: `${topic("a").arn}:2`, token: null, confirmed: true });
        assert.deepEqual(await s.getSubscription(sub.arn), sub);
        assert.equal((await s.subscriptionsOfTopic(topic("a").arn)).length, 2);
        assert.deepEqual(
          (await s.listSubscriptions(scope, sub.arn, 10)).map((x) => x.arn),
          [`${topic("a").arn}:2`],
        );
        await s.updateSubscription(sub.arn, { confirmed: true, token: "ab" });
        assert.equal((await s.getSubscription(sub.arn))!.confirmed, true);
        assert.equal(await s.deleteSubscription(`${topic("a").arn}:2`), true);
        assert.equal(await s.deleteSubscription(`${topic("a").arn}:2`), false);
        assert.equal(await s.deleteTopic(topic("a").arn), true);
        assert.equal(await s.getSubscription(sub.arn), undefined);
        assert.equal(await s.getTopic(topic("a").arn), undefined);
      } finally {
        await stores.close();
        await loc.cleanup();
      }
    });

    test("publish: deduplication window and deliveries in one transaction", async () => {
      const loc = backend.create();
      const stores = await openStores(loc.options);
      try {
        const s = stores.sns;
        let n = 0;
        const enqueue = {
          sqlite: (tx: Parameters<typeof stores.delivery.insertSqlite>[0]) =>
            void stores.delivery.insertSqlite(tx, [row(n++)]),
          postgres: async (tx: Parameters<typeof stores.delivery.insertPostgres>[0]) =>
            void (await stores.delivery.insertPostgres(tx, [row(n++)])),
        };
        const dedup = (messageId: string, now: number) => ({
          topicArn: "t",
          dedupId: "d",
          messageId,
          now,
          windowMs: 300_000,
        });
        assert.deepEqual(await s.publish(dedup("m1", 0), enqueue), {});
        assert.deepEqual(await s.publish(dedup("m2", 1000), enqueue), { duplicateOf: "m1" });
        assert.deepEqual(await s.publish(dedup("m3", 300_001), enqueue), {});
        assert.deepEqual(await s.publish(undefined, enqueue), {});
        assert.equal((await stores.delivery.list()).length, 3);
        // A throwing enqueue rolls the deduplication record back.
        const failing = {
          sqlite: () => {
            throw new Error("boom");
          },
          postgres: async () => {
            throw new Error("boom");
          },
        };
        await assert.rejects(s.publish({ ...dedup("m4", 400_000), dedupId: "e" }, failing), /boom/);
        assert.deepEqual(await s.publish({ ...dedup("m5", 400_000), dedupId: "e" }, enqueue), {});
        await s.expireDedup(10_000_000);
        assert.deepEqual(await s.publish(dedup("m6", 10_000_001), enqueue), {});
      } finally {
        await stores.close();
        await loc.cleanup();
      }
    });
  });
}
