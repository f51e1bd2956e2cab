/**
 * GetMetricData's queries: MetricStat queries read through the tiers, Expression queries run metric math over them in
 * dependency order, labels follow AWS (the metric name, plus the statistic and the period where the request's
 * MetricStat queries differ in them; dynamic labels such as ${LABEL}, ${AVG}, ${PROP('Dim.X')}). Results are in query
 * order with ascending timestamps; queries with ReturnData false are left out.
 */
import { awsError } from "../../../errors/index.js";
import type { MetricsStore } from "../../../storage/metrics-store.js";
import type { MetricDataResult } from "../engine-api.js";
import { canonicalDims, type Dimension } from "./datums.js";
import { evaluate, MathEvalError, type Series, type Val } from "./math/eval.js";
import { callsMetrics, MathSyntaxError, parse, references, type Node } from "./math/parse.js";
import { isValidPeriod, roundStart } from "./periods.js";
import { bucketize, readRows } from "./read.js";
import { parseStat, statValue } from "./stats.js";

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

/** GetMetricData's limit on queries per request (API reference). */
export const MAX_QUERIES = 500;
const ID = /^[a-z][a-zA-Z0-9_]*$/;

const invalid = (message: string) => awsError("ValidationError", message);

export interface Deps {
  store: MetricsStore;
  now: number;
  account: string;
  region: string;
}

/** Checks the queries as GetMetricData does; returns the parsed expressions by id. */
export function checkQueries(queries: QueryInput[]): Map<string, Node> {
  if (queries.length > MAX_QUERIES)
    throw invalid(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  const ids = new Set<string>();
  const parsed = new Map<string, Node>();
  queries.forEach((q, i) => {
    const p = `MetricDataQueries.member.${i + 1}`;
    // Assumption (no recording): AWS's wording of these checks.
    if (!ID.test(q.Id))
      throw invalid(
        `Invalid metric data query id: '${q.Id}'. The id must start with a lowercase letter and contain only letters, numbers and underscores.`,
      );
    if (ids.has(q.Id)) throw invalid(`The values for parameter id in MetricDataQueries are not unique.`);
    ids.add(q.Id);
    if (q.MetricStat && q.Expression !== undefined)
      throw invalid(
        `The parameters ${p}.MetricStat and ${p}.Expression are mutually exclusive and you have specified both.`,
      );
    if (!q.MetricStat && q.Expression === undefined)
      throw invalid(`The parameter ${p}.MetricStat or ${p}.Expression must be specified.`);
    if (q.Period !== undefined && !isValidPeriod(q.Period))
      throw invalid(`The parameter ${p}.Period must be 1, 5, 10, 30, 60, or any multiple of 60.`);
    if (q.MetricStat) {
      const m = q.MetricStat;
      if (!isValidPeriod(m.Period))
        throw invalid(`The parameter ${p}.MetricStat.Period must be 1, 5, 10, 30, 60, or any multiple of 60.`);
      if (!parseStat(m.Stat)) throw invalid(`The value ${m.Stat} for parameter ${p}.MetricStat.Stat is invalid.`);
      if (!m.Metric?.Namespace || !m.Metric?.MetricName)
        throw invalid(`The parameter ${p}.MetricStat.Metric must specify Namespace and MetricName.`);
    } else {
      const expr = q.Expression!;
      if (/^\s*SELECT\b/i.test(expr))
        throw awsError("NotImplemented", "Vigil does not implement Metrics Insights (SELECT) queries yet.", 501);
      try {
        parsed.set(q.Id, parse(expr));
      } catch (e) {
        if (e instanceof MathSyntaxError) throw invalid(`Error in expression '${q.Id}': ${e.message}`);
        throw e;
      }
    }
  });
  for (const [id, node] of parsed)
    for (const ref of references(node))
      if (!ids.has(ref)) throw invalid(`Error in expression '${id}': Unrecognized metric or expression id '${ref}'`);
  return parsed;
}

interface Evaluated {
  /** Series (one for MetricStat and most expressions; several for arrays). */
  series: Series[];
  messages?: { Code: string; Value: string }[];
  /** Label defaults and dynamic-label properties. */
  props?: Record<string, string>;
}

export async function runQueries(
  deps: Deps,
  queries: QueryInput[],
  start: number,
  end: number,
): Promise<MetricDataResult[]> {
  const parsed = checkQueries(queries);
  const byId = new Map(queries.map((q) => [q.Id, q]));
  const stats = queries.filter((q) => q.MetricStat);
  const statsDiffer = new Set(stats.map((q) => q.MetricStat!.Stat)).size > 1;
  const periodsDiffer = new Set(stats.map((q) => q.MetricStat!.Period)).size > 1;
  const defaultPeriod = Math.min(
    ...stats.map((q) => q.MetricStat!.Period),
    ...queries.map((q) => q.Period ?? Infinity),
  );
  const period = Number.isFinite(defaultPeriod) ? defaultPeriod : 60;

  const done = new Map<string, Evaluated>();
  // MetricStat queries first (every expression may reach them through METRICS()).
  await Promise.all(
    stats.map(async (q) => {
      const m = q.MetricStat!;
      const s = await metricStat(deps, m, start, end);
      let label = m.Metric.MetricName!;
      if (statsDiffer) label += ` ${m.Stat}`;
      if (periodsDiffer) label += ` ${m.Period}`;
      s.series[0].label = label;
      s.props = {
        MetricName: m.Metric.MetricName!,
        Namespace: m.Metric.Namespace!,
        Period: String(m.Period),
        Stat: m.Stat,
        ...Object.fromEntries((m.Metric.Dimensions ?? []).map((d) => [`Dim.${d.Name}`, d.Value])),
      };
      if (q.Label !== undefined) s.series[0].label = dynamicLabel(q.Label, s.series[0], label, s.props);
      done.set(q.Id, s);
    }),
  );

  const exprPeriod = (q: QueryInput) => q.Period ?? period;
  const visiting = new Set<string>();
  const evalExpr = (id: string): Evaluated => {
    const ready = done.get(id);
    if (ready) return ready;
    if (visiting.has(id)) throw invalid(`Error in expression '${id}': Circular dependency between expressions.`);
    visiting.add(id);
    const q = byId.get(id)!;
    const node = parsed.get(id)!;
    const p = exprPeriod(q);
    const origin = roundStart(start, p, deps.now);
    const grid: number[] = [];
    for (let t = origin; t < end && grid.length < 100_800; t += p * 1000) grid.push(t);
    let v: Val;
    try {
      v = evaluate(node, {
        grid,
        period: p,
        lookup: (ref) => {
          const e = evalExpr(ref);
          return e.series.length === 1 && !callsMetricsOf(ref)
            ? { k: "series", s: e.series[0] }
            : { k: "array", items: e.series };
        },
        metrics: (filter) =>
          stats.map((s) => done.get(s.Id)!.series[0]).filter((s) => filter === undefined || s.label.includes(filter)),
      });
    } catch (e) {
      if (e instanceof MathEvalError || e instanceof MathSyntaxError)
        throw invalid(`Error in expression '${id}': ${e.message}`);
      throw e;
    }
    let series: Series[];
    if (v.k === "scalar") series = [{ label: id, ts: [...grid], vs: grid.map(() => v.v) }];
    else if (v.k === "series") series = [{ ...v.s, label: id }];
    else if (v.k === "array") series = v.items;
    else throw invalid(`Error in expression '${id}': The expression must return a time series.`);
    if (q.Label !== undefined) series = series.map((s) => ({ ...s, label: dynamicLabel(q.Label!, s, s.label, {}) }));
    const out = { series };
    done.set(id, out);
    visiting.delete(id);
    return out;
  };
  const callsMetricsOf = (id: string) => {
    const n = parsed.get(id);
    return n ? callsMetrics(n) || n.t === "array" : false;
  };
  for (const q of queries) if (q.Expression !== undefined) evalExpr(q.Id);

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
  return results;
}

/** One MetricStat over [start, end): a series (possibly empty) and the MultipleUnits message where it applies. */
export async function metricStat(deps: Deps, m: MetricStatInput, start: number, end: number): Promise<Evaluated> {
  const series: Series = { label: m.Metric.MetricName ?? "", ts: [], vs: [] };
  const { key } = canonicalDims(m.Metric.Dimensions);
  const id = await deps.store.seriesId(deps.account, deps.region, m.Metric.Namespace!, m.Metric.MetricName!, key);
  if (id === undefined) return { series: [series] };
  const origin = roundStart(start, m.Period, deps.now);
  const rows = await readRows(deps.store, id, m.Period, origin, end, deps.now);
  const { byStart, units } = bucketize(rows, m.Period, origin, { unit: m.Unit });
  const spec = parseStat(m.Stat)!;
  for (const t of [...byStart.keys()].sort((a, b) => a - b)) {
    const v = statValue(byStart.get(t)!.get("")!, spec);
    if (v === undefined) continue;
    series.ts.push(t);
    series.vs.push(v);
  }
  const messages =
    m.Unit === undefined && units.size > 1
      ? [{ Code: "MultipleUnits", Value: `Multiple units returned: '[${[...units].sort().join(", ")}]'` }]
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
