/**
 * The anomaly detection band Vigil computes (see ANOMALY.md): for each point, the mean and standard deviation of the
 * trailing history at the same hour of the week over the previous two weeks, falling back to the whole trailing
 * window when that hour has too few samples; the band is mean ± k·stddev. Exported for the metrics helper's
 * ANOMALY_DETECTION_BAND(m, k).
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
const TRAINING = 2 * WEEK;
/** Fewer same-hour samples than this: the whole trailing window is used instead. */
const MIN_SEASONAL = 3;
/** A flat history still gets a band: at least this fraction of |mean| (or 1e-9) wide. */
const MIN_WIDTH = 0.01;

function stats(values: number[]): { mean: number; sd: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, sd: Math.sqrt(variance) };
}

/**
 * The band over `series` with width k standard deviations. Points with no prior history get the band of the point
 * itself (mean = value, width MIN_WIDTH), as a model still in training would.
 */
export function anomalyBand(series: Series, k = 2): Band {
  const { timestamps, values } = series;
  const lower: number[] = [];
  const upper: number[] = [];
  let from = 0;
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i];
    while (from < i && timestamps[from] < t - TRAINING) from++;
    const trailing: number[] = [];
    const seasonal: number[] = [];
    const slot = Math.floor((t % WEEK) / HOUR);
    for (let j = from; j < i; j++) {
      trailing.push(values[j]);
      if (Math.floor((timestamps[j] % WEEK) / HOUR) === slot) seasonal.push(values[j]);
    }
    const sample = seasonal.length >= MIN_SEASONAL ? seasonal : trailing.length ? trailing : [values[i]];
    const { mean, sd } = stats(sample);
    const half = Math.max(k * sd, MIN_WIDTH * Math.abs(mean), 1e-9);
    lower.push(mean - half);
    upper.push(mean + half);
  }
  return { timestamps: [...timestamps], lower, upper };
}
