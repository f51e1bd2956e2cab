/** Schedule expressions of rules: parse (validation as PutRule does it) and the next fire time. */
import { nextCron, parseCron, type CronSchedule } from "./cron.js";
import { nextRate, parseRate, type RateSchedule } from "./rate.js";

export type Schedule = CronSchedule | RateSchedule;

export function parseSchedule(expr: string): Schedule | undefined {
  return expr.startsWith("rate(") ? parseRate(expr) : expr.startsWith("cron(") ? parseCron(expr) : undefined;
}

/** The first fire strictly after `after`; `anchor` is when a rate rule was created or last enabled. */
export function nextFire(s: Schedule, anchor: number, after: number): number | undefined {
  return s.kind === "rate" ? nextRate(s, anchor, after) : nextCron(s, after);
}
