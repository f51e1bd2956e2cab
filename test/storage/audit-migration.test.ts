/**
 * Migration 12 on a history written before it: data events leave the lookup indexes and the event_id uniqueness
 * (SQLite rebuilds audit_events for that), management events keep every lookup, and seqs keep growing past every
 * seq issued before, since trails read the history by seq. On every backend in backends.ts.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import { sql } from "kysely";
import { createAuditStore } from "../../src/storage/audit-store.js";
import { openDatabase } from "../../src/storage/db.js";
import { migrate, migrations } from "../../src/storage/migrations/index.js";
import type { AuditRow } from "../../src/storage/types.js";
import { BACKENDS } from "./backends.js";

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
const ACCOUNT = "123456789012";

const row = (eventCategory: string, over: Partial<AuditRow> = {}): AuditRow => ({
  eventId: randomUUID(),
  account: ACCOUNT,
  region: "us-east-1",
  eventTime: T0,
  eventName: eventCategory === "Data" ? "PutMetricData" : "PutMetricAlarm",
  eventSource: "monitoring.amazonaws.com",
  readOnly: false,
  username: "alice",
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  eventCategory,
  resources: [],
  record: "{}",
  ...over,
});

const scope = { account: ACCOUNT, region: "us-east-1", startTime: T0 - 1000, endTime: T0 + 1000, limit: 50 };

for (const backend of BACKENDS) {
  describe(`audit migration 12 on ${backend.name}`, () => {
    test("history written before it keeps its management lookups and its seqs; data rows leave the indexes", async () => {
      const location = backend.create();
      const db = await openDatabase(location.options);
      try {
        await migrate(
          db,
          migrations.filter((m) => m.version < 12),
        );
        const k = db.kysely;
        // Rows as version 11 wrote them: lookup rows for every event, data events included.
        const written = [
          row("Management", { resources: [{ type: "AWS::CloudWatch::Alarm", name: "high-cpu" }] }),
          row("Data", { resources: [{ type: "AWS::CloudWatch::Metric", name: "cpu" }] }),
          row("Management"),
          row("Data"),
        ];
        for (const r of written) {
          const { rows } = await sql<{ seq: number | string }>`
            INSERT INTO audit_events (event_id, account, region, event_time, event_name, event_source, read_only,
              username, access_key_id, event_category, resources, record)
            VALUES (${r.eventId}, ${r.account}, ${r.region}, ${r.eventTime}, ${r.eventName}, ${r.eventSource}, 0,
              ${r.username}, ${r.accessKeyId}, ${r.eventCategory}, ${JSON.stringify(r.resources)}, ${r.record})
            RETURNING seq`.execute(k);
          for (const res of r.resources)
            await sql`INSERT INTO audit_resources (seq, attribute, value, account, region, event_category, event_time)
              VALUES (${rows[0].seq}, 'ResourceName', ${res.name}, ${r.account}, ${r.region}, ${r.eventCategory},
                      ${r.eventTime})`.execute(k);
        }
        // Retention took the newest row: its seq must never be issued again.
        const maxBefore = Number(
          (await sql<{ m: number | string }>`SELECT max(seq) AS m FROM audit_events`.execute(k)).rows[0].m,
        );
        await sql`DELETE FROM audit_events WHERE seq = ${maxBefore}`.execute(k);

        await migrate(db);
        const audit = createAuditStore(db);
        const [alarmEvent, metricEvent] = written;
        const byName = await audit.query({
          ...scope,
          eventCategory: "Management",
          attribute: { key: "ResourceName", value: "high-cpu" },
        });
        assert.deepEqual(
          byName.rows.map((r) => r.eventId),
          [alarmEvent.eventId],
        );
        const byId = await audit.query({
          ...scope,
          eventCategory: "Management",
          attribute: { key: "EventId", value: alarmEvent.eventId },
        });
        assert.deepEqual(
          byId.rows.map((r) => r.eventId),
          [alarmEvent.eventId],
        );
        const all = await audit.query({ ...scope, eventCategory: "Management" });
        assert.equal(all.rows.length, 2);
        const left = await sql<{ n: number | string }>`
          SELECT count(*) AS n FROM audit_resources WHERE event_category = 'Data'`.execute(k);
        assert.equal(Number(left.rows[0].n), 0);
        const kept = await sql<{ event_id: string }>`
          SELECT event_id FROM audit_events WHERE event_category = 'Data' ORDER BY seq`.execute(k);
        assert.deepEqual(
          kept.rows.map((r) => r.event_id),
          [metricEvent.eventId],
        );

        const next = row("Management");
        await audit.append([next]);
        const seq = Number(
          (
            await sql<{ seq: number | string }>`SELECT seq FROM audit_events WHERE event_id = ${next.eventId}`.execute(
              k,
            )
          ).rows[0].seq,
        );
        assert.ok(seq > maxBefore, `seq ${seq} after ${maxBefore}`);
        // Management event ids stay unique; data event ids are no longer indexed at all.
        await assert.rejects(audit.append([row("Management", { eventId: alarmEvent.eventId })]));
        await audit.append([row("Data", { eventId: metricEvent.eventId })]);
        // Deleting an event still takes its lookup rows with it.
        await audit.deleteBefore(T0 + 1);
        const orphans = await sql<{ n: number | string }>`SELECT count(*) AS n FROM audit_resources`.execute(k);
        assert.equal(Number(orphans.rows[0].n), 0);
      } finally {
        await db.close();
        await location.cleanup();
      }
    });
  });
}
