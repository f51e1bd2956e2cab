#!/usr/bin/env node
// Builds dist/main.js: the server bundled into one ES module, so a start loads a handful of files instead of
// hundreds (module loading dominated cold start). Native and worker-using packages stay external.
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
await build({
  entryPoints: [path.join(root, "src", "main.ts")],
  outfile: path.join(root, "dist", "main.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  external: ["better-sqlite3", "pg", "pino", "cbor-extract"],
  // Bundled CommonJS modules call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __vigilRequire } from 'node:module'; const require = __vigilRequire(import.meta.url);",
  },
  logLevel: "warning",
});
