/**
 * Evaluates a parsed metric math expression ("Metric math syntax and functions", CloudWatch user guide). Values are
 * scalars, time series (timestamps ascending) and arrays of time series. Arithmetic between two series keeps the
 * timestamps both have; comparisons and logical operators treat a value missing from one series as 0, as the guide's
 * table shows; with a scalar or an array they apply point by point or series by series. Results that are not finite
 * numbers (x / 0, LOG(-1)) are dropped, as CloudWatch leaves such points out.
 */
import { anomalyBand } from "../anomaly.js";
import { MathSyntaxError, type Call, type Node } from "./parse.js";

export interface Series {
  label: string;
  ts: number[];
  vs: number[];
  /** Carried through functions that transform a series point by point. */
  meta?: SeriesMeta;
}

export interface SeriesMeta {
  /** Dynamic-label properties of the metric behind the series (MetricName, Namespace, Dim.X, Stat, Period). */
  props?: Record<string, string>;
  /** Which bound of an ANOMALY_DETECTION_BAND the series is. */
  role?: "Upper" | "Lower";
}

export type Val =
  | { k: "scalar"; v: number }
  | { k: "series"; s: Series }
  | { k: "array"; items: Series[] }
  | { k: "kw"; name: string }
  | { k: "str"; v: string };

export interface EvalContext {
  /** Period starts of the query (ms), ascending. */
  grid: number[];
  /** Seconds. */
  period: number;
  /** The value of another query by id (already evaluated). */
  lookup(id: string): Val;
  /** The MetricStat queries' series, optionally those whose Id contains `filter`. */
  metrics(filter?: string): Series[];
  /** The metrics a SEARCH call found (the caller runs the searches before evaluating). */
  search?(call: Call): Series[];
  /**
   * The same queries read with the anomaly model's training history: metrics from two weeks before the grid on.
   * Without it, ANOMALY_DETECTION_BAND trains on the query's own range.
   */
  training?(): EvalContext;
}

/** An expression that parses but cannot be evaluated (wrong argument types, unknown function). */
export class MathEvalError extends Error {}

export function evaluate(n: Node, ctx: EvalContext): Val {
  switch (n.t) {
    case "num":
      return { k: "scalar", v: n.v };
    case "str":
      return { k: "str", v: n.v };
    case "kw":
      return { k: "kw", name: n.name };
    case "id":
      return ctx.lookup(n.name);
    case "array": {
      const items: Series[] = [];
      for (const i of n.items) {
        const v = evaluate(i, ctx);
        if (v.k === "series") items.push(v.s);
        else if (v.k === "array") items.push(...v.items);
        else throw new MathEvalError("Arrays may only contain time series");
      }
      return { k: "array", items };
    }
    case "unary": {
      const v = evaluate(n.arg, ctx);
      return n.op === "-" ? map(v, (x) => -x) : map(v, (x) => (x === 0 ? 1 : 0));
    }
    case "bin":
      return binary(n.op, evaluate(n.left, ctx), evaluate(n.right, ctx));
    case "call":
      return call(n, ctx);
  }
}

const OPS: Record<string, (a: number, b: number) => number> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => a / b,
  "^": (a, b) => Math.pow(a, b),
  "==": (a, b) => (a === b ? 1 : 0),
  "!=": (a, b) => (a !== b ? 1 : 0),
  "<": (a, b) => (a < b ? 1 : 0),
  "<=": (a, b) => (a <= b ? 1 : 0),
  ">": (a, b) => (a > b ? 1 : 0),
  ">=": (a, b) => (a >= b ? 1 : 0),
  AND: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  OR: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
};

const withMeta = (s: Series, from: Series): Series => (from.meta ? { ...s, meta: from.meta } : s);

function mapSeries(s: Series, f: (x: number, t: number, i: number) => number, label = s.label): Series {
  const ts: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < s.ts.length; i++) {
    const v = f(s.vs[i], s.ts[i], i);
    if (Number.isFinite(v)) {
      ts.push(s.ts[i]);
      vs.push(v);
    }
  }
  return withMeta({ label, ts, vs }, s);
}

function map(v: Val, f: (x: number) => number): Val {
  switch (v.k) {
    case "scalar":
      return { k: "scalar", v: f(v.v) };
    case "series":
      return { k: "series", s: mapSeries(v.s, f) };
    case "array":
      return { k: "array", items: v.items.map((s) => mapSeries(s, f)) };
    default:
      throw new MathEvalError("Expected a number or a time series");
  }
}

/** Comparisons and logical operators: a timestamp only one series has counts as 0 in the other (the guide's table). */
const MISSING_IS_ZERO = new Set(["==", "!=", "<", "<=", ">", ">=", "AND", "OR"]);

/** Point by point over the timestamps both series have, or over all of them with a missing value as 0. */
function zip(a: Series, b: Series, f: (x: number, y: number) => number, missingIsZero = false): Series {
  const ts: number[] = [];
  const vs: number[] = [];
  const push = (t: number, v: number) => {
    if (Number.isFinite(v)) {
      ts.push(t);
      vs.push(v);
    }
  };
  let i = 0;
  let j = 0;
  while (i < a.ts.length || j < b.ts.length) {
    const ta = i < a.ts.length ? a.ts[i] : Infinity;
    const tb = j < b.ts.length ? b.ts[j] : Infinity;
    if (ta === tb) push(ta, f(a.vs[i++], b.vs[j++]));
    else if (ta < tb) {
      if (missingIsZero) push(ta, f(a.vs[i], 0));
      i++;
    } else {
      if (missingIsZero) push(tb, f(0, b.vs[j]));
      j++;
    }
  }
  return withMeta({ label: a.label, ts, vs }, a);
}

function binary(op: string, a: Val, b: Val): Val {
  const f = OPS[op];
  if (!f) throw new MathSyntaxError(`Unknown operator ${op}`);
  const z = (x: Series, y: Series) => zip(x, y, f, MISSING_IS_ZERO.has(op));
  if (a.k === "scalar" && b.k === "scalar") return { k: "scalar", v: f(a.v, b.v) };
  if (a.k === "scalar") return map(b, (y) => f(a.v, y));
  if (b.k === "scalar") return map(a, (x) => f(x, b.v));
  if (a.k === "series" && b.k === "series") return { k: "series", s: z(a.s, b.s) };
  if (a.k === "array" && b.k === "series") return { k: "array", items: a.items.map((s) => z(s, b.s)) };
  if (a.k === "series" && b.k === "array")
    return { k: "array", items: b.items.map((s) => ({ ...z(a.s, s), label: s.label, meta: s.meta })) };
  if (a.k === "array" && b.k === "array") {
    if (a.items.length !== b.items.length) throw new MathEvalError("Arrays must have the same number of time series");
    return { k: "array", items: a.items.map((s, i) => z(s, b.items[i])) };
  }
  throw new MathEvalError(`Invalid operands for ${op}`);
}

// ---- functions ----

const seriesArg = (v: Val, fn: string): Series => {
  if (v.k === "series") return v.s;
  throw new MathEvalError(`${fn} expects a time series`);
};
const seriesList = (v: Val, fn: string): Series[] => {
  if (v.k === "series") return [v.s];
  if (v.k === "array") return v.items;
  throw new MathEvalError(`${fn} expects a time series or an array of time series`);
};
const scalarArg = (v: Val, fn: string): number => {
  if (v.k === "scalar") return v.v;
  throw new MathEvalError(`${fn} expects a number`);
};

const reducers: Record<string, (xs: number[]) => number> = {
  AVG: (xs) => xs.reduce((a, b) => a + b, 0) / xs.length,
  SUM: (xs) => xs.reduce((a, b) => a + b, 0),
  MIN: (xs) => Math.min(...xs),
  MAX: (xs) => Math.max(...xs),
  COUNT: (xs) => xs.length,
  STDDEV: (xs) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - m) * (b - m), 0) / xs.length);
  },
};

/** AVG, SUM, ...: of one series a scalar; of an array a series (per timestamp across the series). */
function reduce(name: string, v: Val): Val {
  const r = reducers[name];
  if (v.k === "series") {
    const x = v.s.vs.length ? r(v.s.vs) : NaN;
    return { k: "scalar", v: x };
  }
  if (v.k === "array") {
    const byTs = new Map<number, number[]>();
    for (const s of v.items) s.ts.forEach((t, i) => (byTs.get(t) ?? byTs.set(t, []).get(t)!).push(s.vs[i]));
    const ts = [...byTs.keys()].sort((a, b) => a - b);
    return { k: "series", s: { label: name, ts, vs: ts.map((t) => r(byTs.get(t)!)) } };
  }
  if (v.k === "scalar") return v;
  throw new MathEvalError(`${name} expects a time series or an array of time series`);
}

const date = (t: number) => new Date(t);
/** Functions of the timestamp; the guide: "a new non-sparse time series where each value is based on its timestamp". */
const TIME_FUNCS: Record<string, (t: number) => number> = {
  MINUTE: (t) => date(t).getUTCMinutes(),
  HOUR: (t) => date(t).getUTCHours(),
  // 1 = Monday ... 7 = Sunday.
  DAY: (t) => ((date(t).getUTCDay() + 6) % 7) + 1,
  DATE: (t) => date(t).getUTCDate(),
  MONTH: (t) => date(t).getUTCMonth() + 1,
  YEAR: (t) => date(t).getUTCFullYear(),
  EPOCH: (t) => Math.floor(t / 1000),
};

/** Functions AWS documents that need a service Vigil does not have: refused with a clear reason. */
const UNAVAILABLE: Record<string, string> = {
  INSIGHT_RULE_METRIC: "Vigil does not implement Contributor Insights rules",
  SERVICE_QUOTA: "Vigil does not implement Service Quotas",
  LAMBDA: "Vigil does not call Lambda functions as metric data sources",
  DB_PERF_INSIGHTS: "Vigil does not implement RDS Performance Insights",
};

const typeName = (v: Val): string =>
  v.k === "scalar"
    ? "Scalar"
    : v.k === "series"
      ? "TimeSeries"
      : v.k === "array"
        ? "Array[TimeSeries]"
        : v.k === "str"
          ? "String"
          : "Keyword";

/** AWS's wording for arguments of the wrong types (seen in answers to ANOMALY_DETECTION_BAND([m1, m2], 2)). */
const unsupported = (name: string, vals: Val[]) =>
  new MathEvalError(`Unsupported operand type(s) for ${name}: '[${vals.map(typeName).join(", ")}]'`);

/** SEARCH: the metrics the caller found for this call before evaluating (search.ts, metric-data.ts). */
function searchResult(n: Call, ctx: EvalContext): Val {
  if (!ctx.search) throw new MathEvalError("SEARCH is not available here");
  return { k: "array", items: ctx.search(n) };
}

/**
 * ANOMALY_DETECTION_BAND(m1[, k]): the band of ANOMALY.md around one time series, k standard deviations wide (2 by
 * default), as two series: the upper bound first, then the lower (the guide: LAST(ANOMALY_DETECTION_BAND(m1)) is the
 * lower bound). The argument is evaluated with two weeks of training history; the band covers the query's range.
 */
function band(args: Node[], ctx: EvalContext): Val {
  arity("ANOMALY_DETECTION_BAND", args, 1, 2);
  const v = evaluate(args[0], ctx.training ? ctx.training() : ctx);
  const k = args.length > 1 ? evaluate(args[1], ctx) : ({ k: "scalar", v: 2 } as Val);
  if (v.k !== "series" || k.k !== "scalar") throw unsupported("ANOMALY_DETECTION_BAND", [v, k]);
  if (!(k.v > 0))
    throw new MathEvalError("The number of standard deviations of ANOMALY_DETECTION_BAND must be positive");
  const b = anomalyBand({ timestamps: v.s.ts, values: v.s.vs }, k.v, ctx.grid.length ? ctx.grid[0] : Infinity);
  const bound = (role: "Upper" | "Lower", vs: number[]): Series => ({
    label: role,
    ts: [...b.timestamps],
    vs,
    meta: { ...v.s.meta, role },
  });
  return { k: "array", items: [bound("Upper", b.upper), bound("Lower", b.lower)] };
}

const ELEMENTWISE: Record<string, (x: number) => number> = {
  ABS: Math.abs,
  CEIL: Math.ceil,
  FLOOR: Math.floor,
  LOG: Math.log,
  LOG10: Math.log10,
};

function arity(name: string, args: Node[], min: number, max = min): void {
  if (args.length < min || args.length > max)
    throw new MathEvalError(`${name} expects ${min === max ? min : `${min} to ${max}`} arguments`);
}

function call(n: Call, ctx: EvalContext): Val {
  const { name, args } = n;
  const ev = (i: number) => evaluate(args[i], ctx);
  if (name in ELEMENTWISE) {
    arity(name, args, 1);
    return map(ev(0), ELEMENTWISE[name]);
  }
  if (name in reducers && name !== "COUNT") {
    arity(name, args, 1);
    return reduce(name, ev(0));
  }
  if (name in TIME_FUNCS) {
    arity(name, args, 1);
    const f = TIME_FUNCS[name];
    const v = ev(0);
    const dense = (s: Series): Series => withMeta({ label: s.label, ts: [...ctx.grid], vs: ctx.grid.map(f) }, s);
    if (v.k === "array") return { k: "array", items: v.items.map(dense) };
    return { k: "series", s: dense(seriesArg(v, name)) };
  }
  if (name in UNAVAILABLE) throw new MathEvalError(`${name} is not supported: ${UNAVAILABLE[name]}.`);
  switch (name) {
    case "METRICS": {
      arity(name, args, 0, 1);
      const filter = args.length ? ev(0) : undefined;
      if (filter && filter.k !== "str") throw new MathEvalError("METRICS expects a string");
      return { k: "array", items: ctx.metrics(filter?.k === "str" ? filter.v : undefined) };
    }
    case "DATAPOINT_COUNT": {
      arity(name, args, 1);
      const v = ev(0);
      if (v.k === "series") return { k: "scalar", v: v.s.vs.length };
      return reduce("COUNT", v);
    }
    case "DIFF":
    case "DIFF_TIME":
    case "RATE":
    case "RUNNING_SUM": {
      arity(name, args, 1);
      const per = (s: Series): Series => {
        if (name === "RUNNING_SUM") {
          let acc = 0;
          return mapSeries(s, (x) => (acc += x));
        }
        // The first point has no predecessor: dropped.
        return mapSeries(s, (x, t, i) => {
          if (i === 0) return NaN;
          const dv = x - s.vs[i - 1];
          const dt = (t - s.ts[i - 1]) / 1000;
          return name === "DIFF" ? dv : name === "DIFF_TIME" ? dt : dv / dt;
        });
      };
      const v = ev(0);
      return v.k === "array" ? { k: "array", items: v.items.map(per) } : { k: "series", s: per(seriesArg(v, name)) };
    }
    case "FILL": {
      arity(name, args, 2);
      const how = ev(1);
      const fill = (s: Series): Series => fillSeries(s, how, ctx.grid);
      const v = ev(0);
      return v.k === "array" ? { k: "array", items: v.items.map(fill) } : { k: "series", s: fill(seriesArg(v, name)) };
    }
    case "FIRST":
    case "LAST": {
      arity(name, args, 1);
      const items = seriesList(ev(0), name);
      if (items.length === 0) throw new MathEvalError(`${name} of an empty array`);
      return { k: "series", s: name === "FIRST" ? items[0] : items[items.length - 1] };
    }
    case "IF": {
      arity(name, args, 2, 3);
      return ifThen(ev(0), ev(1), args.length > 2 ? ev(2) : undefined, ctx);
    }
    case "PERIOD":
      arity(name, args, 1);
      ev(0);
      return { k: "scalar", v: ctx.period };
    case "REMOVE_EMPTY": {
      arity(name, args, 1);
      const v = ev(0);
      if (v.k === "series") return v;
      return { k: "array", items: seriesList(v, name).filter((s) => s.ts.length > 0) };
    }
    case "SLICE": {
      arity(name, args, 3);
      const items = seriesList(ev(0), name);
      return { k: "array", items: items.slice(scalarArg(ev(1), name), scalarArg(ev(2), name)) };
    }
    case "SORT": {
      arity(name, args, 3, 4);
      const items = [...seriesList(ev(0), name)];
      const by = ev(1);
      const order = ev(2);
      if (by.k !== "kw" || !(by.name in reducers))
        throw new MathEvalError("SORT expects AVG, COUNT, MAX, MIN, STDDEV or SUM");
      if (order.k !== "kw" || (order.name !== "ASC" && order.name !== "DESC"))
        throw new MathEvalError("SORT expects ASC or DESC");
      const key = (s: Series) => (s.vs.length ? reducers[by.name](s.vs) : -Infinity);
      items.sort((a, b) => (order.name === "ASC" ? key(a) - key(b) : key(b) - key(a)));
      const n = args.length > 3 ? scalarArg(ev(3), name) : items.length;
      return { k: "array", items: items.slice(0, n) };
    }
    case "TIME_SERIES": {
      arity(name, args, 1);
      const x = scalarArg(ev(0), name);
      return { k: "series", s: { label: "TIME_SERIES", ts: [...ctx.grid], vs: ctx.grid.map(() => x) } };
    }
    case "METRIC_COUNT": {
      arity(name, args, 1);
      const v = ev(0);
      if (v.k === "array") return { k: "scalar", v: v.items.length };
      if (v.k === "series") return { k: "scalar", v: 1 };
      throw unsupported(name, [v]);
    }
    case "CONCAT": {
      // Any number of time series and arrays, joined into one array in argument order. Assumption: the copy of the
      // user guide this follows predates CONCAT; AWS's current function table describes it this way, unverified here.
      if (args.length === 0) throw new MathEvalError("CONCAT expects at least 1 argument");
      const vals = args.map((_a, i) => ev(i));
      if (vals.some((v) => v.k !== "series" && v.k !== "array")) throw unsupported(name, vals);
      return { k: "array", items: vals.flatMap((v) => seriesList(v, name)) };
    }
    case "SEARCH":
      return searchResult(n, ctx);
    case "ANOMALY_DETECTION_BAND":
      return band(args, ctx);
    default:
      throw new MathEvalError(`Unknown function ${name}`);
  }
}

function fillSeries(s: Series, how: Val, grid: number[]): Series {
  const at = new Map(s.ts.map((t, i) => [t, s.vs[i]]));
  const ts: number[] = [];
  const vs: number[] = [];
  if (how.k === "scalar" || how.k === "series") {
    const other = how.k === "series" ? new Map(how.s.ts.map((t, i) => [t, how.s.vs[i]])) : undefined;
    for (const t of grid) {
      const v = at.get(t) ?? (other ? other.get(t) : (how as { v: number }).v);
      if (v !== undefined) {
        ts.push(t);
        vs.push(v);
      }
    }
    return withMeta({ label: s.label, ts, vs }, s);
  }
  if (how.k !== "kw" || (how.name !== "REPEAT" && how.name !== "LINEAR"))
    throw new MathEvalError("FILL expects a number, a time series, REPEAT or LINEAR");
  // REPEAT carries the last value forward (and the first one backward); LINEAR interpolates between known points.
  for (let g = 0; g < grid.length; g++) {
    const t = grid[g];
    const known = at.get(t);
    if (known !== undefined) {
      ts.push(t);
      vs.push(known);
      continue;
    }
    let prev = -1;
    for (let i = s.ts.length - 1; i >= 0; i--)
      if (s.ts[i] < t) {
        prev = i;
        break;
      }
    const next = s.ts.findIndex((x) => x > t);
    let v: number | undefined;
    if (how.name === "REPEAT") v = prev >= 0 ? s.vs[prev] : next >= 0 ? s.vs[next] : undefined;
    else if (prev >= 0 && next >= 0)
      v = s.vs[prev] + ((s.vs[next] - s.vs[prev]) * (t - s.ts[prev])) / (s.ts[next] - s.ts[prev]);
    if (v !== undefined) {
      ts.push(t);
      vs.push(v);
    }
  }
  return withMeta({ label: s.label, ts, vs }, s);
}

function ifThen(cond: Val, a: Val, b: Val | undefined, ctx: EvalContext): Val {
  const valueAt = (v: Val | undefined, t: number): number | undefined => {
    if (!v) return undefined;
    if (v.k === "scalar") return v.v;
    if (v.k === "series") {
      const i = v.s.ts.indexOf(t);
      return i < 0 ? undefined : v.s.vs[i];
    }
    throw new MathEvalError("IF expects numbers or time series");
  };
  const one = (c: Series): Series => {
    const ts: number[] = [];
    const vs: number[] = [];
    c.ts.forEach((t, i) => {
      const v = valueAt(c.vs[i] !== 0 ? a : b, t);
      if (v !== undefined && Number.isFinite(v)) {
        ts.push(t);
        vs.push(v);
      }
    });
    return { label: c.label, ts, vs };
  };
  if (cond.k === "scalar") {
    const chosen = cond.v !== 0 ? a : b;
    if (!chosen) return { k: "series", s: { label: "IF", ts: [], vs: [] } };
    if (chosen.k === "scalar")
      return { k: "series", s: { label: "IF", ts: [...ctx.grid], vs: ctx.grid.map(() => chosen.v) } };
    return chosen;
  }
  if (cond.k === "array") return { k: "array", items: cond.items.map(one) };
  return { k: "series", s: one(seriesArg(cond, "IF")) };
}
