/**
 * Periods and their ages (GetMetricStatistics and GetMetricData API references): 1, 5, 10, 20, 30, 60 or a multiple of
 * 60 seconds; data older than 3 hours answer multiples of 60, older than 15 days multiples of 300, older than 63 days
 * multiples of 3600; StartTime is rounded down by the same ages.
 */
import { awsError } from "../../../errors/index.js";

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

export function isValidPeriod(p: number): boolean {
  return Number.isInteger(p) && (p === 1 || p === 5 || p === 10 || p === 20 || p === 30 || (p >= 60 && p % 60 === 0));
}

/** Assumption (no recording): AWS words an invalid period this way. */
export function checkPeriod(p: number, member: string): void {
  if (!isValidPeriod(p))
    throw awsError(
      "InvalidParameterValue",
      `The parameter ${member} must be 1, 5, 10, 20, 30, 60, or any multiple of 60.`,
    );
}

/** Whether data starting at `start` is kept at a granularity `p` divides. */
export function periodAllowedAt(p: number, start: number, now: number): boolean {
  const age = now - start;
  if (age > 63 * DAY_MS) return p % 3600 === 0;
  if (age > 15 * DAY_MS) return p % 300 === 0;
  if (age > 3 * HOUR_MS) return p % 60 === 0;
  return true;
}

/** StartTime rounded down as AWS does for its age (and to whole periods under a minute). */
export function roundStart(start: number, p: number, now: number): number {
  const age = now - start;
  const unit = age > 63 * DAY_MS ? HOUR_MS : age > 15 * DAY_MS ? 300_000 : p < 60 ? p * 1000 : 60_000;
  return Math.floor(start / unit) * unit;
}
