/**
 * The servers under test, started as child processes exactly as a user starts them, and the bookkeeping that makes
 * sure none outlives the harness: every child leads a process group of its own, and exit, SIGINT and SIGTERM kill
 * the groups this harness started (and only those).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { getCallerIdentity } from "./aws.js";
import { freePort, oneShot, type Target } from "./load.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const VIGIL_MAIN = path.join(ROOT, "dist", "main.js");

export interface Launch {
  file: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export interface ServerSpec {
  /** Stable id used by --servers and in the JSON output. */
  id: string;
  /** Shown in tables. */
  label: string;
  product: "vigil" | "moto";
  /** The peer Vigil is compared against; ratios are Vigil / baseline. */
  baseline: boolean;
  /** Shown only in the cold-start table (a variant that differs only in how it starts). */
  startupOnly?: boolean;
  /** Set when this server cannot be started on this machine, with the reason. */
  unavailable?: string;
  /** How to start it listening on `port`; called once per start (a variant may hand out a new data directory). */
  launch(port: number): Launch;
}

// ---------------------------------------------------------------------------------------------------------------
// Temporary data directories (removed on exit)

let tmpRoot: string | undefined;
function tmpDir(name: string): string {
  tmpRoot ??= mkdtempSync(path.join(os.tmpdir(), "vigil-bench-"));
  const dir = path.join(tmpRoot, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

// ---------------------------------------------------------------------------------------------------------------
// moto

export interface MotoInstall {
  /** The moto_server found on PATH (what a user types). */
  command: string;
  /** The script that command ends up executing (the same file unless the command is a pyenv shim). */
  script: string;
  /** The Python interpreter of that script. */
  python: string;
  version: string;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const p = path.join(dir || ".", name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

let motoCache: MotoInstall | string | undefined;

/** Finds moto_server (or the --moto path), sees through a pyenv shim, and reads moto's version. */
export function findMoto(override?: string): MotoInstall | string {
  if (motoCache !== undefined) return motoCache;
  const command = override ?? onPath("moto_server");
  if (!command) return (motoCache = "moto_server is not on PATH (pip install 'moto[server]')");
  let script = command;
  try {
    const text = readFileSync(command, "utf8").slice(0, 4096);
    const shim = /exec "([^"]*\/pyenv)" exec/.exec(text);
    if (shim) {
      script = execFileSync(shim[1]!, ["which", "moto_server"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
    }
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(readFileSync(script, "utf8").slice(0, 512));
    const python = shebang ? (shebang[1]!.endsWith("/env") ? shebang[2]! : shebang[1]!) : "python3";
    const version = execFileSync(python, ["-c", "import moto; print(moto.__version__)"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    return (motoCache = { command, script, python, version });
  } catch (err) {
    return (motoCache = `moto_server at ${command} is not usable: ${(err as Error).message.split("\n")[0]}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The catalogue

export interface CatalogueOptions {
  moto?: string;
  /** Extra node flags for Vigil (e.g. --cpu-prof). */
  vigilNodeArgs?: string[];
  /** Entry point to run instead of dist/main.js (to compare a build variant, e.g. a bundle). */
  vigilMain?: string;
}

export function catalogue(o: CatalogueOptions = {}): ServerSpec[] {
  const vigil = (extra: string[]): Launch => ({
    file: process.execPath,
    args: [
      ...(o.vigilNodeArgs ?? []),
      o.vigilMain ?? VIGIL_MAIN,
      "serve",
      "--host",
      "127.0.0.1",
      "--log-level",
      "silent",
      ...extra,
    ],
  });
  const moto = findMoto(o.moto);
  const motoMissing = typeof moto === "string" ? moto : undefined;
  let freshDirs = 0;
  return [
    {
      id: "vigil-memory",
      label: "Vigil (memory)",
      product: "vigil",
      baseline: false,
      launch: (port) => vigil(["--port", String(port), "--ephemeral"]),
    },
    {
      id: "vigil-disk",
      label: "Vigil (data dir)",
      product: "vigil",
      baseline: false,
      // One directory per workload: every start after the first reopens the database the first one created, as a
      // user's do, and each workload starts from the same (nearly empty) history as in memory.
      launch: (port) => vigil(["--port", String(port), "--data-dir", tmpDir(`data-${launchTag || "default"}`)]),
    },
    {
      id: "vigil-disk-new",
      label: "Vigil (new data dir)",
      product: "vigil",
      baseline: false,
      startupOnly: true,
      // First start ever: creates the database, runs the migrations, makes the signing keys.
      launch: (port) => vigil(["--port", String(port), "--data-dir", tmpDir(`fresh-${++freshDirs}`)]),
    },
    {
      id: "moto",
      label: "moto_server",
      product: "moto",
      baseline: true,
      unavailable: motoMissing,
      launch: (port) => ({
        file: typeof moto === "string" ? "moto_server" : moto.script,
        args: ["-H", "127.0.0.1", "-p", String(port)],
      }),
    },
    {
      id: "moto-shim",
      label: "moto_server (via pyenv shim)",
      product: "moto",
      baseline: false,
      startupOnly: true,
      unavailable:
        motoMissing ??
        (typeof moto !== "string" && moto.command === moto.script ? "moto_server is not a pyenv shim" : undefined),
      launch: (port) => ({
        file: typeof moto === "string" ? "moto_server" : moto.command,
        args: ["-H", "127.0.0.1", "-p", String(port)],
      }),
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Running servers

export interface RunningServer {
  spec: ServerSpec;
  target: Target;
  pid: number;
  /** performance.now() just before spawn. */
  spawnedAt: number;
  /** The last few KB of the child's stdout+stderr. */
  output(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

const live = new Set<{ child: ChildProcess; pid: number }>();

/** Every process started, with what it was for (names the --cpu-prof files, which carry the pid). */
export const launches: { pid: number; label: string; tag: string }[] = [];
let launchTag = "";
/** What the following launches are for (the runner sets the workload name). */
export function setLaunchTag(tag: string): void {
  launchTag = tag;
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Synchronous last resort: SIGKILL every process group still running, and remove the temporary directories. */
export function killAllNow(): void {
  for (const p of live) if (p.child.exitCode === null && p.child.signalCode === null) killGroup(p.pid, "SIGKILL");
  live.clear();
  if (tmpRoot) rmSync(tmpRoot, { recursive: true, force: true });
  tmpRoot = undefined;
}

/** Stops every server still running, politely (SIGTERM, then SIGKILL after 5 s). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => stopChild(p)));
}

async function stopChild(p: { child: ChildProcess; pid: number }): Promise<void> {
  const { child, pid } = p;
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  if (!gone()) {
    const exit = new Promise<void>((r) => child.once("exit", () => r()));
    killGroup(pid, "SIGTERM");
    const timer = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
    await Promise.race([exit, timer(5000)]);
    if (!gone()) {
      killGroup(pid, "SIGKILL");
      await Promise.race([exit, timer(2000)]);
    }
  }
  live.delete(p);
}

/** Spawns the server; does not wait for it (see waitReady). */
export async function launch(spec: ServerSpec): Promise<RunningServer> {
  if (spec.unavailable) throw new Error(spec.unavailable);
  const port = await freePort();
  const l = spec.launch(port);
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-4096);
  };
  const spawnedAt = performance.now();
  const child = spawn(l.file, l.args, {
    cwd: ROOT,
    env: { ...process.env, ...l.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  if (child.pid === undefined) {
    const err = await new Promise<Error>((r) => child.once("error", r));
    throw new Error(`${spec.label}: cannot start ${l.file}: ${err.message}`);
  }
  child.on("error", () => {});
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const p = { child, pid: child.pid };
  live.add(p);
  launches.push({ pid: child.pid, label: spec.label, tag: launchTag });
  return {
    spec,
    target: { host: "127.0.0.1", port },
    pid: child.pid,
    spawnedAt,
    output: () => tail,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    stop: () => stopChild(p),
  };
}

/**
 * Polls with sts:GetCallerIdentity, each attempt on a fresh connection, every `intervalMs` until one is answered 200.
 * Returns the milliseconds from spawn to the end of that answer.
 */
export async function waitReady(
  s: RunningServer,
  o: { timeoutMs?: number; intervalMs?: number; signal?: AbortSignal } = {},
): Promise<number> {
  const timeoutMs = o.timeoutMs ?? 60_000;
  const intervalMs = o.intervalMs ?? 5;
  const host = `${s.target.host}:${s.target.port}`;
  let last = "no attempt";
  while (performance.now() - s.spawnedAt < timeoutMs) {
    if (o.signal?.aborted) throw new Error("aborted");
    if (s.exited()) throw new Error(`${s.spec.label} exited before answering:\n${s.output()}`);
    try {
      const r = await oneShot(s.target, getCallerIdentity(host), 2000);
      if (r.status === 200) return performance.now() - s.spawnedAt;
      last = `HTTP ${r.status}: ${r.body.toString("utf8").slice(0, 200)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `${s.spec.label} did not answer GetCallerIdentity within ${timeoutMs} ms (last: ${last})\n${s.output()}`,
  );
}

/** launch + waitReady; stops the server again if it never becomes ready. */
export async function startReady(spec: ServerSpec, signal?: AbortSignal): Promise<RunningServer> {
  const s = await launch(spec);
  try {
    await waitReady(s, { signal });
    return s;
  } catch (err) {
    await s.stop();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Resource use of a running server, from /proc (Linux)

export interface ProcSample {
  /** User + system CPU time of the process so far, in ms. */
  cpuMs: number;
  rssMb: number;
  peakRssMb: number;
}

let clockTicks: number | undefined;

export function procSample(pid: number): ProcSample | undefined {
  try {
    clockTicks ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN);
    return { cpuMs, rssMb: kb("VmRSS") / 1024, peakRssMb: kb("VmHWM") / 1024 };
  } catch {
    return undefined;
  }
}
