/**
 * rate(value unit) schedule expressions ("Schedule expressions for rules"): a positive whole value and minute(s),
 * hour(s) or day(s), singular exactly when the value is 1. A rate rule first fires one period after it is created or
 * enabled, then every period.
 */
export interface RateSchedule {
  kind: "rate";
  periodMs: number;
}

const RATE = /^rate\(([0-9]+) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function parseRate(expr: string): RateSchedule | undefined {
  const m = RATE.exec(expr);
  if (!m) return undefined;
  const value = Number(m[1]);
  const unit = m[2]!;
  if (!Number.isSafeInteger(value) || value < 1) return undefined;
  const singular = !unit.endsWith("s");
  if ((value === 1) !== singular) return undefined;
  return { kind: "rate", periodMs: value * UNIT_MS[singular ? unit : unit.slice(0, -1)]! };
}

/** The first fire strictly after `after` for a rate that started at `anchor`. */
export function nextRate(s: RateSchedule, anchor: number, after: number): number {
  if (after < anchor) return anchor + s.periodMs;
  const n = Math.floor((after - anchor) / s.periodMs) + 1;
  return anchor + n * s.periodMs;
}
