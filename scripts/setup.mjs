#!/usr/bin/env node
// Makes a fresh clone runnable: installs dependencies when node_modules is missing or older than package-lock.json,
// and builds dist/ when any source is newer than the last build. `npm start` runs this first.
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const run = (cmd) => execSync(cmd, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });

const installed = path.join(root, "node_modules", ".package-lock.json");
if (mtime(installed) < mtime(path.join(root, "package-lock.json"))) {
  process.stderr.write("vigil: installing dependencies (npm ci)\n");
  run("npm ci --no-audit --no-fund");
}

if (process.argv.includes("--build")) {
  const newest = (dir) => {
    let t = 0;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
    return t;
  };
  const stamp = path.join(root, "dist", "main.js");
  const sources = Math.max(
    newest(path.join(root, "src")),
    mtime(path.join(root, "scripts", "build.mjs")),
    mtime(path.join(root, "package-lock.json")),
  );
  if (mtime(stamp) < sources) {
    process.stderr.write("vigil: building dist/\n");
    run("node scripts/build.mjs");
  }
}
