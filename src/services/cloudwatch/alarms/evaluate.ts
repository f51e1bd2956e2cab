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

/**
 * The evaluation range: its periods newest first (slot k is the period starting at end - (k + 1) * p ms) with the
 * datapoint starting each, and the slots that have one. Slots rather than a map by time: 10,000 alarms are
 * evaluated every minute.
 */
interface Range {
  end: number;
  p: number;
  slots: (Datapoint | undefined)[];
  /** Slots holding a datapoint, newest first. */
  real: number[];
}

const startOf = (r: Range, k: number) => r.end - (k + 1) * r.p;

function rangeOf(points: Datapoint[], start: number, end: number, p: number): Range {
  const slots = new Array<Datapoint | undefined>((end - start) / p).fill(undefined);
  for (const d of points) {
    if (!(d.t >= start && d.t < end)) continue;
    // A datapoint off the periods' grid starts no period; of two at the same instant, the later one counts.
    const k = (end - p - d.t) / p;
    if (Number.isInteger(k)) slots[k] = d;
  }
  const real: number[] = [];
  for (let k = 0; k < slots.length; k++) if (slots[k] !== undefined) real.push(k);
  return { end, p, slots, real };
}

/** The first n slots, newest first: the window when missing datapoints fill it. */
const newest = (n: number) => Array.from({ length: n }, (_, k) => k);

/** Evaluates; undefined when the alarm keeps its state (ignore, low sample counts). */
export function evaluate(input: EvalInput, points: Datapoint[]): EvalResult | undefined {
  const { now, period, evaluationPeriods: n, datapointsToAlarm: m, comparison, threshold } = input;
  const [start, end] = evaluationRange(now, period, n);

  // Low sample count percentiles: AWS needs 10 / (1 - p) samples for a statistically significant percentile.
  if (input.percentile !== undefined && !input.evaluateLowSampleCount) {
    const needed = 10 / (1 - input.percentile / 100);
    const byTime = new Map<number, Datapoint>();
    for (const d of points) if (d.t >= start && d.t < end) byTime.set(d.t, d);
    for (const d of byTime.values()) if ((d.sampleCount ?? Infinity) < needed) return undefined;
  }

  const r = rangeOf(points, start, end, period * 1000);
  const { slots, real } = r;
  const treat = input.treatMissingData;
  const result = (state: AlarmStateValue, reason: string, window: number[]) =>
    new Result(state, reason, input, r, window);

  if (real.length < n && (treat === "breaching" || treat === "notBreaching")) {
    const window = newest(n);
    const filled = n - real.length;
    let breachingReal = 0;
    for (const k of real) if (breaches(comparison, slots[k]!, threshold)) breachingReal++;
    const breachCount = breachingReal + (treat === "breaching" ? filled : 0);
    const state: AlarmStateValue = breachCount >= m ? "ALARM" : "OK";
    if (real.length === 0) {
      const label = treat === "breaching" ? "Breaching" : "NotBreaching";
      return result(
        state,
        `Threshold Crossed: no datapoints were received for ${plural(n, "period")} and ${filled} missing datapoint${filled === 1 ? " was" : "s were"} treated as [${label}].`,
        window,
      );
    }
    return result(state, crossedReason(input, state, r, window, breachCount, filled), window);
  }

  if (real.length === 0) {
    if (treat === "ignore") return undefined;
    return result(
      "INSUFFICIENT_DATA",
      `Insufficient Data: ${plural(n, "datapoint")} ${n === 1 ? "was" : "were"} unknown.`,
      newest(n),
    );
  }
  if (treat === "ignore" && real.length < n && slots[0] === undefined) return undefined;
  // The newest N real datapoints decide; with fewer, all of them, needing min(M, count) breaching.
  const window = real.length >= n ? real.slice(0, n) : real;
  const needed = real.length >= n ? m : Math.min(m, real.length);
  let breachCount = 0;
  for (const k of window) if (breaches(comparison, slots[k]!, threshold)) breachCount++;
  const state: AlarmStateValue = breachCount >= needed ? "ALARM" : "OK";
  return result(state, crossedReason(input, state, r, window, breachCount, 0), window);
}

/**
 * An evaluation's result. Its StateReasonData is built only when read (when a state change is written), not on every
 * evaluation; a class rather than an object literal with a getter, which costs a closure and a slow literal each time.
 */
class Result implements EvalResult {
  readonly #input: EvalInput;
  readonly #range: Range;
  readonly #window: number[];
  constructor(
    readonly state: AlarmStateValue,
    readonly reason: string,
    input: EvalInput,
    range: Range,
    window: number[],
  ) {
    this.#input = input;
    this.#range = range;
    this.#window = window;
  }
  get reasonData(): string {
    return reasonJson(this.#input, this.#range, this.#window);
  }
}

/** StateReasonData: the query, the range's real datapoints oldest first, the window's. Numbers as Java doubles. */
function reasonJson(input: EvalInput, r: Range, window: number[]): string {
  // Parts joined once: one flat string, rather than a tree of concatenations that lives (and is copied by the garbage
  // collector) until the commit writes it.
  const { real } = r;
  const j = [`{"version":"1.0","queryDate":"${awsDate(input.now)}"`];
  if (real.length) j.push(`,"startDate":"${awsDate(startOf(r, real[real.length - 1]))}"`);
  if (input.unit) j.push(`,"unit":${JSON.stringify(input.unit)}`);
  if (input.statistic) j.push(`,"statistic":${JSON.stringify(input.statistic)}`);
  j.push(`,"period":${input.period},"recentDatapoints":[`);
  for (let i = real.length - 1; i >= 0; i--)
    j.push(`${i < real.length - 1 ? "," : ""}${javaDouble(r.slots[real[i]]!.value)}`);
  j.push("]");
  if (input.threshold !== undefined) j.push(`,"threshold":${javaDouble(input.threshold)}`);
  j.push(`,"evaluatedDatapoints":[`);
  window.forEach((k, i) => j.push(`${i ? "," : ""}${evaluatedJson(r.slots[k], startOf(r, k))}`));
  j.push("]}");
  return j.join("");
}

function evaluatedJson(d: Datapoint | undefined, t: number): string {
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
  r: Range,
  window: number[],
  breachCount: number,
  filled: number,
): string {
  const { comparison, threshold } = input;
  const alarm = state === "ALARM";
  let list = "";
  let listed = 0;
  for (const k of window) {
    const d = r.slots[k];
    if (d === undefined || breaches(comparison, d, threshold) !== alarm) continue;
    list += `${listed++ ? ", " : ""}${javaDouble(d.value)} (${reasonDate(startOf(r, k))})`;
  }
  const count = alarm ? breachCount - filled : listed;
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
