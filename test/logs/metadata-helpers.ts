/** Helpers shared by the log group, stream, tag, KMS and resource policy tests. */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { CloudWatchLogsClient, CreateLogGroupCommand } from "@aws-sdk/client-cloudwatch-logs";
import type { ServerOptions } from "../../src/server.js";
import { startVigil, unique, type Vigil } from "../helpers/vigil.js";

/**
 * Vigil in-process for a test file: in memory, or, when DATABASE_URL is set, on PostgreSQL in a schema of its own
 * that close() drops.
 */
export async function startLogsVigil(options: ServerOptions = {}): Promise<Vigil> {
  const url = process.env.DATABASE_URL;
  if (!url) return startVigil(options);
  const schema = `vigil_logs_${process.pid}_${randomBytes(4).toString("hex")}`;
  const vigil = await startVigil({ ...options, databaseUrl: url, schema, ephemeral: false });
  return {
    ...vigil,
    async close() {
      await vigil.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Asserts that `p` rejects with exactly this error code and message; resolves with the error. */
export async function rejects(
  p: Promise<unknown>,
  code: string,
  message: string | RegExp,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  assert.ok(err, `expected ${code}, but the call succeeded`);
  assert.equal(err.name, code, err.message);
  if (typeof message === "string") assert.equal(err.message, message);
  else assert.match(err.message, message);
  return err;
}

/** A 12-digit access key selects its own account (DESIGN.md §2). */
export const accountKey = (account: string) => ({ credentials: { accessKeyId: account, secretAccessKey: "s" } });

/** Creates a log group with a unique name under `prefix`; resolves with the name. */
export async function newGroup(logs: CloudWatchLogsClient, prefix = "/vigil/test"): Promise<string> {
  const name = unique(prefix);
  await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  return name;
}
