/** The contracts between the runner, the workloads and the report. */
import type { ServerSpec } from "./servers.js";

export interface BenchOptions {
  /** Measured seconds per throughput run. */
  duration: number;
  /** Unmeasured seconds of the same load before each measured run. */
  warmup: number;
  /** Concurrent client connections of the load generator. */
  connections: number;
  /** Repetitions of each cold-start measurement. */
  reps: number;
}

export interface BenchContext {
  options: BenchOptions;
  /** The servers this run compares, in table order (Vigil variants first, the baseline last). */
  servers: ServerSpec[];
  /** Progress lines go to stderr so stdout stays the report. */
  log(message: string): void;
  /** Aborted on SIGINT/SIGTERM: workloads stop their loops and return what they have. */
  signal: AbortSignal;
}

export interface Column {
  key: string;
  header: string;
  /** Number of decimals when the value is a number; default 0. */
  decimals?: number;
}

export interface Row {
  /** ServerSpec.id */
  server: string;
  label: string;
  values: Record<string, number | string | undefined>;
  /** Shown instead of the values when the server could not run the workload. */
  skipped?: string;
}

/** How the comparison with the baseline (moto) is judged: the ratio Vigil/baseline of one column. */
export interface Goal {
  key: string;
  /** "lower": a smaller value is better (times); "higher": a larger value is better (throughput). */
  better: "lower" | "higher";
  /** The target ratio Vigil/baseline: at most this for "lower", at least this for "higher". */
  ratio: number;
}

export interface WorkloadResult {
  name: string;
  title: string;
  /** One or two sentences: what is measured, exactly. */
  description: string;
  columns: Column[];
  rows: Row[];
  goal?: Goal;
  notes: string[];
}

export interface Workload {
  /** Used by --only and as the key of the generated section in docs/benchmarks.md. */
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<WorkloadResult>;
}
