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
  /** SMTP server for SNS email subscriptions, e.g. smtp://127.0.0.1:2525 (nodemailer URL). */
  smtpUrl?: string;
  /** From address of SNS emails; default no-reply@sns.amazonaws.com. */
  smtpFrom?: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Raw request body cap for the RPC protocols (JSON, CBOR, Query). */
  maxRequestBytes: number;
  /** Cap on a gzip request body once decompressed. */
  maxDecompressedBytes: number;
  /** Cap on an S3 object upload. */
  maxObjectBytes: number;
  /** Seconds between CloudTrail log file deliveries (AWS: about 5 minutes). */
  trailDeliveryInterval: number;
  /** Seconds between CloudTrail digest files (AWS: hourly). */
  trailDigestInterval: number;
  /** CloudTrail Insights: seconds of history the baseline averages over (AWS: about 7 days). */
  trailInsightsBaseline: number;
  /** CloudTrail Insights: the seconds one rate is counted over (AWS: a minute). */
  trailInsightsWindow: number;
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
  trailDeliveryInterval: 300,
  trailDigestInterval: 3600,
  trailInsightsBaseline: 7 * 24 * 3600,
  trailInsightsWindow: 60,
};

type Key = keyof VigilConfig;
const NUMERIC: Key[] = [
  "port",
  "maxRequestBytes",
  "maxDecompressedBytes",
  "maxObjectBytes",
  "trailDeliveryInterval",
  "trailDigestInterval",
  "trailInsightsBaseline",
  "trailInsightsWindow",
];
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
  const trailSeconds = [
    "trailDeliveryInterval",
    "trailDigestInterval",
    "trailInsightsBaseline",
    "trailInsightsWindow",
  ] as const;
  for (const k of trailSeconds) {
    if (c[k] < 1) throw new Error(`${k} must be at least 1 second, got ${c[k]}`);
  }
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
      if (
        !(k in DEFAULTS) &&
        k !== "databaseUrl" &&
        k !== "adminToken" &&
        k !== "clockStart" &&
        k !== "smtpUrl" &&
        k !== "smtpFrom"
      ) {
        throw new Error(`${file}: unknown setting ${k}`);
      }
      out[k] = coerce(k as Key, v, file);
    }
  }
  for (const k of [
    ...Object.keys(DEFAULTS),
    "databaseUrl",
    "adminToken",
    "clockStart",
    "smtpUrl",
    "smtpFrom",
  ] as Key[]) {
    const v = env[envName(k)];
    if (v !== undefined && v !== "") out[k] = coerce(k, v, envName(k));
  }
  for (const [k, v] of Object.entries(flags)) {
    if (k === "config" || v === undefined) continue;
    out[k] = coerce(k as Key, v, `--${k}`);
  }
  return validate(out as unknown as VigilConfig);
}
