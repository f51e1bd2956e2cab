/**
 * One metric alarm's evaluation, pure: from the datapoints of its evaluation range to its next state and the reason
 * texts AWS writes. https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
 *
 * - The alarm looks at complete periods only (the period still running is partial and never evaluated: no alarm on
 *   partial data), the newest being the one that ended at or before `now`.
 * - The evaluation range is EvaluationPeriods + 2 periods (AWS fetches "more datapoints than EvaluationPeriods"; the
 *   exact count is not published: assumed).
 * - With at least N real datapoints in the range, the newest N real ones decide whatever TreatMissingData says (AWS:
 *   "the value you set for how to treat missing data is not needed and is ignored").
 * - With fewer, breaching / notBreaching fill the missing ones up to N as breaching / not breaching, every real one
 *   counting; missing / ignore use the real ones alone, needing min(M, count) breaching for ALARM (the rule against
 *   premature transitions); none at all: INSUFFICIENT_DATA (missing) or the current state (ignore). ignore also
 *   keeps the current state while the newest period is missing.
 * - Percentiles with fewer samples than 10 / (1 - p) in a period of the range are "low sample count": ignore (the
 *   default) keeps the current state, evaluate evaluates them anyway.
 */
import type { AlarmStateValue } from "./model.js";
import { awsDate, javaDouble, reasonDate } from "./format.js";

export interface Datapoint {
  /** Period start, epoch ms. */
  t: number;
  value: number;
  sampleCount?: number;
  /** Anomaly band bounds for band alarms. */
  lower?: number;
  upper?: number;
}

export interface EvalInput {
  now: number;
  /** Seconds. */
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  comparison: string;
  threshold?: number;
  treatMissingData: string;
  /** The percentile (0-100) of a pNN statistic, for EvaluateLowSampleCountPercentile. */
  percentile?: number;
  evaluateLowSampleCount?: boolean;
  /** StateReasonData members. */
  statistic?: string;
  unit?: string;
  current: AlarmStateValue;
}

export interface EvalResult {
  state: AlarmStateValue;
  reason: string;
  /** JSON. */
  reasonData: string;
}

export const EXTRA_PERIODS = 2;

/** [start, end) of the evaluation range: whole periods ending at the last period boundary at or before now. */
export function evaluationRange(now: number, period: number, evaluationPeriods: number): [number, number] {
  const p = period * 1000;
  const end = Math.floor(now / p) * p;
  return [end - (evaluationPeriods + EXTRA_PERIODS) * p, end];
}

const PHRASES: Record<string, string> = {
  GreaterThanThreshold: "greater than",
  GreaterThanOrEqualToThreshold: "greater than or equal to",
  LessThanThreshold: "less than",
  LessThanOrEqualToThreshold: "less than or equal to",
  LessThanLowerOrGreaterThanUpperThreshold: "outside the band",
  LessThanLowerThreshold: "less than the lower band",
  GreaterThanUpperThreshold: "greater than the upper band",
};

export function breaches(comparison: string, d: Datapoint, threshold = 0): boolean {
  switch (comparison) {
    case "GreaterThanThreshold":
      return d.value > threshold;
    case "GreaterThanOrEqualToThreshold":
      return d.value >= threshold;
    case "LessThanThreshold":
      return d.value < threshold;
    case "LessThanOrEqualToThreshold":
      return d.value <= threshold;
    case "LessThanLowerOrGreaterThanUpperThreshold":
      return d.lower !== undefined && d.upper !== undefined && (d.value < d.lower || d.value > d.upper);
    case "LessThanLowerThreshold":
      return d.lower !== undefined && d.value < d.lower;
    case "GreaterThanUpperThreshold":
      return d.upper !== undefined && d.value > d.upper;
    default:
      return false;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Evaluates; undefined when the alarm keeps its state (ignore, low sample counts). */
export function evaluate(input: EvalInput, points: Datapoint[]): EvalResult | undefined {
  const { now, period, evaluationPeriods: n, datapointsToAlarm: m, comparison, threshold } = input;
  const [start, end] = evaluationRange(now, period, n);
  const p = period * 1000;
  const byTime = new Map<number, Datapoint>();
  for (const d of points) if (d.t >= start && d.t < end) byTime.set(d.t, d);

  // Low sample count percentiles: AWS needs 10 / (1 - p) samples for a statistically significant percentile.
  if (input.percentile !== undefined && !input.evaluateLowSampleCount) {
    const needed = 10 / (1 - input.percentile / 100);
    for (const d of byTime.values()) if ((d.sampleCount ?? Infinity) < needed) return undefined;
  }

  const periods: number[] = []; // newest first
  for (let t = end - p; t >= start; t -= p) periods.push(t);
  const real = periods.filter((t) => byTime.has(t));
  const treat = input.treatMissingData;
  // StateReasonData, built only when a state change is written, not on every evaluation. Numbers as Java doubles.
  const reasonJson = (evaluatedPeriods: number[]): string => {
    let j = `{"version":"1.0","queryDate":"${awsDate(now)}"`;
    if (real.length) j += `,"startDate":"${awsDate(real[real.length - 1])}"`;
    if (input.unit) j += `,"unit":${JSON.stringify(input.unit)}`;
    if (input.statistic) j += `,"statistic":${JSON.stringify(input.statistic)}`;
    const recent = real.map((t) => javaDouble(byTime.get(t)!.value)).reverse();
    j += `,"period":${period},"recentDatapoints":[${recent.join(",")}]`;
    if (threshold !== undefined) j += `,"threshold":${javaDouble(threshold)}`;
    return `${j},"evaluatedDatapoints":[${evaluatedPeriods.map((t) => evaluatedJson(byTime, t)).join(",")}]}`;
  };

  if (real.length < n && (treat === "breaching" || treat === "notBreaching")) {
    const window = periods.slice(0, n);
    const present = real;
    const filled = n - present.length;
    const breachingReal = present.filter((t) => breaches(comparison, byTime.get(t)!, threshold));
    const breachCount = breachingReal.length + (treat === "breaching" ? filled : 0);
    const state: AlarmStateValue = breachCount >= m ? "ALARM" : "OK";
    const reasonData = () => reasonJson(window);
    if (present.length === 0) {
      const label = treat === "breaching" ? "Breaching" : "NotBreaching";
      return {
        state,
        reason: `Threshold Crossed: no datapoints were received for ${plural(n, "period")} and ${filled} missing datapoint${filled === 1 ? " was" : "s were"} treated as [${label}].`,
        get reasonData() {
          return reasonData();
        },
      };
    }
    return {
      state,
      reason: crossedReason(input, state, window, byTime, breachCount, filled),
      get reasonData() {
        return reasonData();
      },
    };
  }

  if (real.length === 0) {
    if (treat === "ignore") return undefined;
    return {
      state: "INSUFFICIENT_DATA",
      reason: `Insufficient Data: ${plural(n, "datapoint")} ${n === 1 ? "was" : "were"} unknown.`,
      get reasonData() {
        return reasonJson(periods.slice(0, n));
      },
    };
  }
  if (treat === "ignore" && real.length < n && !byTime.has(periods[0])) return undefined;
  const decide = (window: number[], needed: number) => decideWith(input, byTime, reasonJson, window, needed);
  if (real.length >= n) return decide(real.slice(0, n), m);
  return decide(real, Math.min(m, real.length));
}

/** ALARM when at least `needed` of the window's datapoints breach. */
function decideWith(
  input: EvalInput,
  byTime: Map<number, Datapoint>,
  reasonJson: (evaluatedPeriods: number[]) => string,
  window: number[],
  needed: number,
): EvalResult {
  const { comparison, threshold } = input;
  const breachCount = window.filter((t) => breaches(comparison, byTime.get(t)!, threshold)).length;
  const state: AlarmStateValue = breachCount >= needed ? "ALARM" : "OK";
  return {
    state,
    reason: crossedReason(input, state, window, byTime, breachCount, 0),
    get reasonData() {
      return reasonJson(window);
    },
  };
}

function evaluatedJson(byTime: Map<number, Datapoint>, t: number): string {
  const d = byTime.get(t);
  if (!d) return `{"timestamp":"${awsDate(t)}"}`;
  const count = d.sampleCount !== undefined ? `,"sampleCount":${javaDouble(d.sampleCount)}` : "";
  const band = d.lower !== undefined ? `,"lower":${javaDouble(d.lower)},"upper":${javaDouble(d.upper!)}` : "";
  return `{"timestamp":"${awsDate(t)}"${count},"value":${javaDouble(d.value)}${band}}`;
}

/**
 * "Threshold Crossed: 1 datapoint [5.0 (23/11/26 10:00:00)] was greater than the threshold (4.0)." and, for M of N,
 * "Threshold Crossed: 2 out of the last 3 datapoints [...] were greater than the threshold (4.0) (minimum 2 datapoints
 * for OK -> ALARM transition)." Listed datapoints are the ones that decided, newest first.
 */
function crossedReason(
  input: EvalInput,
  state: AlarmStateValue,
  window: number[],
  byTime: Map<number, Datapoint>,
  breachCount: number,
  filled: number,
): string {
  const { comparison, threshold } = input;
  const alarm = state === "ALARM";
  const deciding = window.filter((t) => {
    const d = byTime.get(t);
    return d !== undefined && breaches(comparison, d, threshold) === alarm;
  });
  const count = alarm ? breachCount - filled : deciding.length;
  const list = deciding.map((t) => `${javaDouble(byTime.get(t)!.value)} (${reasonDate(t)})`).join(", ");
  const phrase = PHRASES[comparison] ?? comparison;
  const target =
    threshold !== undefined &&
    !comparison.includes("Band") &&
    !comparison.includes("Upper") &&
    !comparison.includes("Lower")
      ? `the threshold (${javaDouble(threshold)})`
      : "the band";
  const verb = count === 1 ? "was" : "were";
  const what = `${verb} ${alarm ? "" : "not "}${phrase.startsWith("outside") || phrase.includes("band") ? phrase : `${phrase} ${target}`}`;
  const minimum = alarm ? input.datapointsToAlarm : window.length - input.datapointsToAlarm + 1;
  if (window.length === 1 || (count === window.length && minimum === window.length))
    return `Threshold Crossed: ${plural(count, "datapoint")} [${list}] ${what}.`;
  const from = alarm ? "OK" : "ALARM";
  return (
    `Threshold Crossed: ${count} out of the last ${plural(window.length, "datapoint")} [${list}] ${what} ` +
    `(minimum ${plural(minimum, "datapoint")} for ${from} -> ${state} transition).`
  );
}
