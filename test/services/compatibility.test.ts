import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { renderCompatibility } from "../../src/services/compatibility.js";

test("docs/compatibility.md is current (regenerate with npm run docs:compat)", () => {
  const file = readFileSync(new URL("../../docs/compatibility.md", import.meta.url), "utf8");
  assert.equal(file, renderCompatibility());
});
