/** The metric math language, table-driven: parsing, precedence, functions and errors, without a server. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  evaluate,
  MathEvalError,
  type EvalContext,
  type Series,
  type Val,
} from "../../src/services/cloudwatch/metrics/math/eval.js";
import { MathSyntaxError, parse } from "../../src/services/cloudwatch/metrics/math/parse.js";

const T = (i: number) => i * 60_000;
const grid = [0, 1, 2, 3, 4].map(T);
const m1: Series = { label: "m1", ts: [T(0), T(1), T(2), T(4)], vs: [1, 2, 4, 10] };
const m2: Series = { label: "m2", ts: [T(0), T(1), T(2), T(3)], vs: [10, 20, 30, 40] };

function run(expr: string, extra: Partial<EvalContext> = {}, series: Record<string, Series> = {}): Val {
  const all: Record<string, Series> = { m1, m2, ...series };
  return evaluate(parse(expr), {
    grid,
    period: 60,
    lookup: (id) => {
      if (all[id]) return { k: "series", s: all[id] };
      throw new Error(`unknown ${id}`);
    },
    metrics: (f) => [m1, m2].filter((s) => f === undefined || s.label.includes(f)),
    ...extra,
  });
}
const series = (v: Val) => {
  assert.equal(v.k, "series");
  return v.k === "series" ? [v.s.ts.map((t) => t / 60_000), v.s.vs] : [];
};
const scalar = (v: Val) => {
  assert.equal(v.k, "scalar");
  return v.k === "scalar" ? v.v : NaN;
};

test("arithmetic and precedence", () => {
  assert.equal(scalar(run("1 + 2 * 3")), 7);
  assert.equal(scalar(run("(1 + 2) * 3")), 9);
  assert.equal(scalar(run("2 ^ 3 ^ 2")), 512);
  assert.equal(scalar(run("-2 ^ 2")), -4);
  assert.equal(scalar(run("10 / 4 - 1")), 1.5);
  assert.equal(scalar(run("1 < 2 AND NOT 3 < 2")), 1);
  assert.equal(scalar(run("1 > 2 OR 2 >= 2")), 1);
});

test("series with scalars and series: common timestamps only, x/0 dropped", () => {
  assert.deepEqual(series(run("m1 * 2")), [
    [0, 1, 2, 4],
    [2, 4, 8, 20],
  ]);
  assert.deepEqual(series(run("m1 + m2")), [
    [0, 1, 2],
    [11, 22, 34],
  ]);
  assert.deepEqual(series(run("m2 / (m1 - 1)")), [
    [1, 2],
    [20, 10],
  ]);
});

test("functions", () => {
  assert.equal(scalar(run("AVG(m1)")), 17 / 4);
  assert.equal(scalar(run("SUM(m2)")), 100);
  assert.equal(scalar(run("MAX(m1)")), 10);
  assert.equal(scalar(run("MIN(m2)")), 10);
  assert.equal(scalar(run("DATAPOINT_COUNT(m1)")), 4);
  assert.ok(Math.abs(scalar(run("STDDEV(m2)")) - Math.sqrt(125)) < 1e-9);
  assert.deepEqual(series(run("SUM(METRICS())")), [
    [0, 1, 2, 3, 4],
    [11, 22, 34, 40, 10],
  ]);
  assert.deepEqual(series(run("DIFF(m1)")), [
    [1, 2, 4],
    [1, 2, 6],
  ]);
  assert.deepEqual(series(run("DIFF_TIME(m1)")), [
    [1, 2, 4],
    [60, 60, 120],
  ]);
  assert.deepEqual(series(run("RATE(m1)")), [
    [1, 2, 4],
    [1 / 60, 2 / 60, 6 / 120],
  ]);
  assert.deepEqual(series(run("RUNNING_SUM(m1)")), [
    [0, 1, 2, 4],
    [1, 3, 7, 17],
  ]);
  assert.deepEqual(series(run("FILL(m1, 0)")), [
    [0, 1, 2, 3, 4],
    [1, 2, 4, 0, 10],
  ]);
  assert.deepEqual(series(run("FILL(m1, REPEAT)")), [
    [0, 1, 2, 3, 4],
    [1, 2, 4, 4, 10],
  ]);
  assert.deepEqual(series(run("FILL(m1, LINEAR)")), [
    [0, 1, 2, 3, 4],
    [1, 2, 4, 7, 10],
  ]);
  assert.deepEqual(series(run("ABS(m1 - 3)")), [
    [0, 1, 2, 4],
    [2, 1, 1, 7],
  ]);
  assert.deepEqual(series(run("CEIL(m1 / 3)")), [
    [0, 1, 2, 4],
    [1, 1, 2, 4],
  ]);
  assert.deepEqual(series(run("FLOOR(LOG10(m2))")), [
    [0, 1, 2, 3],
    [1, 1, 1, 1],
  ]);
  assert.deepEqual(series(run("IF(m1 > 2, m1, 0)")), [
    [0, 1, 2, 4],
    [0, 0, 4, 10],
  ]);
  assert.deepEqual(series(run("IF(m1 > 2, m1)")), [
    [2, 4],
    [4, 10],
  ]);
  assert.deepEqual(series(run("FIRST(SORT(METRICS(), AVG, DESC))")), [
    [0, 1, 2, 3],
    [10, 20, 30, 40],
  ]);
  assert.deepEqual(series(run("LAST(SORT(METRICS(), MAX, DESC))")), [
    [0, 1, 2, 4],
    [1, 2, 4, 10],
  ]);
  assert.deepEqual(series(run("FIRST(METRICS('m2'))")), [
    [0, 1, 2, 3],
    [10, 20, 30, 40],
  ]);
  assert.deepEqual(series(run("TIME_SERIES(7)")), [
    [0, 1, 2, 3, 4],
    [7, 7, 7, 7, 7],
  ]);
  // Time functions answer every period of the range ("a new non-sparse time series"), m2 lacking T(4) or not.
  assert.deepEqual(series(run("MINUTE(m2)")), [
    [0, 1, 2, 3, 4],
    [0, 1, 2, 3, 4],
  ]);
  assert.deepEqual(series(run("DAY(m2)")), [
    [0, 1, 2, 3, 4],
    [4, 4, 4, 4, 4],
  ]); // 1970-01-01 was a Thursday
  assert.deepEqual(series(run("YEAR(m1)"))[1], [1970, 1970, 1970, 1970, 1970]);
  assert.deepEqual(series(run("MONTH(m1) + DATE(m1) + HOUR(m1)"))[1], [2, 2, 2, 2, 2]);
  assert.equal(scalar(run("PERIOD(m1)")), 60);
  const sliced = run("SLICE(METRICS(), 1, 2)");
  assert.equal(sliced.k === "array" && sliced.items.map((s) => s.label).join(), "m2");
  const nonEmpty = run("REMOVE_EMPTY([m1, IF(m1 > 100, m1)])");
  assert.equal(nonEmpty.k === "array" && nonEmpty.items.length, 1);
});

test("comparisons and logical operators count a missing value as 0 (the guide's table)", () => {
  // metric1 = [30, 20, 0, 0] and metric2 = [20, -, 20, -], as in "Comparison and logical operators".
  const metric1: Series = { label: "metric1", ts: [T(0), T(1), T(2), T(3)], vs: [30, 20, 0, 0] };
  const metric2: Series = { label: "metric2", ts: [T(0), T(2)], vs: [20, 20] };
  const got = (e: string) => series(run(e, {}, { metric1, metric2 }))[1];
  assert.deepEqual(got("metric1 < metric2"), [0, 0, 1, 0]);
  assert.deepEqual(got("metric1 >= 30"), [1, 0, 0, 0]);
  assert.deepEqual(got("metric1 > 15 AND metric2 > 15"), [1, 0, 0, 0]);
  // Arithmetic still keeps only the timestamps both series have.
  assert.deepEqual(series(run("metric1 + metric2", {}, { metric1, metric2 })), [
    [0, 2],
    [50, 20],
  ]);
});

test("METRIC_COUNT and CONCAT", () => {
  assert.equal(scalar(run("METRIC_COUNT(METRICS())")), 2);
  assert.equal(scalar(run("METRIC_COUNT(METRICS('m2'))")), 1);
  assert.deepEqual(series(run("m2 / METRIC_COUNT(METRICS())")), [
    [0, 1, 2, 3],
    [5, 10, 15, 20],
  ]);
  const c = run("CONCAT([m2], METRICS('m1'), m2 * 2)");
  assert.equal(c.k, "array");
  assert.deepEqual(c.k === "array" && c.items.map((s) => [s.label, s.vs]), [
    ["m2", [10, 20, 30, 40]],
    ["m1", [1, 2, 4, 10]],
    ["m2", [20, 40, 60, 80]],
  ]);
});

/** [timestamps in minutes, upper, lower] of a band value. */
function bounds(v: Val): [number[], number[], number[]] {
  assert.equal(v.k, "array");
  if (v.k !== "array") return [[], [], []];
  assert.deepEqual(
    v.items.map((s) => s.meta?.role),
    ["Upper", "Lower"],
  );
  return [v.items[0].ts.map((t) => t / 60_000), v.items[0].vs, v.items[1].vs];
}
const close = (got: number[], want: number[]) => {
  assert.equal(got.length, want.length, `${got} vs ${want}`);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) < 1e-9, `${got} vs ${want}`));
};

test("ANOMALY_DETECTION_BAND follows ANOMALY.md: upper first, then lower", () => {
  // m2 = 10, 20, 30, 40 within one hour of the week. By hand:
  //   T0: no history: 10 ± 1% -> [9.9, 10.1]        T1: history [10]: sd 0 -> 10 ± 0.1
  //   T2: [10, 20] (fewer than 3 same-hour points, the whole window): mean 15, sd √50
  //   T3: [10, 20, 30] (3 same-hour points): mean 20, sd 10 -> k = 2: [0, 40]
  const [ts, upper, lower] = bounds(run("ANOMALY_DETECTION_BAND(m2)"));
  assert.deepEqual(ts, [0, 1, 2, 3]);
  const r50 = Math.sqrt(50);
  close(upper, [10.1, 10.1, 15 + 2 * r50, 40]);
  close(lower, [9.9, 9.9, 15 - 2 * r50, 0]);
  const [, u1, l1] = bounds(run("ANOMALY_DETECTION_BAND(m2, 1)"));
  close([u1[3], l1[3]], [30, 10]);
  // FIRST and LAST pick the bounds (the guide: LAST(ANOMALY_DETECTION_BAND(m1)) is the lower bound).
  close(series(run("LAST(ANOMALY_DETECTION_BAND(m2))"))[1], [9.9, 9.9, 15 - 2 * r50, 0]);
  close(series(run("FIRST(ANOMALY_DETECTION_BAND(m2 * 2))"))[1], [20.2, 20.2, 30 + 4 * r50, 80]);
});

test("ANOMALY_DETECTION_BAND trains on the history its context provides, and answers the query's range only", () => {
  // Three points at 100 in the minutes before the range (the previous hour of the week, so the whole two-week window
  // is the sample until an hour has 3 points): T0 is 100 ± 1% (sd 0), then the range's own points join the sample.
  const withHistory: Series = { label: "m2", ts: [T(-3), T(-2), T(-1), ...m2.ts], vs: [100, 100, 100, ...m2.vs] };
  const training = (): EvalContext => ({
    grid: [T(-3), T(-2), T(-1), ...grid],
    period: 60,
    lookup: () => ({ k: "series", s: withHistory }),
    metrics: () => [withHistory],
  });
  const [ts, upper, lower] = bounds(run("ANOMALY_DETECTION_BAND(m2)", { training }));
  assert.deepEqual(ts, [0, 1, 2, 3]);
  close([upper[0], lower[0]], [101, 99]);
  // T1: [100, 100, 100, 10]: mean 77.5, sd 45 -> 77.5 ± 90.
  close([upper[1], lower[1]], [167.5, -12.5]);
});

test("errors", () => {
  for (const bad of ["1 +", "m1 $ 2", "(m1", "M1 + 1", "'open"]) assert.throws(() => parse(bad), MathSyntaxError, bad);
  for (const bad of ["NOPE(m1)", "ABS(m1, m2)", "SORT(METRICS(), LINEAR, ASC)", "DATE_TIME(m1)", "CONCAT()"])
    assert.throws(() => run(bad), MathEvalError, bad);
  const message = (e: string) => {
    try {
      run(e);
    } catch (err) {
      assert.ok(err instanceof MathEvalError, e);
      return err.message;
    }
    assert.fail(`${e} evaluated`);
  };
  assert.equal(
    message("ANOMALY_DETECTION_BAND(METRICS(), 2)"),
    "Unsupported operand type(s) for ANOMALY_DETECTION_BAND: '[Array[TimeSeries], Scalar]'",
  );
  assert.equal(
    message("ANOMALY_DETECTION_BAND(m1, m2)"),
    "Unsupported operand type(s) for ANOMALY_DETECTION_BAND: '[TimeSeries, TimeSeries]'",
  );
  assert.equal(
    message("ANOMALY_DETECTION_BAND(m1, 0)"),
    "The number of standard deviations of ANOMALY_DETECTION_BAND must be positive",
  );
  assert.equal(message("METRIC_COUNT(5)"), "Unsupported operand type(s) for METRIC_COUNT: '[Scalar]'");
  assert.equal(
    message("INSIGHT_RULE_METRIC('rule', 'Sum')"),
    "INSIGHT_RULE_METRIC is not supported: Vigil does not implement Contributor Insights rules.",
  );
  assert.equal(
    message("SERVICE_QUOTA(m1)"),
    "SERVICE_QUOTA is not supported: Vigil does not implement Service Quotas.",
  );
  assert.equal(
    message("LAMBDA('fn', 'arg')"),
    "LAMBDA is not supported: Vigil does not call Lambda functions as metric data sources.",
  );
  assert.equal(
    message("DB_PERF_INSIGHTS('RDS', 'db-ABC', 'db.load.avg')"),
    "DB_PERF_INSIGHTS is not supported: Vigil does not implement RDS Performance Insights.",
  );
});
