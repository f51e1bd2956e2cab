/**
 * The databases every storage contract test runs on: SQLite in a file and in memory always, PostgreSQL when
 * DATABASE_URL is set (each location in its own schema, dropped at cleanup).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { DatabaseOptions } from "../../src/storage/db.js";

/** One database location: every open with `options` reaches the same data (except in memory). */
export interface Location {
  options: DatabaseOptions;
  cleanup(): Promise<void>;
}

export interface Backend {
  name: string;
  /** Whether data survives close and reopen. */
  persistent: boolean;
  create(): Location;
}

export const BACKENDS: Backend[] = [
  {
    name: "sqlite file",
    persistent: true,
    create() {
      const dataDir = mkdtempSync(join(tmpdir(), "vigil-storage-"));
      return { options: { dataDir }, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
    },
  },
  {
    name: "sqlite :memory:",
    persistent: false,
    create: () => ({ options: { ephemeral: true }, cleanup: async () => {} }),
  },
];

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  BACKENDS.push({
    name: "postgres",
    persistent: true,
    create() {
      const schema = `vigil_test_${process.pid}_${randomBytes(4).toString("hex")}`;
      return {
        options: { databaseUrl, schema },
        async cleanup() {
          const client = new pg.Client({ connectionString: databaseUrl });
          await client.connect();
          try {
            await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          } finally {
            await client.end();
          }
        },
      };
    },
  });
}
