/**
 * S3 buckets and objects. Bucket names are global (one namespace across accounts, as in AWS). Object keys are stored
 * as their UTF-8 bytes (BLOB / BYTEA): byte-wise comparison is exactly S3's listing order (UTF-8 binary), a key may
 * hold any character (U+0000 included), and keys are opaque: nothing is ever stored under a path derived from one.
 * Object bytes live in the row (body last, so listings never read it); `meta` is the JSON of the object's headers,
 * user metadata and checksums. The foreign key keeps a PutObject racing a DeleteBucket from leaving orphans.
 */
import type { Migration } from "./types.js";

const tables = (blob: string) => [
  `CREATE TABLE s3_buckets (
    name TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    policy TEXT,
    notification TEXT
  )`,
  "CREATE INDEX s3_buckets_account ON s3_buckets (account, name)",
  `CREATE TABLE s3_objects (
    bucket TEXT NOT NULL REFERENCES s3_buckets (name),
    obj_key ${blob} NOT NULL,
    size BIGINT NOT NULL,
    etag TEXT NOT NULL,
    last_modified BIGINT NOT NULL,
    meta TEXT NOT NULL,
    body ${blob} NOT NULL,
    PRIMARY KEY (bucket, obj_key)
  )`,
];

export const s3: Migration = {
  version: 9,
  name: "s3",
  sqlite: tables("BLOB"),
  postgres: tables("BYTEA"),
};
