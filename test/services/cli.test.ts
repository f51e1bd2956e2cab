import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { test } from "node:test";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const vigil = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  // From source: a dist/ left by an earlier build must not stand in for the code under test.
  promisify(execFile)(process.execPath, ["--import", "tsx", path.join(root, "src", "main.ts"), ...args], {
    env: { ...process.env, ...env },
    timeout: 60_000,
  });

test("vigil serve --help documents every option", async () => {
  const { stdout } = await vigil(["serve", "--help"]);
  for (const option of [
    "--host",
    "--port",
    "--data-dir",
    "--ephemeral",
    "--database-url",
    "--clock",
    "--clock-start",
    "--default-account",
    "--allow-unknown-regions",
    "--admin-token",
    "--log-level",
    "--config",
    "--print-config",
  ]) {
    assert.match(stdout, new RegExp(`${option}\\b`), `${option} is documented`);
  }
  assert.match(stdout, /POST \/_vigil\/clock/);
});

test("--print-config shows flags over environment over defaults", async () => {
  const { stdout } = await vigil(["serve", "--print-config", "--port", "4999", "--clock", "manual"], {
    VIGIL_PORT: "1234",
    VIGIL_DEFAULT_ACCOUNT: "111122223333",
  });
  const c = JSON.parse(stdout) as { port: number; clock: string; defaultAccount: string; host: string };
  assert.deepEqual([c.port, c.clock, c.defaultAccount, c.host], [4999, "manual", "111122223333", "127.0.0.1"]);
});

test("an invalid option value exits 2 with the reason", async () => {
  const err = (await vigil(["serve", "--port", "http"]).catch((e) => e)) as { code: number; stderr: string };
  assert.equal(err.code, 2);
  assert.match(err.stderr, /port must be a non-negative integer/);
});
