/**
 * CloudWatch statistics over merged period aggregates: SampleCount, Sum, Average, Minimum, Maximum, and the extended
 * statistics of the "CloudWatch statistics definitions" page: pNN.NN, tmNN / tm(a%:b%), wmNN, tcNN, tsNN (and their
 * absolute-bound upper-case forms TM(a:b), WM, TC, TS), IQR and PR(a:b). Extended statistics come from the sketch, so
 * they carry its relative error (sketch.ts); a period whose data were partly sent as statistic sets has none.
 */
import { Sketch, bucketValue } from "./sketch.js";

export interface Agg {
  count: number;
  sum: number;
  min: number;
  max: number;
  skCount: number;
  sketches: Uint8Array[];
  units: Set<string>;
  /** Merged lazily. */
  merged?: Sketch;
}

export const newAgg = (): Agg => ({
  count: 0,
  sum: 0,
  min: Infinity,
  max: -Infinity,
  skCount: 0,
  sketches: [],
  units: new Set(),
});

export function addRow(
  a: Agg,
  r: { count: number; sum: number; min: number; max: number; skCount: number; sketch: Uint8Array | null; unit: string },
): void {
  a.count += r.count;
  a.sum += r.sum;
  if (r.min < a.min) a.min = r.min;
  if (r.max > a.max) a.max = r.max;
  a.skCount += r.skCount;
  if (r.sketch) a.sketches.push(r.sketch);
  a.units.add(r.unit);
}

export function mergeAgg(into: Agg, a: Agg): void {
  into.count += a.count;
  into.sum += a.sum;
  if (a.min < into.min) into.min = a.min;
  if (a.max > into.max) into.max = a.max;
  into.skCount += a.skCount;
  into.sketches.push(...a.sketches);
  for (const u of a.units) into.units.add(u);
}

export function sketchOf(a: Agg): Sketch {
  if (!a.merged) {
    const s = new Sketch();
    for (const b of a.sketches) s.merge(Sketch.decode(b));
    a.merged = s;
  }
  return a.merged;
}

export const BASIC_STATS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"] as const;

type Range = { kind: "pct" | "abs"; lo?: number; hi?: number };
export type StatSpec =
  | { kind: "basic"; name: (typeof BASIC_STATS)[number] }
  | { kind: "p"; q: number }
  | { kind: "tm" | "wm" | "tc" | "ts"; range: Range }
  | { kind: "pr"; lo?: number; hi?: number };

const NUM = "(\\d+(?:\\.\\d+)?)";
const P = new RegExp(`^p${NUM}$`);
const SHORT = new RegExp(`^(tm|wm|tc|ts)${NUM}$`, "i");
const PCT_RANGE = new RegExp(`^(tm|wm|tc|ts)\\((?:${NUM}%)?:(?:${NUM}%)?\\)$`, "i");
const ABS_RANGE = /^(TM|WM|TC|TS|PR)\((-?\d+(?:\.\d+)?)?:(-?\d+(?:\.\d+)?)?\)$/;

/** Parses a statistic name; undefined when CloudWatch does not know it. */
export function parseStat(name: string): StatSpec | undefined {
  if ((BASIC_STATS as readonly string[]).includes(name)) return { kind: "basic", name: name as StatSpec & never };
  let m = P.exec(name);
  if (m) {
    const q = Number(m[1]);
    return q >= 0 && q <= 100 ? { kind: "p", q } : undefined;
  }
  if (name === "IQR") return { kind: "tm", range: { kind: "pct", lo: 25, hi: 75 } };
  m = SHORT.exec(name);
  if (m) {
    const hi = Number(m[2]);
    return hi <= 100 ? { kind: m[1].toLowerCase() as "tm", range: { kind: "pct", hi } } : undefined;
  }
  m = PCT_RANGE.exec(name);
  if (m) {
    const lo = m[2] === undefined ? undefined : Number(m[2]);
    const hi = m[3] === undefined ? undefined : Number(m[3]);
    if ((lo ?? 0) > 100 || (hi ?? 100) > 100 || (lo ?? 0) > (hi ?? 100)) return undefined;
    return { kind: m[1].toLowerCase() as "tm", range: { kind: "pct", lo, hi } };
  }
  m = ABS_RANGE.exec(name);
  if (m) {
    const lo = m[2] === undefined ? undefined : Number(m[2]);
    const hi = m[3] === undefined ? undefined : Number(m[3]);
    if (m[1] === "PR") return { kind: "pr", lo, hi };
    return { kind: m[1].toLowerCase() as "tm", range: { kind: "abs", lo, hi } };
  }
  return undefined;
}

/** The statistic of one period, or undefined when it has none (no data, or percentiles of statistic sets). */
export function statValue(a: Agg, spec: StatSpec): number | undefined {
  if (a.count <= 0) return undefined;
  if (spec.kind === "basic") {
    switch (spec.name) {
      case "SampleCount":
        return a.count;
      case "Sum":
        return a.sum;
      case "Average":
        return a.sum / a.count;
      case "Minimum":
        return a.min;
      case "Maximum":
        return a.max;
    }
  }
  if (a.skCount < a.count) return undefined;
  const sk = sketchOf(a);
  if (spec.kind === "p") {
    if (spec.q >= 100) return a.max;
    if (spec.q <= 0) return a.min;
    const v = sk.quantile(spec.q / 100);
    return v === undefined ? undefined : clamp(v, a.min, a.max);
  }
  const buckets = sortedBuckets(sk, a);
  if (spec.kind === "pr") {
    let inRange = 0;
    for (const [v, c] of buckets)
      if ((spec.lo === undefined || v > spec.lo) && (spec.hi === undefined || v <= spec.hi)) inRange += c;
    return (100 * inRange) / sk.count;
  }
  // Bounds as values: percentile bounds through the sketch, absolute bounds as given.
  const r = spec.range;
  const lo =
    r.kind === "pct" ? (r.lo === undefined || r.lo <= 0 ? -Infinity : sk.quantile(r.lo / 100)!) : (r.lo ?? -Infinity);
  const hi =
    r.kind === "pct" ? (r.hi === undefined || r.hi >= 100 ? Infinity : sk.quantile(r.hi / 100)!) : (r.hi ?? Infinity);
  let n = 0;
  let sum = 0;
  let wsum = 0;
  for (const [v, c] of buckets) {
    // Trimmed statistics keep lo < v <= hi (a lower bound of 0% keeps the minimum).
    if ((v > lo || lo === -Infinity) && v <= hi) {
      n += c;
      sum += v * c;
    }
    wsum += Math.min(Math.max(v, lo), hi) * c;
  }
  switch (spec.kind) {
    case "tc":
      return n;
    case "ts":
      return sum;
    case "tm":
      return n > 0 ? sum / n : undefined;
    case "wm":
      return wsum / sk.count;
  }
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/** (representative value, count) pairs in ascending order, clamped to the exact minimum and maximum. */
function sortedBuckets(sk: Sketch, a: Agg): [number, number][] {
  const out: [number, number][] = [];
  const q = (k: number, sign: number) => clamp(sign * bucketValue(k), a.min, a.max);
  for (const k of [...sk.neg.keys()].sort((x, y) => y - x)) out.push([q(k, -1), sk.neg.get(k)!]);
  if (sk.zero > 0) out.push([0, sk.zero]);
  for (const k of [...sk.pos.keys()].sort((x, y) => x - y)) out.push([q(k, 1), sk.pos.get(k)!]);
  return out;
}

/** Whether a statistic needs the sketch (percentile-like). */
export const isExtended = (spec: StatSpec) => spec.kind !== "basic";
