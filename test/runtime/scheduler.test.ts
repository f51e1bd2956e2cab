import assert from "node:assert/strict";
import { test } from "node:test";
import { ManualClock, SystemClock } from "../../src/runtime/clock.js";
import { Scheduler } from "../../src/runtime/scheduler.js";

test("advance runs due jobs in order of due time, each seeing its own instant as now", async () => {
  const clock = new ManualClock(0);
  const s = new Scheduler(clock);
  const seen: [string, number, number][] = [];
  s.register({ name: "fast", intervalMs: 10, run: (t) => void seen.push(["fast", t, clock.now()]) });
  s.register({ name: "slow", intervalMs: 25, run: (t) => void seen.push(["slow", t, clock.now()]) });
  await s.advance(30);
  assert.deepEqual(seen, [
    ["fast", 10, 10],
    ["fast", 20, 20],
    ["slow", 25, 25],
    ["fast", 30, 30],
  ]);
  assert.equal(clock.now(), 30);
});

test("a failing job is reported and keeps its schedule", async () => {
  const clock = new ManualClock(0);
  const errors: string[] = [];
  const s = new Scheduler(clock, (job) => errors.push(job));
  let runs = 0;
  s.register({
    name: "flaky",
    intervalMs: 5,
    run: () => {
      runs++;
      throw new Error("boom");
    },
  });
  await s.advance(20);
  assert.equal(runs, 4);
  assert.deepEqual(errors, ["flaky", "flaky", "flaky", "flaky"]);
});

test("concurrent advances are serialized", async () => {
  const clock = new ManualClock(0);
  const s = new Scheduler(clock);
  const seen: number[] = [];
  s.register({
    name: "slowjob",
    intervalMs: 10,
    run: async (t) => {
      await new Promise((r) => setImmediate(r));
      seen.push(t);
    },
  });
  await Promise.all([s.advance(20), s.advance(20)]);
  assert.deepEqual(seen, [10, 20, 30, 40]);
  assert.equal(clock.now(), 40);
});

test("the system clock cannot be advanced, and runs jobs on timers", async () => {
  const s = new Scheduler(new SystemClock());
  await assert.rejects(s.advance(1), /not manual/);
  let ran = 0;
  s.register({ name: "tick", intervalMs: 5, run: () => void ran++ });
  s.start();
  await new Promise((r) => setTimeout(r, 60));
  await s.stop();
  assert.ok(ran >= 2, `ran ${ran} times`);
});

test("the manual clock never moves backwards", () => {
  const c = new ManualClock(100);
  assert.throws(() => c.set(99), /backwards/);
});

test("setDue moves a job's next run, and Infinity parks it until moved again", async () => {
  const clock = new ManualClock(0);
  const s = new Scheduler(clock);
  const seen: number[] = [];
  s.register({ name: "parked", intervalMs: 10, run: (t) => void seen.push(t) });
  s.setDue("parked", Infinity);
  await s.advance(1_000_000);
  assert.deepEqual(seen, []);
  s.setDue("parked", clock.now() + 5);
  await s.advance(20);
  assert.deepEqual(seen, [1_000_005, 1_000_015]);
  assert.throws(() => s.setDue("nope", 0), /no job named nope/);
});
