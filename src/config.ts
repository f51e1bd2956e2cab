/** Vigil's configuration: command-line flags, then VIGIL_* environment variables, then an optional JSON config file. */
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface VigilConfig {
  host: string;
  port: number;
  /** SQLite database and signing keys live here unless ephemeral or databaseUrl. */
  dataDir: string;
  ephemeral: boolean;
  databaseUrl?: string;
  clock: "system" | "manual";
  /** Manual clock start, ISO-8601 or epoch milliseconds; default: the real time at start. */
  clockStart?: string;
  defaultAccount: string;
  /** Region for unsigned requests. */
  defaultRegion: string;
  allowUnknownRegions: boolean;
  /** Allows /_vigil/ admin endpoints from non-loopback addresses with `Authorization: Bearer <token>`. */
  adminToken?: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Raw request body cap for the RPC protocols (JSON, CBOR, Query). */
  maxRequestBytes: number;
  /** Cap on a gzip request body once decompressed. */
  maxDecompressedBytes: number;
  /** Cap on an S3 object upload. */
  maxObjectBytes: number;
}

export const DEFAULTS: VigilConfig = {
  host: "127.0.0.1",
  port: 4566,
  dataDir: path.join(os.homedir(), ".vigil"),
  ephemeral: false,
  clock: "system",
  defaultAccount: "000000000000",
  defaultRegion: "us-east-1",
  allowUnknownRegions: false,
  logLevel: "info",
  maxRequestBytes: 8 * 1024 * 1024,
  maxDecompressedBytes: 16 * 1024 * 1024,
  maxObjectBytes: 64 * 1024 * 1024,
};

type Key = keyof VigilConfig;
const NUMERIC: Key[] = ["port", "maxRequestBytes", "maxDecompressedBytes", "maxObjectBytes"];
const BOOLEAN: Key[] = ["ephemeral", "allowUnknownRegions"];

/** VIGIL_DATA_DIR -> dataDir, and so on. */
const envName = (k: string) => "VIGIL_" + k.replace(/[A-Z]/g, (c) => "_" + c).toUpperCase();

function coerce(key: Key, value: unknown, source: string): unknown {
  if (NUMERIC.includes(key)) {
    const n = typeof value === "number" ? value : Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`${source}: ${key} must be a non-negative integer, got ${String(value)}`);
    return n;
  }
  if (BOOLEAN.includes(key)) {
    if (typeof value === "boolean") return value;
    if (value === "true" || value === "1") return true;
    if (value === "false" || value === "0") return false;
    throw new Error(`${source}: ${key} must be true or false, got ${String(value)}`);
  }
  return String(value);
}

function validate(c: VigilConfig): VigilConfig {
  if (c.port > 65535) throw new Error(`port must be at most 65535, got ${c.port}`);
  if (c.clock !== "system" && c.clock !== "manual") throw new Error(`clock must be system or manual, got ${c.clock}`);
  if (!/^\d{12}$/.test(c.defaultAccount)) throw new Error(`default account must be 12 digits, got ${c.defaultAccount}`);
  if (c.databaseUrl && !/^postgres(ql)?:\/\//.test(c.databaseUrl)) {
    throw new Error("database URL must start with postgres:// or postgresql://");
  }
  return c;
}

/**
 * Merges, highest precedence first: `flags` (only keys the user set), the environment, the config file named by
 * flags.config or VIGIL_CONFIG, then the defaults.
 */
export function resolveConfig(
  flags: Partial<Record<Key | "config", unknown>>,
  env: NodeJS.ProcessEnv = process.env,
): VigilConfig {
  const out: Record<string, unknown> = { ...DEFAULTS };
  const file = (flags.config as string | undefined) ?? env.VIGIL_CONFIG;
  if (file) {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    for (const [k, v] of Object.entries(parsed)) {
      if (!(k in DEFAULTS) && k !== "databaseUrl" && k !== "adminToken" && k !== "clockStart") {
        throw new Error(`${file}: unknown setting ${k}`);
      }
      out[k] = coerce(k as Key, v, file);
    }
  }
  for (const k of [...Object.keys(DEFAULTS), "databaseUrl", "adminToken", "clockStart"] as Key[]) {
    const v = env[envName(k)];
    if (v !== undefined && v !== "") out[k] = coerce(k, v, envName(k));
  }
  for (const [k, v] of Object.entries(flags)) {
    if (k === "config" || v === undefined) continue;
    out[k] = coerce(k as Key, v, `--${k}`);
  }
  return validate(out as unknown as VigilConfig);
}
