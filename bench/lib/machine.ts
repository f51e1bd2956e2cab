/** What a result was measured on: recorded next to every table so numbers from different machines are not mixed up. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { findMoto, ROOT } from "./servers.js";

export interface Machine {
  date: string;
  cores: number;
  cpu: string;
  memoryGb: number;
  os: string;
  node: string;
  moto: string;
  python: string;
  vigil: string;
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  load: number;
}

export function describeMachine(motoOverride?: string): Machine {
  const moto = findMoto(motoOverride);
  let python = "n/a";
  if (typeof moto !== "string") {
    try {
      python = execFileSync(moto.python, ["--version"], { encoding: "utf8" })
        .trim()
        .replace(/^Python /, "");
    } catch {
      // leave n/a
    }
  }
  let vigil = "unknown";
  try {
    vigil = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    // leave unknown
  }
  try {
    // Read-only: names the commit the numbers belong to (uncommitted work shows as the parent commit).
    const rev = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    if (rev) vigil += ` @ ${rev}`;
  } catch {
    // not a git checkout, or no commit yet
  }
  return {
    date: new Date().toISOString().slice(0, 10),
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model.trim().replace(/\s+/g, " ") ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    moto: typeof moto === "string" ? "not installed" : moto.version,
    python,
    vigil,
    load: os.loadavg()[0]!,
  };
}

export function machineLine(m: Machine): string {
  return (
    `${m.date}; ${m.cores} cores (${m.cpu}), ${m.memoryGb} GiB; ${m.os}; Node ${m.node}; ` +
    `moto ${m.moto} (Python ${m.python}); Vigil ${m.vigil}; load average ${m.load.toFixed(1)} at the start`
  );
}
