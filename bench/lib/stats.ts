/** Small, exact statistics over recorded samples (no histogram bucketing: sub-millisecond latencies stay visible). */

export function sorted(xs: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs).sort();
}

/** Nearest-rank percentile (p in 0..100) of an ascending array; NaN when empty. */
export function percentile(asc: Float64Array, p: number): number {
  if (asc.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * asc.length);
  return asc[Math.min(asc.length - 1, Math.max(0, rank - 1))]!;
}

export function median(xs: ArrayLike<number>): number {
  const s = sorted(xs);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function min(xs: ArrayLike<number>): number {
  let m = Infinity;
  for (let i = 0; i < xs.length; i++) m = Math.min(m, xs[i]!);
  return xs.length ? m : NaN;
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return xs.length ? s / xs.length : NaN;
}

/** Formats a number for a table: thousands separated, fixed decimals; "n/a" for NaN/undefined. */
export function fmt(v: number | string | undefined, decimals = 0): string {
  if (v === undefined) return "";
  if (typeof v === "string") return v;
  if (!Number.isFinite(v)) return "n/a";
  return v.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A ratio like `0.21x` or `7.4x`, with two significant digits for small values. */
export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return "n/a";
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toFixed(2)}x`;
}
