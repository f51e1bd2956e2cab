/**
 * One evaluation tick over every metric alarm: alarms on the same metric, period and statistic share one query to
 * the metrics engine, so evaluating 10,000 alarms costs one scan of the alarms table, one statSeries call per
 * distinct metric, and one transaction for the alarms whose state or reason changed.
 * AWS evaluates alarms every minute, and alarms with a 10, 20 or 30 second period every 10 seconds.
 */
import type { MetricsEngine, MetricStatQuery } from "../engine-api.js";
import type { AlarmsEngine, StateChange } from "./engine.js";
import { evaluate, evaluationRange, type Datapoint, type EvalInput } from "./evaluate.js";
import type { AlarmRow, MetricAlarmConfig } from "./model.js";
import { alarmPeriod, metricConfig } from "./model.js";

/** Parsed configurations by alarm, reused while the alarm's configuration is unchanged. */
const parsed = new WeakMap<AlarmsEngine, Map<string, { text: string; config: MetricAlarmConfig }>>();

function configOf(engine: AlarmsEngine, row: AlarmRow): MetricAlarmConfig {
  let cache = parsed.get(engine);
  if (!cache) parsed.set(engine, (cache = new Map()));
  const key = `${row.account}\u0000${row.region}\u0000${row.name}`;
  const hit = cache.get(key);
  // Compared by text: a wipe (POST /_vigil/reset) can bring back a name with another configuration at the same instant.
  if (hit && hit.text === row.config) return hit.config;
  const config = metricConfig(row);
  cache.set(key, { text: row.config, config });
  return config;
}

export interface TickSummary {
  /** Metric alarms that exist. */
  alarms: number;
  evaluated: number;
  queries: number;
  changed: number;
}

function inputFor(row: AlarmRow, c: MetricAlarmConfig, now: number): EvalInput {
  const pct = c.ExtendedStatistic ? /^p(\d+(\.\d+)?)$/.exec(c.ExtendedStatistic) : null;
  return {
    now,
    period: alarmPeriod(c),
    evaluationPeriods: c.EvaluationPeriods,
    datapointsToAlarm: c.DatapointsToAlarm ?? c.EvaluationPeriods,
    comparison: c.ComparisonOperator,
    threshold: c.Threshold,
    treatMissingData: c.TreatMissingData ?? "missing",
    percentile: pct ? Number(pct[1]) : undefined,
    evaluateLowSampleCount: c.EvaluateLowSampleCountPercentile === "evaluate",
    statistic: c.Metrics ? undefined : (c.Statistic ?? c.ExtendedStatistic),
    unit: c.Unit,
    current: row.stateValue,
  };
}

function change(row: AlarmRow, input: EvalInput, points: Datapoint[]): StateChange | undefined {
  const r = evaluate(input, points);
  if (!r) return undefined;
  // An unchanged state with an unchanged reason writes nothing (the common case, every minute).
  if (r.state === row.stateValue && r.reason === row.stateReason) return undefined;
  return { row, state: r.state, reason: r.reason, reasonData: r.reasonData };
}

/** Evaluates the alarms due at `now` (all on whole minutes; only high-resolution ones in between). */
export async function evaluateTick(engine: AlarmsEngine, metrics: MetricsEngine, now: number): Promise<TickSummary> {
  const rows = (await engine.deps.stores.alarms.listAll()).filter((r) => r.type === "MetricAlarm");
  const minute = now % 60_000 === 0;
  const groups = new Map<
    string,
    {
      q: MetricStatQuery;
      account: string;
      region: string;
      start: number;
      end: number;
      alarms: { row: AlarmRow; input: EvalInput }[];
    }
  >();
  const math: { row: AlarmRow; c: MetricAlarmConfig; input: EvalInput }[] = [];
  let evaluated = 0;
  for (const row of rows) {
    const c = configOf(engine, row);
    const period = alarmPeriod(c);
    if (!minute && period >= 60) continue;
    evaluated++;
    const input = inputFor(row, c, now);
    if (c.Metrics) {
      math.push({ row, c, input });
      continue;
    }
    const q: MetricStatQuery = {
      namespace: c.Namespace!,
      metricName: c.MetricName!,
      dimensions: c.Dimensions,
      period,
      stat: c.Statistic ?? c.ExtendedStatistic!,
      ...(c.Unit ? { unit: c.Unit } : {}),
    };
    const dims = c.Dimensions.map((d) => `${d.Name}=${d.Value}`)
      .sort()
      .join(",");
    const key = [row.account, row.region, q.namespace, q.metricName, dims, period, q.stat, q.unit ?? ""].join("\u0000");
    const [start, end] = evaluationRange(now, period, c.EvaluationPeriods);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { q, account: row.account, region: row.region, start, end, alarms: [] }));
    g.start = Math.min(g.start, start);
    g.alarms.push({ row, input });
  }

  // Forget deleted alarms' configurations once they are a good share of the cache.
  const cache = parsed.get(engine);
  if (cache && cache.size > rows.length + 1000) {
    const live = new Set(rows.map((r) => `${r.account}\u0000${r.region}\u0000${r.name}`));
    for (const k of cache.keys()) if (!live.has(k)) cache.delete(k);
  }

  const changes: StateChange[] = [];
  let queries = 0;
  for (const g of groups.values()) {
    queries++;
    let s;
    try {
      s = await metrics.statSeries(g.account, g.region, g.q, g.start, g.end);
    } catch (err) {
      // One metric the engine cannot answer (a statistic it does not support) leaves its alarms as they are.
      engine.deps.log?.warn({ err, metric: g.q }, "cloudwatch: alarm query failed");
      continue;
    }
    const points: Datapoint[] = s.timestamps.map((t, i) => ({ t, value: s.values[i], sampleCount: s.sampleCounts[i] }));
    for (const a of g.alarms) {
      const ch = change(a.row, a.input, points);
      if (ch) changes.push(ch);
    }
  }
  for (const m of math) {
    queries++;
    const points = await mathPoints(metrics, m.row, m.c, m.input);
    if (!points) continue;
    const ch = change(m.row, m.input, points);
    if (ch) changes.push(ch);
  }
  if (changes.length) await engine.commit(changes, [], now);
  return { alarms: rows.length, evaluated, queries, changed: changes.length };
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
