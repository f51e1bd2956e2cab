/**
 * SQS: queues, their messages, FIFO message groups and deduplication records, ReceiveRequestAttemptId records,
 * recently deleted queue names (a name is reusable 60 seconds after DeleteQueue) and message move tasks.
 *
 * A message is one row. `visible_at` is when it can next be received (its send time plus delay, or the end of its
 * visibility timeout); receiving walks (queue_id, visible_at) in order, so picking the oldest visible messages of a
 * queue is an index range scan whatever the queue's size. Deleting a queue deletes its messages, groups, deduplication
 * and attempt records (ON DELETE CASCADE).
 */
import type { Migration } from "./types.js";

const tables = (id: string) => [
  `CREATE TABLE sqs_queues (
    id ${id},
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    fifo INTEGER NOT NULL,
    attributes TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '{}',
    retention_ms BIGINT NOT NULL,
    redrive_target TEXT,
    created_at BIGINT NOT NULL,
    last_modified BIGINT NOT NULL,
    purged_at BIGINT,
    next_rank BIGINT NOT NULL DEFAULT 0,
    UNIQUE (account, region, name)
  )`,
  "CREATE INDEX sqs_queues_redrive ON sqs_queues (account, region, redrive_target)",
  `CREATE TABLE sqs_messages (
    id ${id},
    queue_id BIGINT NOT NULL REFERENCES sqs_queues (id) ON DELETE CASCADE,
    message_id TEXT NOT NULL,
    body TEXT NOT NULL,
    attributes TEXT,
    system_attributes TEXT,
    md5_body TEXT NOT NULL,
    md5_attributes TEXT,
    sender_id TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    visible_at BIGINT NOT NULL,
    receive_count INTEGER NOT NULL DEFAULT 0,
    first_received_at BIGINT,
    received_at BIGINT,
    group_id TEXT,
    dedup_id TEXT,
    dlq_source_arn TEXT
  )`,
  // id after visible_at: among messages visible since the same instant, the older one comes first.
  "CREATE INDEX sqs_messages_visible ON sqs_messages (queue_id, visible_at, id)",
  "CREATE INDEX sqs_messages_group ON sqs_messages (queue_id, group_id, id)",
  "CREATE INDEX sqs_messages_sent ON sqs_messages (queue_id, sent_at)",
  `CREATE TABLE sqs_fifo_groups (
    queue_id BIGINT NOT NULL REFERENCES sqs_queues (id) ON DELETE CASCADE,
    group_id TEXT NOT NULL,
    rank BIGINT NOT NULL,
    PRIMARY KEY (queue_id, group_id)
  )`,
  "CREATE INDEX sqs_fifo_groups_rank ON sqs_fifo_groups (queue_id, rank)",
  `CREATE TABLE sqs_dedup (
    queue_id BIGINT NOT NULL REFERENCES sqs_queues (id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    dedup_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    sequence_number TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (queue_id, scope, dedup_id)
  )`,
  "CREATE INDEX sqs_dedup_expires ON sqs_dedup (expires_at)",
  `CREATE TABLE sqs_receive_attempts (
    queue_id BIGINT NOT NULL REFERENCES sqs_queues (id) ON DELETE CASCADE,
    attempt_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    receipts TEXT NOT NULL,
    PRIMARY KEY (queue_id, attempt_id)
  )`,
  `CREATE TABLE sqs_deleted_queues (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    deleted_at BIGINT NOT NULL,
    PRIMARY KEY (account, region, name)
  )`,
  `CREATE TABLE sqs_move_tasks (
    task_id TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    source_arn TEXT NOT NULL,
    destination_arn TEXT,
    max_per_second INTEGER,
    status TEXT NOT NULL,
    moved BIGINT NOT NULL DEFAULT 0,
    to_move BIGINT NOT NULL,
    failure_reason TEXT,
    started_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  )`,
  "CREATE INDEX sqs_move_tasks_source ON sqs_move_tasks (account, region, source_arn, started_at)",
  "CREATE INDEX sqs_move_tasks_status ON sqs_move_tasks (status)",
];

export const sqs: Migration = {
  version: 4,
  name: "sqs",
  sqlite: tables("INTEGER PRIMARY KEY AUTOINCREMENT"),
  postgres: tables("BIGSERIAL PRIMARY KEY"),
};
