#!/usr/bin/env node
// Runs every test/**/*.test.ts through node:test with tsx (Node 20's --test does not expand globs itself).
// Extra arguments are passed to node --test (e.g. --test-name-pattern).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const find = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? find(p) : e.name.endsWith(".test.ts") ? [p] : [];
  });
const args = process.argv.slice(2);
const files = args.some((a) => a.endsWith(".test.ts")) ? [] : find(path.join(root, "test")).sort();
const r = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=1", "--test-timeout=180000", ...args, ...files],
  { cwd: root, stdio: "inherit" },
);
process.exit(r.status ?? 1);
