/**
 * SNS topics, subscriptions and the FIFO deduplication window (src/storage/sns-store.ts). Attributes and tags are
 * JSON objects of strings, as SNS answers them; a subscription's topic is kept by ARN (a subscription outlives
 * nothing: DeleteTopic deletes its subscriptions).
 */
import type { Migration } from "./types.js";

const statements = (id: string) => [
  `CREATE TABLE sns_topics (
    id ${id},
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    arn TEXT NOT NULL UNIQUE,
    fifo INTEGER NOT NULL,
    attributes TEXT NOT NULL,
    tags TEXT NOT NULL,
    created_at BIGINT NOT NULL
  )`,
  "CREATE INDEX sns_topics_scope ON sns_topics (account, region, arn)",
  `CREATE TABLE sns_subscriptions (
    arn TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    topic_arn TEXT NOT NULL,
    protocol TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    owner TEXT NOT NULL,
    confirmed INTEGER NOT NULL,
    token TEXT,
    attributes TEXT NOT NULL,
    created_at BIGINT NOT NULL
  )`,
  "CREATE INDEX sns_subscriptions_topic ON sns_subscriptions (topic_arn, arn)",
  "CREATE INDEX sns_subscriptions_scope ON sns_subscriptions (account, region, arn)",
  `CREATE TABLE sns_dedup (
    topic_arn TEXT NOT NULL,
    dedup_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (topic_arn, dedup_id)
  )`,
];

export const sns: Migration = {
  version: 6,
  name: "sns",
  sqlite: statements("INTEGER PRIMARY KEY AUTOINCREMENT"),
  postgres: statements("BIGSERIAL PRIMARY KEY"),
};
