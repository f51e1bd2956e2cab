/**
 * Shared S3 test set-up: a Vigil (on PostgreSQL, in a schema of its own, when DATABASE_URL is set; else in-memory
 * SQLite), JS SDK clients (path-style), bucket factory and error assertion.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import type { ServerOptions } from "../../src/server.js";
import { startVigil, unique, type Vigil } from "../helpers/vigil.js";

/** startVigil on the backend the run selects; the PostgreSQL schema is dropped on close. */
export async function startS3Vigil(options: ServerOptions = {}): Promise<Vigil> {
  const url = process.env.DATABASE_URL;
  if (!url) return startVigil(options);
  const schema = `vigil_s3_${randomBytes(4).toString("hex")}`;
  const vigil = await startVigil({ ...options, databaseUrl: url, schema, ephemeral: false });
  const close = vigil.close.bind(vigil);
  vigil.close = async () => {
    await close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
  };
  return vigil;
}

export function s3Client(vigil: Vigil, extra: Record<string, unknown> = {}): S3Client {
  return vigil.client(S3Client, { forcePathStyle: true, ...extra });
}

/** A fresh bucket in us-east-1. */
export async function newBucket(s3: S3Client, prefix = "b"): Promise<string> {
  const name = unique(prefix);
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

/** Asserts the call fails with this error code, HTTP status and (when given) message. */
export async function s3Rejects(p: Promise<unknown>, code: string, status: number, message?: string): Promise<void> {
  await assert.rejects(
    p,
    (e: { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.Code ?? e.name, code);
      assert.equal(e.$metadata?.httpStatusCode, status);
      if (message !== undefined) assert.equal(e.message, message);
      return true;
    },
  );
}

/** An access key of another account (12-digit keys select their account in dev mode). */
export const OTHER_ACCOUNT = "111122223333";
