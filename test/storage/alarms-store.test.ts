/**
 * AlarmsStore writes, run on every backend in backends.ts: a batch of writes applies as if one statement per write ran
 * in order (the store groups state changes and history items into multi-row statements), and listAll reads it back.
 */
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  createAlarmsStore,
  type AlarmRow,
  type AlarmsStore,
  type AlarmWrite,
  type NewHistoryItem,
} from "../../src/storage/alarms-store.js";
import { openDatabase, type Database } from "../../src/storage/db.js";
import { migrate } from "../../src/storage/migrations/index.js";
import { BACKENDS, type Location } from "./backends.js";

const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);

const newAccount = () => String(randomInt(100_000_000_000, 999_999_999_999));

const alarm = (account: string, name: string, extra: Partial<AlarmRow> = {}): AlarmRow => ({
  account,
  region: "us-east-1",
  name,
  type: "MetricAlarm",
  config: JSON.stringify({ AlarmName: name }),
  actionsEnabled: true,
  stateValue: "INSUFFICIENT_DATA",
  stateReason: "Unchecked: Initial alarm creation",
  stateReasonData: null,
  stateUpdatedAt: T0,
  stateTransitionedAt: T0,
  configUpdatedAt: T0,
  evalState: null,
  tags: "[]",
  ...extra,
});

const item = (account: string, name: string, summary: string, at = T0): NewHistoryItem => ({
  account,
  region: "us-east-1",
  alarmName: name,
  alarmType: "MetricAlarm",
  itemType: "StateUpdate",
  at,
  summary,
  data: JSON.stringify({ summary }),
});

for (const backend of BACKENDS) {
  describe(`alarms store on ${backend.name}`, () => {
    let location: Location;
    let db: Database;
    let alarms: AlarmsStore;

    before(async () => {
      location = backend.create();
      db = await openDatabase(location.options);
      await migrate(db);
      alarms = createAlarmsStore(db);
    });
    after(async () => {
      await db.close();
      await location.cleanup();
    });

    const mine = async (account: string) => (await alarms.listAll()).filter((r) => r.account === account);

    test("a batch applies in order: many alarms' state changes, a second change of one, history in order", async () => {
      const account = newAccount();
      const names = Array.from({ length: 150 }, (_, i) => `a${String(i).padStart(3, "0")}`);
      await alarms.write(names.map((n) => ({ op: "upsert", row: alarm(account, n) })));
      const writes: AlarmWrite[] = [];
      names.forEach((n, i) => {
        writes.push({
          op: "state",
          row: alarm(account, n, {
            stateValue: i % 2 ? "ALARM" : "OK",
            stateReason: `reason ${i}`,
            stateReasonData: i % 3 ? `{"i":${i}}` : null,
            stateUpdatedAt: T0 + 60_000,
            stateTransitionedAt: T0 + i,
            evalState: i % 5 ? null : '{"prev":"INSUFFICIENT_DATA"}',
            // Only the state is written: a changed configuration in the row is not.
            config: "{}",
          }),
        });
        writes.push({ op: "history", item: item(account, n, `item ${i}`) });
      });
      // The same alarm again: the later change wins; then one deleted and one created in the same batch.
      writes.push({ op: "state", row: alarm(account, names[7], { stateValue: "OK", stateReason: "again" }) });
      writes.push({ op: "history", item: item(account, names[7], "item again") });
      writes.push({ op: "delete", account, region: "us-east-1", name: names[8] });
      writes.push({ op: "state", row: alarm(account, names[8], { stateReason: "gone" }) });
      writes.push({ op: "upsert", row: alarm(account, "new") });
      writes.push({ op: "state", row: alarm(account, "new", { stateValue: "ALARM", stateReason: "new one" }) });
      await alarms.write(writes);

      const rows = new Map((await mine(account)).map((r) => [r.name, r]));
      assert.equal(rows.size, 150);
      assert.equal(rows.has(names[8]), false);
      assert.deepEqual(rows.get(names[3]), {
        ...alarm(account, names[3]),
        stateValue: "ALARM",
        stateReason: "reason 3",
        stateReasonData: null,
        stateUpdatedAt: T0 + 60_000,
        stateTransitionedAt: T0 + 3,
      });
      assert.deepEqual(rows.get(names[10])?.evalState, '{"prev":"INSUFFICIENT_DATA"}');
      assert.deepEqual(rows.get(names[10])?.stateReasonData, '{"i":10}');
      assert.deepEqual([rows.get(names[7])?.stateValue, rows.get(names[7])?.stateReason], ["OK", "again"]);
      assert.deepEqual([rows.get("new")?.stateValue, rows.get("new")?.stateReason], ["ALARM", "new one"]);

      const history = await alarms.history({ account, region: "us-east-1", ascending: true, limit: 500 });
      assert.deepEqual(
        history.map((h) => h.summary),
        [...names.map((_, i) => `item ${i}`), "item again"],
      );
      assert.deepEqual(history[4], { ...item(account, names[4], "item 4"), id: history[4].id });
      assert.ok(history.every((h, i) => i === 0 || h.id > history[i - 1].id));
    });

    test("an empty batch writes nothing; a failing batch writes nothing", async () => {
      const account = newAccount();
      await alarms.write([]);
      await alarms.write([{ op: "upsert", row: alarm(account, "a") }]);
      await assert.rejects(
        alarms.write([
          { op: "state", row: alarm(account, "a", { stateValue: "ALARM" }) },
          { op: "history", item: item(account, "a", "x") },
          // NOT NULL violated: the whole batch rolls back.
          { op: "upsert", row: alarm(account, "b", { config: null as unknown as string }) },
        ]),
      );
      assert.deepEqual(
        (await mine(account)).map((r) => [r.name, r.stateValue]),
        [["a", "INSUFFICIENT_DATA"]],
      );
      assert.deepEqual(await alarms.history({ account, region: "us-east-1", ascending: true, limit: 10 }), []);
    });

    test("work run within the batch's transaction commits with it, or rolls it back", async () => {
      const account = newAccount();
      await alarms.write([{ op: "upsert", row: alarm(account, "a") }]);
      const ran: string[] = [];
      await alarms.write([{ op: "state", row: alarm(account, "a", { stateValue: "OK" }) }], {
        sqlite: () => void ran.push("sqlite"),
        postgres: async () => void ran.push("postgres"),
      });
      assert.deepEqual(ran, [db.dialect]);
      const fail = new Error("enqueue failed");
      await assert.rejects(
        alarms.write(
          [
            { op: "state", row: alarm(account, "a", { stateValue: "ALARM" }) },
            { op: "history", item: item(account, "a", "x") },
          ],
          {
            sqlite: () => {
              throw fail;
            },
            postgres: async () => {
              throw fail;
            },
          },
        ),
        /enqueue failed/,
      );
      assert.deepEqual(
        (await mine(account)).map((r) => [r.name, r.stateValue]),
        [["a", "OK"]],
      );
      assert.deepEqual(await alarms.history({ account, region: "us-east-1", ascending: true, limit: 10 }), []);
    });
  });
}
