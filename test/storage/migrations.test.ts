/** The migration runner and the migration list, on every backend in backends.ts. */
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { describe, test } from "node:test";
import { sql } from "kysely";
import { openDatabase, type Database } from "../../src/storage/db.js";
import { openStores } from "../../src/storage/index.js";
import { appliedMigrations, migrate, migrations, type Migration } from "../../src/storage/migrations/index.js";
import { BACKENDS, type Location } from "./backends.js";

const table = (version: number, name: string): Migration => ({
  version,
  name,
  sqlite: [`CREATE TABLE ${name} (id INTEGER PRIMARY KEY, v TEXT)`, `INSERT INTO ${name} (v) VALUES ('x')`],
  postgres: [`CREATE TABLE ${name} (id SERIAL PRIMARY KEY, v TEXT)`, `INSERT INTO ${name} (v) VALUES ('x')`],
});

async function tableExists(db: Database, name: string): Promise<boolean> {
  const q =
    db.dialect === "sqlite"
      ? sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ${name}`
      : sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = current_schema() AND tablename = ${name}`;
  const { rows } = await q.execute(db.kysely);
  return rows[0].n > 0;
}

/** Runs fn on a fresh database location, closing and cleaning up whatever happens. */
async function withLocation(create: () => Location, fn: (location: Location) => Promise<void>): Promise<void> {
  const location = create();
  try {
    await fn(location);
  } finally {
    await location.cleanup();
  }
}

async function withDb<T>(location: Location, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(location.options);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

test("the migration list is in strictly ascending version order, starting at 1, with unique names", () => {
  assert.equal(migrations[0].version, 1);
  migrations.forEach((m, i) => {
    if (i > 0) assert.ok(m.version > migrations[i - 1].version);
    assert.match(m.name, /^[a-z0-9_]+$/);
    assert.ok(m.sqlite.length > 0 && m.postgres.length > 0, `${m.name} has statements for both dialects`);
  });
  assert.equal(new Set(migrations.map((m) => m.name)).size, migrations.length);
});

for (const backend of BACKENDS) {
  describe(`migrations on ${backend.name}`, () => {
    test("opening a fresh database applies every migration and records it", async () => {
      await withLocation(backend.create, async (location) => {
        const before = Date.now();
        const log: string[] = [];
        const stores = await openStores({ ...location.options, log: (m) => log.push(m) });
        await stores.close();
        assert.deepEqual(
          log,
          migrations.map((m) => `storage: applied migration ${String(m.version).padStart(4, "0")}_${m.name}`),
        );
        if (!backend.persistent) return;
        const applied = await withDb(location, appliedMigrations);
        assert.deepEqual(
          applied.map((m) => [m.version, m.name]),
          migrations.map((m) => [m.version, m.name]),
        );
        for (const m of applied) assert.ok(m.appliedAt >= before && m.appliedAt <= Date.now());
      });
    });

    if (backend.persistent) {
      test("reopening applies nothing and leaves the records as they were", async () => {
        await withLocation(backend.create, async (location) => {
          await (await openStores(location.options)).close();
          const first = await withDb(location, appliedMigrations);
          const log: string[] = [];
          const stores = await openStores({ ...location.options, log: (m) => log.push(m) });
          await stores.close();
          assert.deepEqual(log, []);
          assert.deepEqual(await withDb(location, appliedMigrations), first);
          assert.deepEqual(await withDb(location, (db) => migrate(db)), []);
        });
      });

      test("nodes opening one database at once apply each migration once", async () => {
        await withLocation(backend.create, async (location) => {
          const log: string[] = [];
          const nodes = await Promise.all(
            [1, 2, 3].map(() => openStores({ ...location.options, log: (m) => log.push(m) })),
          );
          await Promise.all(nodes.map((s) => s.close()));
          assert.equal(log.length, migrations.length);
          assert.equal((await withDb(location, appliedMigrations)).length, migrations.length);
        });
      });
    }

    test("a later migration is applied on its own, in order", async () => {
      await withLocation(backend.create, async (location) => {
        await withDb(location, async (db) => {
          const m1 = table(1, "mig_one");
          const m2 = table(2, "mig_two");
          const m3 = table(3, "mig_three");
          assert.deepEqual(await migrate(db, [m1]), [1]);
          assert.deepEqual(await migrate(db, [m1, m2, m3]), [2, 3]);
          assert.deepEqual(await migrate(db, [m1, m2, m3]), []);
          assert.deepEqual(
            (await appliedMigrations(db)).map((m) => m.name),
            ["mig_one", "mig_two", "mig_three"],
          );
          assert.ok(await tableExists(db, "mig_three"));
        });
      });
    });

    test("a failing migration is rolled back whole and not recorded; earlier ones stay", async () => {
      await withLocation(backend.create, async (location) => {
        await withDb(location, async (db) => {
          const good = table(1, "mig_good");
          const bad: Migration = {
            version: 2,
            name: "bad",
            sqlite: ["CREATE TABLE mig_half (id INTEGER)", "THIS IS NOT SQL"],
            postgres: ["CREATE TABLE mig_half (id INTEGER)", "THIS IS NOT SQL"],
          };
          await assert.rejects(migrate(db, [good, bad]));
          assert.deepEqual(
            (await appliedMigrations(db)).map((m) => m.version),
            [1],
          );
          assert.ok(await tableExists(db, "mig_good"));
          assert.equal(await tableExists(db, "mig_half"), false);
          // Fixed, it applies on the next open.
          assert.deepEqual(await migrate(db, [good, { ...table(2, "mig_half"), name: "bad" }]), [2]);
        });
      });
    });

    test("a database migrated by a newer Vigil is refused", async () => {
      await withLocation(backend.create, async (location) => {
        await withDb(location, async (db) => {
          await migrate(db, [table(1, "mig_a"), table(2, "mig_b")]);
          await assert.rejects(migrate(db, [table(1, "mig_a")]), /newer than this Vigil knows/);
        });
      });
    });

    test("a list out of order is refused before anything runs", async () => {
      await withLocation(backend.create, async (location) => {
        await withDb(location, async (db) => {
          await assert.rejects(migrate(db, [table(2, "mig_x"), table(1, "mig_y")]), /out of order/);
          await assert.rejects(migrate(db, [table(1, "mig_x"), table(1, "mig_y")]), /out of order/);
          assert.equal(await tableExists(db, "mig_x"), false);
        });
      });
    });

    test("reset keeps the migration records", async () => {
      await withLocation(backend.create, async (location) => {
        const stores = await openStores(location.options);
        try {
          await stores.reset();
          if (backend.persistent) {
            const applied = await withDb(location, appliedMigrations);
            assert.equal(applied.length, migrations.length);
          }
        } finally {
          await stores.close();
        }
      });
    });
  });
}

test("the SQLite data directory is created private (0700)", async () => {
  await withLocation(BACKENDS[0].create, async (location) => {
    const dataDir = `${location.options.dataDir}/nested/data`;
    const stores = await openStores({ dataDir });
    await stores.close();
    assert.equal(statSync(dataDir).mode & 0o777, 0o700);
    assert.ok(statSync(`${dataDir}/vigil.db`).isFile());
  });
});

test("without databaseUrl, ephemeral or dataDir, opening fails with a clear error", async () => {
  await assert.rejects(openStores({}), /one of databaseUrl, ephemeral or dataDir is required/);
});
