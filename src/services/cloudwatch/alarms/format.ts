/**
 * How CloudWatch alarms write values into texts and JSON: dates as "2026-11-23T10:00:00.000+0000", numbers as Java
 * doubles ("21.0"), datapoint dates in state reasons as "dd/MM/yy HH:mm:ss", and the long region names of SNS messages.
 */

/** "2026-11-23T10:00:00.000+0000", the date format of StateReasonData, SNS messages and alarm events. */
export function awsDate(ms: number): string {
  // Alarms on the same periods format the same instants over and over in one evaluation tick.
  let s = dates.get(ms);
  if (s === undefined) {
    if (dates.size >= 4096) dates.clear();
    dates.set(ms, (s = new Date(ms).toISOString().replace("Z", "+0000")));
  }
  return s;
}

const dates = new Map<number, string>();

const pad = (n: number) => String(n).padStart(2, "0");

/** "23/11/26 10:00:00": a datapoint's time in a "Threshold Crossed" reason. */
export function reasonDate(ms: number): string {
  // As awsDate: the alarms of a tick name the same few period starts.
  let s = reasonDates.get(ms);
  if (s === undefined) {
    if (reasonDates.size >= 4096) reasonDates.clear();
    const d = new Date(ms);
    s =
      `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ` +
      `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    reasonDates.set(ms, s);
  }
  return s;
}

const reasonDates = new Map<number, string>();

/** A number as Java prints a double: 21 -> "21.0", 0.5 -> "0.5", 1e21 -> "1.0E21". */
export function javaDouble(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  const abs = Math.abs(n);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) {
    const [m, e] = n.toExponential().split("e");
    return `${m.includes(".") ? m : `${m}.0`}E${Number(e)}`;
  }
  const s = String(n);
  return Number.isInteger(n) ? `${s}.0` : s;
}

const DOUBLE = "\u0000d:";

/** Marks a number to be written as a Java double by `stringifyAws`. */
export const dbl = (n: number): string => `${DOUBLE}${javaDouble(n)}`;

/** JSON.stringify, writing numbers marked with `dbl` as Java doubles (21.0) as AWS's JSON does. */
export function stringifyAws(v: unknown): string {
  // JSON.stringify escapes U+0000 as \u0000, so the marker survives as that escape sequence.
  return JSON.stringify(v).replace(/"\\u0000d:([^"]*)"/g, "$1");
}

/** The region names SNS alarm messages and subjects carry. */
const REGION_NAMES: Record<string, string> = {
  "us-east-1": "US East (N. Virginia)",
  "us-east-2": "US East (Ohio)",
  "us-west-1": "US West (N. California)",
  "us-west-2": "US West (Oregon)",
  "af-south-1": "Africa (Cape Town)",
  "ap-east-1": "Asia Pacific (Hong Kong)",
  "ap-south-1": "Asia Pacific (Mumbai)",
  "ap-south-2": "Asia Pacific (Hyderabad)",
  "ap-southeast-1": "Asia Pacific (Singapore)",
  "ap-southeast-2": "Asia Pacific (Sydney)",
  "ap-southeast-3": "Asia Pacific (Jakarta)",
  "ap-southeast-4": "Asia Pacific (Melbourne)",
  "ap-northeast-1": "Asia Pacific (Tokyo)",
  "ap-northeast-2": "Asia Pacific (Seoul)",
  "ap-northeast-3": "Asia Pacific (Osaka)",
  "ca-central-1": "Canada (Central)",
  "ca-west-1": "Canada West (Calgary)",
  "eu-central-1": "EU (Frankfurt)",
  "eu-central-2": "EU (Zurich)",
  "eu-west-1": "EU (Ireland)",
  "eu-west-2": "EU (London)",
  "eu-west-3": "EU (Paris)",
  "eu-north-1": "EU (Stockholm)",
  "eu-south-1": "EU (Milan)",
  "eu-south-2": "EU (Spain)",
  "il-central-1": "Israel (Tel Aviv)",
  "me-south-1": "Middle East (Bahrain)",
  "me-central-1": "Middle East (UAE)",
  "sa-east-1": "South America (Sao Paulo)",
};

export const regionName = (region: string): string => REGION_NAMES[region] ?? region;
