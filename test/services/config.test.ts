import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { DEFAULTS, resolveConfig } from "../../src/config.js";

test("flags override the environment, which overrides the config file", () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "vigil-cfg-")), "vigil.json");
  writeFileSync(file, JSON.stringify({ port: 1111, host: "0.0.0.0", defaultAccount: "111111111111" }));
  const c = resolveConfig(
    { config: file, port: "3333" },
    { VIGIL_PORT: "2222", VIGIL_DEFAULT_ACCOUNT: "222222222222" },
  );
  assert.equal(c.port, 3333);
  assert.equal(c.host, "0.0.0.0");
  assert.equal(c.defaultAccount, "222222222222");
  assert.equal(c.dataDir, DEFAULTS.dataDir);
});

test("invalid settings are refused with the setting named", () => {
  assert.throws(() => resolveConfig({ port: "http" }, {}), /--port: port must be a non-negative integer/);
  assert.throws(() => resolveConfig({ defaultAccount: "123" }, {}), /default account must be 12 digits/);
  assert.throws(
    () => resolveConfig({}, { VIGIL_EPHEMERAL: "maybe" }),
    /VIGIL_EPHEMERAL: ephemeral must be true or false/,
  );
  assert.throws(() => resolveConfig({ databaseUrl: "mysql://x" }, {}), /postgres/);
});
