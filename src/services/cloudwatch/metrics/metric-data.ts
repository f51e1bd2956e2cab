/**
 * GetMetricData's queries: MetricStat queries read through the tiers, Expression queries run metric math over them in
 * dependency order, labels follow AWS (the metric name, plus the statistic and the period where the request's
 * MetricStat queries differ in them; dynamic labels such as ${LABEL}, ${AVG}, ${PROP('Dim.X')}). SEARCH calls run
 * before the expressions (search-metrics.ts); ANOMALY_DETECTION_BAND reads its metrics with two weeks of training
 * history before the query's range (anomaly.ts). Results are in query order with ascending timestamps; queries with
 * ReturnData false are left out.
 */
import { awsError } from "../../../errors/index.js";
import type { MetricsStore } from "../../../storage/metrics-store.js";
import type { MetricDataResult } from "../engine-api.js";
import { TRAINING_MS } from "./anomaly.js";
import { canonicalDims, type Dimension } from "./datums.js";
import { evaluate, MathEvalError, type EvalContext, type Series, type Val } from "./math/eval.js";
import { callsMetrics, callsTo, MathSyntaxError, parse, references, type Call, type Node } from "./math/parse.js";
import { parseSearch, SearchSyntaxError } from "./math/search.js";
import { isValidPeriod, roundStart } from "./periods.js";
import { readStat } from "./read.js";
import { searchMetrics, type SearchCall } from "./search-metrics.js";
import { parseStat } from "./stats.js";

export interface MetricStatInput {
  Metric: { Namespace?: string; MetricName?: string; Dimensions?: Dimension[] };
  Period: number;
  Stat: string;
  Unit?: string;
}

export interface QueryInput {
  Id: string;
  MetricStat?: MetricStatInput;
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
}

export interface MessageData {
  Code: string;
  Value: string;
}

/** The results, and the messages about the whole operation (GetMetricData's top-level Messages). */
export interface QueryOutcome {
  results: MetricDataResult[];
  messages: MessageData[];
}

/** GetMetricData's limit on queries per request (API reference). */
export const MAX_QUERIES = 500;
/** The API reference: a GetMetricData call retrieves "as many as 500 different metrics"; searches share that. */
export const MAX_METRICS = 500;
/**
 * The message when searches find more: the API reference names "Maximum number of allowed metrics exceeded" as an
 * example of GetMetricData's Messages; the code is the one clients such as Grafana look for.
 */
const MAX_METRICS_EXCEEDED: MessageData = {
  Code: "MaxMetricsExceeded",
  Value: "Maximum number of allowed metrics exceeded",
};
/** Points in one expression's grid at most (GetMetricData's MaxDatapoints). */
const MAX_GRID = 100_800;
const ID = /^[a-z][a-zA-Z0-9_]*$/;

const invalid = (message: string) => awsError("ValidationError", message);

export interface Deps {
  store: MetricsStore;
  now: number;
  account: string;
  region: string;
}

interface Checked {
  /** Parsed expressions by query id. */
  parsed: Map<string, Node>;
  /** The SEARCH calls, in query order. */
  searches: Map<Call, SearchCall>;
}

/**
 * SEARCH('{Namespace,Dim} term', 'Statistic', Period) with literal arguments, checked when the request arrives.
 * Assumption (no recording): AWS's wording of these errors.
 */
function checkSearch(c: Call): SearchCall {
  const [q, stat, period] = c.args;
  if (c.args.length !== 3 || q.t !== "str" || stat.t !== "str" || period.t !== "num")
    throw new MathSyntaxError(
      "SEARCH expects a search expression, a statistic and a period, such as SEARCH('{AWS/EC2,InstanceId} MetricName=\"CPUUtilization\"', 'Average', 300)",
    );
  if (!parseStat(stat.v)) throw new MathSyntaxError(`Invalid statistic '${stat.v}' in SEARCH`);
  if (!isValidPeriod(period.v))
    throw new MathSyntaxError(
      `Invalid period ${period.v} in SEARCH: the period must be 1, 5, 10, 20, 30, 60, or any multiple of 60`,
    );
  try {
    return { query: parseSearch(q.v), stat: stat.v, period: period.v };
  } catch (e) {
    if (e instanceof SearchSyntaxError) throw new MathSyntaxError(e.message);
    throw e;
  }
}

/**
 * Checks the queries as GetMetricData does; returns the parsed expressions and their searches. `member` names the
 * list in messages (PutMetricAlarm's is Metrics).
 */
export function checkQueries(queries: QueryInput[], member = "MetricDataQueries"): Checked {
  if (queries.length > MAX_QUERIES)
    throw invalid(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  const ids = new Set<string>();
  const parsed = new Map<string, Node>();
  const searches = new Map<Call, SearchCall>();
  queries.forEach((q, i) => {
    const p = `${member}.member.${i + 1}`;
    // Assumption (no recording): AWS's wording of these checks.
    if (!ID.test(q.Id))
      throw invalid(
        `Invalid metric data query id: '${q.Id}'. The id must start with a lowercase letter and contain only letters, numbers and underscores.`,
      );
    if (ids.has(q.Id)) throw invalid(`The values for parameter id in ${member} are not unique.`);
    ids.add(q.Id);
    if (q.MetricStat && q.Expression !== undefined)
      throw invalid(
        `The parameters ${p}.MetricStat and ${p}.Expression are mutually exclusive and you have specified both.`,
      );
    if (!q.MetricStat && q.Expression === undefined)
      throw invalid(`The parameter ${p}.MetricStat or ${p}.Expression must be specified.`);
    if (q.Period !== undefined && !isValidPeriod(q.Period))
      throw invalid(`The parameter ${p}.Period must be 1, 5, 10, 20, 30, 60, or any multiple of 60.`);
    if (q.MetricStat) {
      const m = q.MetricStat;
      if (!isValidPeriod(m.Period))
        throw invalid(`The parameter ${p}.MetricStat.Period must be 1, 5, 10, 20, 30, 60, or any multiple of 60.`);
      if (!parseStat(m.Stat)) throw invalid(`The value ${m.Stat} for parameter ${p}.MetricStat.Stat is invalid.`);
      if (!m.Metric?.Namespace || !m.Metric?.MetricName)
        throw invalid(`The parameter ${p}.MetricStat.Metric must specify Namespace and MetricName.`);
    } else {
      const expr = q.Expression!;
      if (/^\s*SELECT\b/i.test(expr))
        throw awsError("NotImplemented", "Vigil does not implement Metrics Insights (SELECT) queries yet.", 501);
      try {
        const node = parse(expr);
        parsed.set(q.Id, node);
        for (const c of callsTo(node, "SEARCH")) searches.set(c, checkSearch(c));
      } catch (e) {
        if (e instanceof MathSyntaxError) throw invalid(`Error in expression '${q.Id}': ${e.message}`);
        throw e;
      }
    }
  });
  for (const [id, node] of parsed)
    for (const ref of references(node))
      if (!ids.has(ref)) throw invalid(`Error in expression '${id}': Unrecognized metric or expression id '${ref}'`);
  return { parsed, searches };
}

/** The MetricStat queries whose history ANOMALY_DETECTION_BAND trains on: those its argument reaches. */
function trainingIds(parsed: Map<string, Node>, statIds: string[]): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (n: Node) => {
    if (callsMetrics(n)) for (const id of statIds) out.add(id);
    for (const ref of references(n)) {
      if (!parsed.has(ref)) out.add(ref);
      else if (!seen.has(ref)) {
        seen.add(ref);
        visit(parsed.get(ref)!);
      }
    }
  };
  for (const node of parsed.values())
    for (const c of callsTo(node, "ANOMALY_DETECTION_BAND")) if (c.args[0]) visit(c.args[0]);
  return out;
}

interface Evaluated {
  /** Series (one for MetricStat and most expressions; several for arrays). */
  series: Series[];
  /** Whether the value is an array of series (a lookup of the id then answers an array, even of one series). */
  array?: boolean;
  messages?: MessageData[];
  /** Label defaults and dynamic-label properties. */
  props?: Record<string, string>;
}

/** The start of the training history for a query range starting at `origin`: whole periods, two weeks back. */
const trainingOrigin = (origin: number, period: number) =>
  origin - Math.ceil(TRAINING_MS / (period * 1000)) * period * 1000;

export async function runQueries(deps: Deps, queries: QueryInput[], start: number, end: number): Promise<QueryOutcome> {
  const { parsed, searches } = checkQueries(queries);
  const byId = new Map(queries.map((q) => [q.Id, q]));
  const stats = queries.filter((q) => q.MetricStat);
  const statsDiffer = new Set(stats.map((q) => q.MetricStat!.Stat)).size > 1;
  const periodsDiffer = new Set(stats.map((q) => q.MetricStat!.Period)).size > 1;
  const defaultPeriod = Math.min(
    ...stats.map((q) => q.MetricStat!.Period),
    ...queries.map((q) => q.Period ?? Infinity),
    ...[...searches.values()].map((c) => c.period),
  );
  const period = Number.isFinite(defaultPeriod) ? defaultPeriod : 60;
  const messages: MessageData[] = [];
  const training = trainingIds(
    parsed,
    stats.map((q) => q.Id),
  );

  const done = new Map<string, Evaluated>();
  /** MetricStat series with their training history, for ANOMALY_DETECTION_BAND. */
  const trained = new Map<string, Series>();
  // MetricStat queries first (every expression may reach them through METRICS()).
  await Promise.all(
    stats.map(async (q) => {
      const m = q.MetricStat!;
      const s = await metricStat(deps, m, start, end);
      let label = m.Metric.MetricName!;
      if (statsDiffer) label += ` ${m.Stat}`;
      if (periodsDiffer) label += ` ${m.Period}`;
      const series = s.series[0];
      series.label = label;
      s.props = {
        MetricName: m.Metric.MetricName!,
        Namespace: m.Metric.Namespace!,
        Period: String(m.Period),
        Stat: m.Stat,
        ...Object.fromEntries((m.Metric.Dimensions ?? []).map((d) => [`Dim.${d.Name}`, d.Value])),
      };
      series.meta = { props: s.props };
      if (q.Label !== undefined) series.label = dynamicLabel(q.Label, series, label, s.props);
      done.set(q.Id, s);
      if (training.has(q.Id)) {
        const origin = roundStart(start, m.Period, deps.now);
        const from = trainingOrigin(origin, m.Period);
        const history = await metricStat(deps, m, from, origin, from);
        const h = history.series[0];
        trained.set(q.Id, { ...series, ts: h.ts.concat(series.ts), vs: h.vs.concat(series.vs) });
      }
    }),
  );

  // Searches next, in query order, sharing the request's budget of metrics.
  const found = new Map<Call, Series[]>();
  let budget = MAX_METRICS - stats.length;
  for (const [node, c] of searches) {
    const r = await searchMetrics(deps, c, start, end, budget);
    found.set(node, r.series);
    budget -= r.series.length;
    if (r.total > r.series.length && !messages.includes(MAX_METRICS_EXCEEDED)) messages.push(MAX_METRICS_EXCEEDED);
  }

  const exprPeriod = (q: QueryInput) => q.Period ?? period;
  /** An expression's context: over the query's range, or (training) from two weeks before it. */
  const context = (p: number, mode: "query" | "training"): EvalContext => {
    const pms = p * 1000;
    const origin = roundStart(start, p, deps.now);
    const first = mode === "query" ? origin : Math.max(trainingOrigin(origin, p), origin - MAX_GRID * pms);
    const grid: number[] = [];
    for (let t = first; t < end && grid.length < (mode === "query" ? MAX_GRID : 2 * MAX_GRID); t += pms) grid.push(t);
    const statSeries = (id: string) => (mode === "training" ? trained.get(id) : undefined) ?? done.get(id)!.series[0];
    return {
      grid,
      period: p,
      lookup: (ref) => {
        if (!parsed.has(ref)) return { k: "series", s: statSeries(ref) };
        return mode === "query" ? toVal(evalQuery(ref)) : evalTraining(ref);
      },
      metrics: (filter) =>
        // The guide: METRICS('x') keeps the metrics whose Id contains x.
        stats.filter((s) => filter === undefined || s.Id.includes(filter)).map((s) => statSeries(s.Id)),
      search: (call) => {
        if (mode === "training") throw new MathEvalError("ANOMALY_DETECTION_BAND does not support SEARCH");
        return found.get(call) ?? [];
      },
      training: () => context(p, "training"),
    };
  };
  const toVal = (e: Evaluated): Val => (e.array ? { k: "array", items: e.series } : { k: "series", s: e.series[0] });

  const visiting = new Set<string>();
  const evalQuery = (id: string): Evaluated => {
    const ready = done.get(id);
    if (ready) return ready;
    if (visiting.has(id)) throw invalid(`Error in expression '${id}': Circular dependency between expressions.`);
    visiting.add(id);
    const q = byId.get(id)!;
    const ctx = context(exprPeriod(q), "query");
    let v: Val;
    try {
      v = evaluate(parsed.get(id)!, ctx);
    } catch (e) {
      if (e instanceof MathEvalError || e instanceof MathSyntaxError)
        throw invalid(`Error in expression '${id}': ${e.message}`);
      throw e;
    }
    let out: Evaluated;
    if (v.k === "scalar") out = { series: [{ label: id, ts: [...ctx.grid], vs: ctx.grid.map(() => v.v) }] };
    else if (v.k === "series") out = { series: [{ ...v.s, label: id }] };
    else if (v.k === "array") out = { series: v.items, array: true };
    else throw invalid(`Error in expression '${id}': The expression must return a time series.`);
    out.series = out.series.map((s) => ({ ...s, label: resultLabel(q, s, out.array === true) }));
    done.set(id, out);
    visiting.delete(id);
    return out;
  };
  const trainingDone = new Map<string, Val>();
  const trainingVisiting = new Set<string>();
  const evalTraining = (id: string): Val => {
    const ready = trainingDone.get(id);
    if (ready) return ready;
    if (trainingVisiting.has(id)) throw new MathEvalError("Circular dependency between expressions.");
    trainingVisiting.add(id);
    const v = evaluate(parsed.get(id)!, context(exprPeriod(byId.get(id)!), "training"));
    trainingDone.set(id, v);
    trainingVisiting.delete(id);
    return v;
  };
  for (const q of queries) if (q.Expression !== undefined) evalQuery(q.Id);

  const results: MetricDataResult[] = [];
  for (const q of queries) {
    if (q.ReturnData === false) continue;
    const e = done.get(q.Id)!;
    for (const s of e.series)
      results.push({
        Id: q.Id,
        Label: s.label,
        Timestamps: s.ts,
        Values: s.vs,
        StatusCode: "Complete",
        ...(e.messages?.length ? { Messages: e.messages } : {}),
      });
  }
  return { results, messages };
}

/**
 * An expression result's label: the query's Label (dynamic labels resolved per series) or the id for a single series;
 * for an array, each series keeps its own label unless Label says otherwise. The two bounds of an anomaly band are
 * "<label> Upper" and "<label> Lower" (assumption, not recorded).
 */
function resultLabel(q: QueryInput, s: Series, array: boolean): string {
  const props = s.meta?.props ?? {};
  const role = array ? s.meta?.role : undefined;
  if (role) return `${q.Label !== undefined ? dynamicLabel(q.Label, s, q.Id, props) : q.Id} ${role}`;
  if (q.Label === undefined) return s.label;
  return dynamicLabel(q.Label, s, s.label, props);
}

/**
 * One MetricStat over [start, end) (periods aligned to StartTime rounded as AWS rounds it, or to `origin`): a series
 * (possibly empty) and the MultipleUnits message where it applies.
 */
export async function metricStat(
  deps: Deps,
  m: MetricStatInput,
  start: number,
  end: number,
  origin = roundStart(start, m.Period, deps.now),
): Promise<Evaluated> {
  const series: Series = { label: m.Metric.MetricName ?? "", ts: [], vs: [] };
  const { key } = canonicalDims(m.Metric.Dimensions);
  const id = await deps.store.seriesId(deps.account, deps.region, m.Metric.Namespace!, m.Metric.MetricName!, key);
  if (id === undefined) return { series: [series] };
  const spec = parseStat(m.Stat)!;
  const read = await readStat(deps.store, id, { period: m.Period, stat: spec, unit: m.Unit }, origin, end, deps.now);
  series.ts = read.ts;
  series.vs = read.vs;
  const messages =
    m.Unit === undefined && read.units.size > 1
      ? [{ Code: "MultipleUnits", Value: `Multiple units returned: '[${[...read.units].sort().join(", ")}]'` }]
      : undefined;
  return { series: [series], messages };
}

/** ${LABEL}, ${AVG} ${MIN} ${MAX} ${SUM} ${FIRST} ${LAST}, ${PROP('...')} in a label (dynamic labels). */
function dynamicLabel(template: string, s: Series, base: string, props: Record<string, string>): string {
  return template.replace(/\$\{([A-Z_]+)(?:\('([^']*)'\))?\}/g, (whole, name: string, arg?: string) => {
    const vs = s.vs;
    const fmt = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? "" : String(x));
    switch (name) {
      case "LABEL":
        return base;
      case "AVG":
        return fmt(vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : undefined);
      case "SUM":
        return fmt(vs.length ? vs.reduce((a, b) => a + b, 0) : undefined);
      case "MIN":
        return fmt(vs.length ? Math.min(...vs) : undefined);
      case "MAX":
        return fmt(vs.length ? Math.max(...vs) : undefined);
      case "FIRST":
        return fmt(vs[0]);
      case "LAST":
        return fmt(vs[vs.length - 1]);
      case "PROP":
        return arg !== undefined && arg in props ? props[arg] : "";
      default:
        return whole;
    }
  });
}
