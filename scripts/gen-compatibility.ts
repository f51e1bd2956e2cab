/** Writes docs/compatibility.md from the vendored models and the services' operation tables (`npm run docs:compat`). */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderCompatibility } from "../src/services/compatibility.js";

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "docs", "compatibility.md");
writeFileSync(out, renderCompatibility());
process.stderr.write(`wrote ${out}\n`);
