/**
 * One evaluation tick over every metric alarm: alarms on the same metric, period and statistic share one query to
 * the metrics engine, and the queries of a tick go to it in one batch (statSeriesMany), so evaluating 10,000 alarms
 * costs one scan of the alarms table, one bulk read of the metrics, and one transaction for the alarms whose state
 * or reason changed.
 * AWS evaluates alarms every minute, and alarms with a 10, 20 or 30 second period every 10 seconds.
 */
import type { MetricsEngine, MetricStatQuery, StatSeries } from "../engine-api.js";
import type { AlarmsEngine, StateChange } from "./engine.js";
import { evaluate, evaluationRange, type Datapoint, type EvalInput } from "./evaluate.js";
import type { AlarmRow, MetricAlarmConfig } from "./model.js";
import { alarmPeriod, metricConfig } from "./model.js";

/** What a tick needs of an alarm's configuration, worked out once per configuration. */
interface Parsed {
  text: string;
  config: MetricAlarmConfig;
  period: number;
  /** The evaluation input but for the instant and the current state. */
  input: Omit<EvalInput, "now" | "current">;
  /**
   * A single-metric alarm's query, and the key of the alarms sharing it (account, region, metric, period, statistic,
   * unit).
   */
  metric?: { q: MetricStatQuery; key: string };
}

/** Parsed configurations by alarm, reused while the alarm's configuration is unchanged. */
const parsed = new WeakMap<AlarmsEngine, Map<string, Parsed>>();

function parsedOf(engine: AlarmsEngine, row: AlarmRow): Parsed {
  let cache = parsed.get(engine);
  if (!cache) parsed.set(engine, (cache = new Map()));
  const key = `${row.account}\u0000${row.region}\u0000${row.name}`;
  const hit = cache.get(key);
  // Compared by text: a wipe (POST /_vigil/reset) can bring back a name with another configuration at the same instant.
  if (hit && hit.text === row.config) return hit;
  const p = parse(row);
  cache.set(key, p);
  return p;
}

function parse(row: AlarmRow): Parsed {
  const c = metricConfig(row);
  const period = alarmPeriod(c);
  const pct = c.ExtendedStatistic ? /^p(\d+(\.\d+)?)$/.exec(c.ExtendedStatistic) : null;
  const input = {
    period,
    evaluationPeriods: c.EvaluationPeriods,
    datapointsToAlarm: c.DatapointsToAlarm ?? c.EvaluationPeriods,
    comparison: c.ComparisonOperator,
    threshold: c.Threshold,
    treatMissingData: c.TreatMissingData ?? "missing",
    percentile: pct ? Number(pct[1]) : undefined,
    evaluateLowSampleCount: c.EvaluateLowSampleCountPercentile === "evaluate",
    statistic: c.Metrics ? undefined : (c.Statistic ?? c.ExtendedStatistic),
    unit: c.Unit,
  };
  if (c.Metrics) return { text: row.config, config: c, period, input };
  const q: MetricStatQuery = {
    namespace: c.Namespace!,
    metricName: c.MetricName!,
    dimensions: c.Dimensions,
    period,
    stat: c.Statistic ?? c.ExtendedStatistic!,
    ...(c.Unit ? { unit: c.Unit } : {}),
  };
  // The dimension set as the metric's identity: order does not matter, and JSON keeps names and values apart.
  const dims = JSON.stringify(
    c.Dimensions.map((d) => [d.Name, d.Value]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const key = JSON.stringify([row.account, row.region, q.namespace, q.metricName, dims, period, q.stat, q.unit ?? ""]);
  return { text: row.config, config: c, period, input, metric: { q, key } };
}

export interface TickSummary {
  /** Metric alarms that exist. */
  alarms: number;
  evaluated: number;
  queries: number;
  changed: number;
}

/** The evaluation input of an alarm at `now` (built when evaluated: nothing to keep through the tick). */
function inputAt(p: Parsed, row: AlarmRow, now: number): EvalInput {
  const i = p.input;
  return {
    now,
    period: i.period,
    evaluationPeriods: i.evaluationPeriods,
    datapointsToAlarm: i.datapointsToAlarm,
    comparison: i.comparison,
    threshold: i.threshold,
    treatMissingData: i.treatMissingData,
    percentile: i.percentile,
    evaluateLowSampleCount: i.evaluateLowSampleCount,
    statistic: i.statistic,
    unit: i.unit,
    current: row.stateValue,
  };
}

function change(row: AlarmRow, p: Parsed, now: number, points: Datapoint[]): StateChange | undefined {
  const r = evaluate(inputAt(p, row, now), points);
  if (!r) return undefined;
  // An unchanged state with an unchanged reason writes nothing (the common case, every minute).
  if (r.state === row.stateValue && r.reason === row.stateReason) return undefined;
  return { row, state: r.state, reason: r.reason, reasonData: r.reasonData, config: p.config };
}

/** Alarms on one metric, period, statistic and unit: one query for all of them. */
interface Group {
  q: MetricStatQuery;
  account: string;
  region: string;
  /** The query's range: the widest of its alarms' evaluation ranges. */
  start: number;
  end: number;
  alarms: { row: AlarmRow; p: Parsed }[];
}

/** The alarms due at `now`, grouped by query; metric-math alarms apart (one query each). */
function plan(engine: AlarmsEngine, rows: AlarmRow[], now: number) {
  const minute = now % 60_000 === 0;
  const groups = new Map<string, Group>();
  const math: { row: AlarmRow; p: Parsed }[] = [];
  let evaluated = 0;
  for (const row of rows) {
    const p = parsedOf(engine, row);
    if (!minute && p.period >= 60) continue;
    evaluated++;
    if (!p.metric) {
      math.push({ row, p });
      continue;
    }
    const [start, end] = evaluationRange(now, p.period, p.input.evaluationPeriods);
    let g = groups.get(p.metric.key);
    if (!g)
      groups.set(
        p.metric.key,
        (g = { q: p.metric.q, account: row.account, region: row.region, start, end, alarms: [] }),
      );
    g.start = Math.min(g.start, start);
    g.alarms.push({ row, p });
  }

  // Forget deleted alarms' configurations once they are a good share of the cache.
  const cache = parsed.get(engine);
  if (cache && cache.size > rows.length + 1000) {
    const live = new Set(rows.map((r) => `${r.account}\u0000${r.region}\u0000${r.name}`));
    for (const k of cache.keys()) if (!live.has(k)) cache.delete(k);
  }
  return { groups: [...groups.values()], math, evaluated };
}

/** The changes of the groups' alarms, given each group's series (undefined: the query failed, nothing changes). */
function changesOf(groups: Group[], series: (StatSeries | undefined)[], now: number): StateChange[] {
  const changes: StateChange[] = [];
  groups.forEach((g, i) => {
    const s = series[i];
    if (!s) return;
    const points: Datapoint[] = s.timestamps.map((t, k) => ({ t, value: s.values[k], sampleCount: s.sampleCounts[k] }));
    for (const a of g.alarms) {
      const ch = change(a.row, a.p, now, points);
      if (ch) changes.push(ch);
    }
  });
  return changes;
}

/** Evaluates the alarms due at `now` (all on whole minutes; only high-resolution ones in between). */
export async function evaluateTick(engine: AlarmsEngine, metrics: MetricsEngine, now: number): Promise<TickSummary> {
  const rows = (await engine.deps.stores.alarms.listAll()).filter((r) => r.type === "MetricAlarm");
  const { groups, math, evaluated } = plan(engine, rows, now);
  const changes = changesOf(groups, await seriesOf(engine, metrics, groups), now);
  for (const m of math) {
    const points = await mathPoints(metrics, m.row, m.p.config, inputAt(m.p, m.row, now));
    if (!points) continue;
    const ch = change(m.row, m.p, now, points);
    if (ch) changes.push(ch);
  }
  if (changes.length) await engine.commit(changes, [], now);
  return { alarms: rows.length, evaluated, queries: groups.length + math.length, changed: changes.length };
}

/**
 * The series of every group, in one bulk read. Should that fail, each group is asked alone, so that one metric the
 * engine cannot answer (a statistic it does not support) leaves only its own alarms as they are (undefined).
 */
async function seriesOf(
  engine: AlarmsEngine,
  metrics: MetricsEngine,
  groups: Group[],
): Promise<(StatSeries | undefined)[]> {
  if (groups.length === 0) return [];
  try {
    return await metrics.statSeriesMany(
      groups.map((g) => ({ account: g.account, region: g.region, query: g.q, startMs: g.start, endMs: g.end })),
    );
  } catch {
    const out: (StatSeries | undefined)[] = [];
    for (const g of groups) {
      try {
        out.push(await metrics.statSeries(g.account, g.region, g.q, g.start, g.end));
      } catch (err) {
        engine.deps.log?.warn({ err, metric: g.q }, "cloudwatch: alarm query failed");
        out.push(undefined);
      }
    }
    return out;
  }
}

/** The datapoints of a metric-math alarm: its returning query, with band bounds from ThresholdMetricId. */
async function mathPoints(
  metrics: MetricsEngine,
  row: AlarmRow,
  c: MetricAlarmConfig,
  input: EvalInput,
): Promise<Datapoint[] | undefined> {
  const [start, end] = evaluationRange(input.now, input.period, input.evaluationPeriods);
  const queries = c.Metrics!.map((q) => (q.Id === c.ThresholdMetricId ? { ...q, ReturnData: true } : q));
  let results;
  try {
    results = await metrics.metricData(
      row.account,
      row.region,
      queries as unknown as Record<string, unknown>[],
      start,
      end,
    );
  } catch {
    return undefined; // An expression the math engine refuses leaves the alarm as it is.
  }
  const main = results.find((r) => r.Id !== c.ThresholdMetricId);
  if (!main) return undefined;
  const bands = results.filter((r) => r.Id === c.ThresholdMetricId);
  const lower = new Map<number, number>();
  const upper = new Map<number, number>();
  for (const b of bands)
    b.Timestamps.forEach((t, i) => {
      const v = b.Values[i];
      lower.set(t, Math.min(lower.get(t) ?? Infinity, v));
      upper.set(t, Math.max(upper.get(t) ?? -Infinity, v));
    });
  return main.Timestamps.map((t, i) => ({
    t,
    value: main.Values[i],
    ...(c.ThresholdMetricId && lower.has(t) ? { lower: lower.get(t), upper: upper.get(t) } : {}),
  }));
}
