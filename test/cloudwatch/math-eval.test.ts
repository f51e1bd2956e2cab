/** The metric math language, table-driven: parsing, precedence, functions and errors, without a server. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { evaluate, MathEvalError, type Series, type Val } from "../../src/services/cloudwatch/metrics/math/eval.js";
import { MathSyntaxError, parse } from "../../src/services/cloudwatch/metrics/math/parse.js";

const T = (i: number) => i * 60_000;
const grid = [0, 1, 2, 3, 4].map(T);
const m1: Series = { label: "m1", ts: [T(0), T(1), T(2), T(4)], vs: [1, 2, 4, 10] };
const m2: Series = { label: "m2", ts: [T(0), T(1), T(2), T(3)], vs: [10, 20, 30, 40] };

function run(expr: string): Val {
  return evaluate(parse(expr), {
    grid,
    period: 60,
    lookup: (id) => {
      if (id === "m1") return { k: "series", s: m1 };
      if (id === "m2") return { k: "series", s: m2 };
      throw new Error(`unknown ${id}`);
    },
    metrics: (f) => [m1, m2].filter((s) => f === undefined || s.label.includes(f)),
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
  assert.deepEqual(series(run("MINUTE(m2)")), [
    [0, 1, 2, 3],
    [0, 1, 2, 3],
  ]);
  assert.deepEqual(series(run("DAY(m2)")), [
    [0, 1, 2, 3],
    [4, 4, 4, 4],
  ]); // 1970-01-01 was a Thursday
  assert.equal(scalar(run("PERIOD(m1)")), 60);
  const sliced = run("SLICE(METRICS(), 1, 2)");
  assert.equal(sliced.k === "array" && sliced.items.map((s) => s.label).join(), "m2");
  const nonEmpty = run("REMOVE_EMPTY([m1, IF(m1 > 100, m1)])");
  assert.equal(nonEmpty.k === "array" && nonEmpty.items.length, 1);
});

test("errors", () => {
  for (const bad of ["1 +", "m1 $ 2", "(m1", "M1 + 1", "'open"]) assert.throws(() => parse(bad), MathSyntaxError, bad);
  for (const bad of [
    "NOPE(m1)",
    "ABS(m1, m2)",
    "SORT(METRICS(), LINEAR, ASC)",
    "INSIGHT_RULE_METRIC('r', 'Sum')",
    "SEARCH('x', 'Sum', 60)",
  ])
    assert.throws(() => run(bad), MathEvalError, bad);
});
