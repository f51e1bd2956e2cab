/**
 * The delivery outbox (src/delivery/): one row per delivery of a payload to one target, written in the transaction
 * that acknowledges the API call which caused it, and kept until it is delivered (then deleted), dead-lettered or
 * dropped (then kept a day for inspection, state and last_error telling why).
 *
 * A pending row is due when next_attempt_at has passed. Claiming a row leases it (lease_owner, lease_until) and moves
 * next_attempt_at to lease_until, so a row whose node died while delivering it falls due again exactly when its lease
 * expires, and one partial index over (next_attempt_at, id) serves every claim. attempt counts attempts started; it
 * also fences the result: a node records an outcome only while the row still carries its lease and attempt.
 * target, policy, dead_letter and last_error are JSON; payload is bytes.
 */
import type { Migration } from "./types.js";

const table = (id: string, blob: string) => `CREATE TABLE delivery_outbox (
    id ${id},
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempt INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    first_enqueued_at BIGINT NOT NULL,
    policy TEXT NOT NULL,
    dead_letter TEXT,
    lease_owner TEXT,
    lease_until BIGINT,
    last_error TEXT,
    finished_at BIGINT,
    payload ${blob} NOT NULL
  )`;

const indexes = [
  "CREATE INDEX delivery_outbox_due ON delivery_outbox (next_attempt_at, id) WHERE state = 'pending'",
  "CREATE INDEX delivery_outbox_finished ON delivery_outbox (finished_at) WHERE state <> 'pending'",
];

export const delivery: Migration = {
  version: 5,
  name: "delivery",
  // payload last: SQLite reads a row's overflow pages only when a query asks for a column stored in them.
  sqlite: [table("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB"), ...indexes],
  postgres: [table("BIGSERIAL PRIMARY KEY", "BYTEA"), ...indexes],
};
