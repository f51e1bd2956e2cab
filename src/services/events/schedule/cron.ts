/**
 * EventBridge cron expressions: cron(minutes hours day-of-month month day-of-week year), UTC, as "Schedule expressions
 * for rules" documents them. Every field takes `,` lists, `-` ranges, `*` and `/` steps; day-of-month and
 * day-of-week take `?` (exactly one of the two must be `?`) and `L` (last day of the month; `nL` in day-of-week is
 * the last weekday n of the month); day-of-month takes `W` (`nW` the weekday nearest day n within the month, `LW`
 * the last weekday); day-of-week takes `n#k` (the k-th weekday n). Months are 1-12 or JAN-DEC, weekdays 1-7 (1 =
 * Sunday) or SUN-SAT, years 1970-2199. Own parser and evaluator: croner gets these semantics wrong.
 */

export interface CronSchedule {
  kind: "cron";
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>;
  years: Set<number>;
  /** null when the field is `?`. */
  dom: DomSpec | null;
  dow: DowSpec | null;
}

interface DomSpec {
  days: Set<number>;
  last: boolean;
  lastWeekday: boolean;
  nearestWeekday: number[];
}

interface DowSpec {
  days: Set<number>;
  /** n in nL: the last weekday n (1-7) of the month. */
  lastOf: number[];
  /** [weekday, k] in n#k. */
  nth: [number, number][];
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2199;

class Invalid extends Error {}

function num(text: string, min: number, max: number, names?: string[]): number {
  let v: number;
  if (/^[0-9]{1,4}$/.test(text)) v = Number(text);
  else if (names && names.includes(text.toUpperCase())) v = names.indexOf(text.toUpperCase()) + 1;
  else throw new Invalid(text);
  if (v < min || v > max) throw new Invalid(text);
  return v;
}

/** A field of lists, ranges, `*` and steps into the set of values it allows. */
function field(text: string, min: number, max: number, names?: string[]): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(",")) {
    if (part === "") throw new Invalid(text);
    const [range, stepText, extra] = part.split("/");
    if (extra !== undefined) throw new Invalid(text);
    const step = stepText === undefined ? 1 : num(stepText, 1, max, undefined);
    let lo: number;
    let hi: number;
    if (range === "*") [lo, hi] = [min, max];
    else if (range!.includes("-")) {
      const [a, b, more] = range!.split("-");
      if (more !== undefined) throw new Invalid(text);
      lo = num(a!, min, max, names);
      hi = num(b!, min, max, names);
      if (hi < lo) throw new Invalid(text);
    } else {
      lo = num(range!, min, max, names);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function domField(text: string): DomSpec {
  const spec: DomSpec = { days: new Set(), last: false, lastWeekday: false, nearestWeekday: [] };
  for (const part of text.split(",")) {
    if (part === "L") spec.last = true;
    else if (part === "LW") spec.lastWeekday = true;
    else if (/^[0-9]{1,2}W$/.test(part)) spec.nearestWeekday.push(num(part.slice(0, -1), 1, 31));
    else for (const d of field(part, 1, 31)) spec.days.add(d);
  }
  return spec;
}

function dowField(text: string): DowSpec {
  const spec: DowSpec = { days: new Set(), lastOf: [], nth: [] };
  for (const part of text.split(",")) {
    if (part === "L") spec.days.add(7);
    else if (/^[0-9A-Za-z]{1,3}L$/.test(part)) spec.lastOf.push(num(part.slice(0, -1), 1, 7, DAYS));
    else if (part.includes("#")) {
      const [d, k] = part.split("#");
      spec.nth.push([num(d!, 1, 7, DAYS), num(k!, 1, 5)]);
    } else for (const d of field(part, 1, 7, DAYS)) spec.days.add(d);
  }
  return spec;
}

/** Parses the inside of cron(...); undefined when EventBridge would refuse it. */
export function parseCron(expr: string): CronSchedule | undefined {
  const m = /^cron\((.*)\)$/.exec(expr);
  if (!m) return undefined;
  const f = m[1]!.trim().split(/\s+/);
  if (f.length !== 6) return undefined;
  try {
    const [min, hour, dom, month, dow, year] = f as [string, string, string, string, string, string];
    // "You can't specify the Day-of-month and Day-of-week fields in the same cron expression": one must be `?`.
    if ((dom === "?") === (dow === "?")) return undefined;
    return {
      kind: "cron",
      minutes: field(min, 0, 59),
      hours: field(hour, 0, 23),
      months: field(month, 1, 12, MONTHS),
      years: field(year, MIN_YEAR, MAX_YEAR),
      dom: dom === "?" ? null : domField(dom),
      dow: dow === "?" ? null : dowField(dow),
    };
  } catch (e) {
    if (e instanceof Invalid) return undefined;
    throw e;
  }
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
/** 1 = Sunday ... 7 = Saturday. */
const weekday = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;

function nearestWeekday(y: number, m: number, d: number): number | undefined {
  const last = daysIn(y, m);
  if (d > last) return undefined;
  const wd = weekday(y, m, d);
  if (wd >= 2 && wd <= 6) return d;
  if (wd === 7) return d === 1 ? 3 : d - 1; // Saturday: Friday before, or Monday after the 1st
  return d === last ? d - 2 : d + 1; // Sunday: Monday after, or Friday before the month's last day
}

function dayMatches(s: CronSchedule, y: number, m: number, d: number): boolean {
  const last = daysIn(y, m);
  if (s.dom) {
    const dom = s.dom;
    if (dom.days.has(d) || (dom.last && d === last)) return true;
    if (dom.lastWeekday && nearestWeekday(y, m, last) === d) return true;
    return dom.nearestWeekday.some((n) => nearestWeekday(y, m, n) === d);
  }
  const dow = s.dow!;
  const wd = weekday(y, m, d);
  if (dow.days.has(wd)) return true;
  if (dow.lastOf.includes(wd) && d + 7 > last) return true;
  return dow.nth.some(([w, k]) => w === wd && Math.ceil(d / 7) === k);
}

/** The first fire time strictly after `after` (epoch ms, minute resolution), or undefined when there is none. */
export function nextCron(s: CronSchedule, after: number): number | undefined {
  const start = new Date(Math.floor(after / 60_000) * 60_000 + 60_000);
  let y = start.getUTCFullYear();
  let mo = start.getUTCMonth() + 1;
  let d = start.getUTCDate();
  let h = start.getUTCHours();
  let mi = start.getUTCMinutes();
  for (; y <= MAX_YEAR; y++, mo = 1, d = 1, h = 0, mi = 0) {
    if (!s.years.has(y)) continue;
    for (; mo <= 12; mo++, d = 1, h = 0, mi = 0) {
      if (!s.months.has(mo)) continue;
      const last = daysIn(y, mo);
      for (; d <= last; d++, h = 0, mi = 0) {
        if (!dayMatches(s, y, mo, d)) continue;
        for (; h <= 23; h++, mi = 0) {
          if (!s.hours.has(h)) continue;
          for (; mi <= 59; mi++) if (s.minutes.has(mi)) return Date.UTC(y, mo - 1, d, h, mi);
        }
      }
    }
  }
  return undefined;
}
