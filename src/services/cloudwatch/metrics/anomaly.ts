/**
 * The anomaly detection band Vigil computes (see ANOMALY.md): for each point, the mean and standard deviation of the
 * trailing history at the same hour of the week over the previous two weeks, falling back to the whole trailing
 * window when that hour has too few samples; the band is mean ± k·stddev. One implementation serves the metric math
 * function ANOMALY_DETECTION_BAND(m, k) and, through it, the alarms whose ThresholdMetricId names such a band.
 */

export interface Series {
  /** Epoch ms, ascending. */
  timestamps: number[];
  values: number[];
}

export interface Band {
  timestamps: number[];
  lower: number[];
  upper: number[];
}

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
/** How far back the model looks (ANOMALY_DETECTION_BAND reads this much history before a query's StartTime). */
export const TRAINING_MS = 2 * WEEK;
/** Fewer same-hour samples than this: the whole trailing window is used instead. */
const MIN_SEASONAL = 3;
/** A flat history still gets a band: at least this fraction of |mean| (or 1e-9) wide. */
const MIN_WIDTH = 0.01;

const slotOf = (t: number) => Math.floor((((t % WEEK) + WEEK) % WEEK) / HOUR);

function lowerBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The band over `series` with width k standard deviations, for the points at or after `from` (epoch ms; the points
 * before it only train the model). Points with no prior history get the band of the point itself (mean = value,
 * width MIN_WIDTH), as a model still in training would.
 */
export function anomalyBand(series: Series, k = 2, from = -Infinity): Band {
  const { timestamps, values } = series;
  const out: Band = { timestamps: [], lower: [], upper: [] };
  const n = timestamps.length;
  // Trailing windows by prefix sums, shifted by the first value so large, steady metrics keep their precision.
  const ref = n ? values[0] : 0;
  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const d = values[i] - ref;
    s1[i + 1] = s1[i] + d;
    s2[i + 1] = s2[i] + d * d;
  }
  // Indices by hour of the week, ascending.
  const slots = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const s = slotOf(timestamps[i]);
    let list = slots.get(s);
    if (!list) slots.set(s, (list = []));
    list.push(i);
  }
  let start = 0;
  for (let i = lowerBound(timestamps, from); i < n; i++) {
    const t = timestamps[i];
    start = Math.max(start, lowerBound(timestamps, t - TRAINING_MS));
    const same = slots.get(slotOf(t))!;
    const a = lowerBound(same, start);
    const b = lowerBound(same, i);
    let mean: number;
    let sd: number;
    if (b - a >= MIN_SEASONAL) {
      let sum = 0;
      for (let j = a; j < b; j++) sum += values[same[j]];
      mean = sum / (b - a);
      let sq = 0;
      for (let j = a; j < b; j++) sq += (values[same[j]] - mean) ** 2;
      sd = Math.sqrt(sq / (b - a - 1));
    } else if (i > start) {
      const m = i - start;
      const d1 = s1[i] - s1[start];
      const d2 = s2[i] - s2[start];
      mean = ref + d1 / m;
      sd = m > 1 ? Math.sqrt(Math.max(0, (d2 - (d1 * d1) / m) / (m - 1))) : 0;
    } else {
      mean = values[i];
      sd = 0;
    }
    const half = Math.max(k * sd, MIN_WIDTH * Math.abs(mean), 1e-9);
    out.timestamps.push(t);
    out.lower.push(mean - half);
    out.upper.push(mean + half);
  }
  return out;
}
