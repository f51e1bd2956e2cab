/** Retry policies: the schedules as tables, AWS's ranges and limits, and properties of every policy. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  SNS_AWS_MANAGED_POLICY,
  SNS_CUSTOMER_MANAGED_POLICY,
  checkRetryPolicy,
  decideRetry,
  eventBridgeRetryPolicy,
  isExpired,
  retryDelayMs,
  snsHttpPolicyProblems,
  snsHttpRetryPolicy,
  snsPolicySeconds,
  targetDelayMs,
  type BackoffFunction,
  type RetryPolicy,
} from "../../src/delivery/retry.js";

const schedule = (p: RetryPolicy, n = p.maximumRetryAttempts) =>
  Array.from({ length: n }, (_, i) => targetDelayMs(p, i + 1));

describe("EventBridge retry policy", () => {
  test("defaults: 185 retries within 86,400 seconds", () => {
    const p = eventBridgeRetryPolicy();
    assert.equal(p.maximumRetryAttempts, 185);
    assert.equal(p.maximumEventAgeSeconds, 86_400);
  });

  const ranges: [input: Parameters<typeof eventBridgeRetryPolicy>[0], ok: boolean][] = [
    [{ MaximumRetryAttempts: 0 }, true],
    [{ MaximumRetryAttempts: 185 }, true],
    [{ MaximumRetryAttempts: 186 }, false],
    [{ MaximumRetryAttempts: -1 }, false],
    [{ MaximumRetryAttempts: 1.5 }, false],
    [{ MaximumEventAgeInSeconds: 60 }, true],
    [{ MaximumEventAgeInSeconds: 59 }, false],
    [{ MaximumEventAgeInSeconds: 86_400 }, true],
    [{ MaximumEventAgeInSeconds: 86_401 }, false],
  ];
  for (const [input, ok] of ranges) {
    test(`${JSON.stringify(input)} is ${ok ? "accepted" : "refused"}`, () => {
      if (ok) assert.doesNotThrow(() => eventBridgeRetryPolicy(input));
      else assert.throws(() => eventBridgeRetryPolicy(input), RangeError);
    });
  }

  test("exponential ceilings: 1 s doubling per retry up to 900 s", () => {
    assert.deepEqual(
      schedule(eventBridgeRetryPolicy(), 13),
      [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900].map((s) => s * 1000),
    );
    assert.equal(targetDelayMs(eventBridgeRetryPolicy(), 185), 900_000);
  });

  test("full jitter: a retry waits random() times its ceiling", () => {
    const p = eventBridgeRetryPolicy();
    const table: [n: number, random: number, ms: number][] = [
      [1, 0, 0],
      [1, 0.5, 500],
      [1, 0.999, 999],
      [4, 0.25, 2000],
      [12, 0.5, 450_000],
      [12, 0.9999, 899_910],
    ];
    for (const [n, r, ms] of table)
      assert.equal(
        retryDelayMs(p, n, () => r),
        ms,
        `retry ${n}, random ${r}`,
      );
  });

  test("the default schedule spans about the default 24 hours at average jitter", () => {
    const p = eventBridgeRetryPolicy();
    let total = 0;
    for (let n = 1; n <= 185; n++) total += retryDelayMs(p, n, () => 0.5);
    assert.equal(total, 79_261_500); // 22.0 hours
  });
});

describe("SNS delivery policy", () => {
  test("HTTP/S default: three retries 20 seconds apart", () => {
    assert.deepEqual(schedule(snsHttpRetryPolicy()), [20_000, 20_000, 20_000]);
  });

  test("the four phases in order: immediate, pre-backoff, backoff, post-backoff", () => {
    const p = snsHttpRetryPolicy({
      numRetries: 10,
      numNoDelayRetries: 2,
      numMinDelayRetries: 2,
      numMaxDelayRetries: 2,
      minDelayTarget: 5,
      maxDelayTarget: 45,
      backoffFunction: "linear",
    });
    assert.deepEqual(schedule(p), [0, 0, 5000, 5000, 5000, 18_333, 31_667, 45_000, 45_000, 45_000]);
  });

  // Five backoff retries from 1 s to 21 s: the curve at t = 0, 1/4, 1/2, 3/4, 1.
  const curves: [BackoffFunction, number[]][] = [
    ["linear", [1000, 6000, 11_000, 16_000, 21_000]],
    ["arithmetic", [1000, 2250, 6000, 12_250, 21_000]],
    ["geometric", [1000, 2141, 4583, 9810, 21_000]],
    ["exponential", [1000, 1641, 3384, 8122, 21_000]],
  ];
  for (const [backoffFunction, expected] of curves) {
    test(`${backoffFunction} backoff from minDelayTarget to maxDelayTarget`, () => {
      const p = snsHttpRetryPolicy({ numRetries: 5, minDelayTarget: 1, maxDelayTarget: 21, backoffFunction });
      assert.deepEqual(schedule(p), expected);
    });
  }

  test("a backoff phase of one retry waits the minimum", () => {
    const p = snsHttpRetryPolicy({ numRetries: 2, numMaxDelayRetries: 1, minDelayTarget: 3, maxDelayTarget: 9 });
    assert.deepEqual(schedule(p), [3000, 9000]);
  });

  test("AWS managed endpoints: 3 immediate, 2 at 1 s, 10 from 1 s to 20 s, then 20 s apart; 100,015 retries", () => {
    const p = SNS_AWS_MANAGED_POLICY;
    assert.equal(p.maximumRetryAttempts, 100_015);
    assert.deepEqual(
      schedule(p, 17),
      [0, 0, 0, 1000, 1000, 1000, 1004, 1015, 1045, 1126, 1346, 1944, 3569, 7988, 20_000, 20_000, 20_000],
    );
    assert.equal(targetDelayMs(p, 100_015), 20_000);
  });

  test("customer managed endpoints: 2 at 10 s, 10 from 10 s to 600 s, 38 at 600 s; over 6 hours", () => {
    const p = SNS_CUSTOMER_MANAGED_POLICY;
    assert.equal(p.maximumRetryAttempts, 50);
    assert.deepEqual(
      schedule(p, 13),
      [10_000, 10_000, 10_000, 10_125, 10_465, 11_390, 13_903, 20_735, 39_305, 89_785, 227_003, 600_000, 600_000],
    );
    assert.ok(snsPolicySeconds(p) > 6 * 3600);
  });

  test("jitter takes at most a tenth off the target", () => {
    const p = snsHttpRetryPolicy();
    assert.equal(
      retryDelayMs(p, 1, () => 0),
      20_000,
    );
    assert.equal(
      retryDelayMs(p, 1, () => 0.5),
      19_000,
    );
    assert.equal(
      retryDelayMs(p, 1, () => 0.9999),
      18_000,
    );
  });

  const problems: [input: Parameters<typeof snsHttpPolicyProblems>[0], expected: RegExp | undefined][] = [
    [{}, undefined],
    [{ numRetries: 100, minDelayTarget: 1, maxDelayTarget: 1 }, undefined],
    [{ numRetries: 101, minDelayTarget: 1, maxDelayTarget: 1 }, /numRetries must be at most 100/],
    [{ numRetries: -1 }, /numRetries must be a non-negative integer/],
    [{ minDelayTarget: 0, maxDelayTarget: 5 }, /minDelayTarget must be an integer of at least 1/],
    [{ minDelayTarget: 30, maxDelayTarget: 20 }, /maxDelayTarget must be an integer of at least minDelayTarget/],
    [{ minDelayTarget: 1, maxDelayTarget: 3601, numRetries: 1 }, /maxDelayTarget must be at most 3600/],
    [{ numRetries: 3, numNoDelayRetries: 2, numMaxDelayRetries: 2 }, /numRetries must be at least/],
    [{ backoffFunction: "cubic" as BackoffFunction }, /backoffFunction must be one of/],
    [{ numRetries: 100, minDelayTarget: 60, maxDelayTarget: 60 }, /total retry time \(6000 s\) must be at most 3600 s/],
    [{ numRetries: 60, minDelayTarget: 60, maxDelayTarget: 60 }, undefined],
  ];
  for (const [input, expected] of problems) {
    test(`HTTP/S policy ${JSON.stringify(input)} ${expected ? "is refused" : "is valid"}`, () => {
      const found = snsHttpPolicyProblems(input);
      if (!expected) assert.deepEqual(found, []);
      else {
        assert.ok(
          found.some((m) => expected.test(m)),
          found.join("; "),
        );
        assert.throws(() => snsHttpRetryPolicy(input), RangeError);
      }
    });
  }
});

describe("retry decisions", () => {
  const T0 = 1_700_000_000_000;

  test("a policy of 0 retries gives up after the first attempt", () => {
    const p = eventBridgeRetryPolicy({ MaximumRetryAttempts: 0 });
    assert.deepEqual(
      decideRetry(p, 1, T0, T0, () => 0.5),
      { giveUp: "MaximumRetryAttempts" },
    );
  });

  test("no retry is scheduled past the maximum event age", () => {
    const p = eventBridgeRetryPolicy({ MaximumEventAgeInSeconds: 60 });
    assert.deepEqual(
      decideRetry(p, 1, T0, T0 + 59_000, () => 0.5),
      { retryAt: T0 + 59_500 },
    );
    assert.deepEqual(
      decideRetry(p, 1, T0, T0 + 59_600, () => 0.5),
      { giveUp: "MaximumEventAgeInSeconds" },
    );
    assert.deepEqual(
      decideRetry(p, 1, T0, T0 + 59_500, () => 0.5),
      { retryAt: T0 + 60_000 },
    );
    assert.equal(isExpired(p, T0, T0 + 60_000), false);
    assert.equal(isExpired(p, T0, T0 + 60_001), true);
  });

  test("SNS policies have no age limit", () => {
    assert.equal(isExpired(snsHttpRetryPolicy(), T0, T0 + 365 * 86_400_000), false);
  });

  const ebPolicy = fc
    .record({
      MaximumRetryAttempts: fc.integer({ min: 0, max: 185 }),
      MaximumEventAgeInSeconds: fc.integer({ min: 60, max: 86_400 }),
    })
    .map(eventBridgeRetryPolicy);

  test("property: EventBridge retries stay within attempts, age and the jitter ceiling", () => {
    fc.assert(
      fc.property(
        ebPolicy,
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 90_000_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (p, attempts, elapsed, r) => {
          const d = decideRetry(p, attempts, T0, T0 + elapsed, () => r);
          if (attempts > p.maximumRetryAttempts) return assert.deepEqual(d, { giveUp: "MaximumRetryAttempts" });
          if ("giveUp" in d) {
            assert.equal(d.giveUp, "MaximumEventAgeInSeconds");
            assert.ok(T0 + elapsed + targetDelayMs(p, attempts) > T0 + p.maximumEventAgeSeconds! * 1000);
          } else {
            assert.ok(d.retryAt >= T0 + elapsed && d.retryAt <= T0 + elapsed + targetDelayMs(p, attempts));
            assert.ok(d.retryAt <= T0 + p.maximumEventAgeSeconds! * 1000);
          }
        },
      ),
    );
  });

  const snsPolicy = fc
    .record({
      numNoDelayRetries: fc.integer({ min: 0, max: 5 }),
      numMinDelayRetries: fc.integer({ min: 0, max: 5 }),
      numMaxDelayRetries: fc.integer({ min: 0, max: 5 }),
      backoff: fc.integer({ min: 0, max: 20 }),
      minDelayTarget: fc.integer({ min: 1, max: 30 }),
      extra: fc.integer({ min: 0, max: 120 }),
      backoffFunction: fc.constantFrom<BackoffFunction>("linear", "arithmetic", "geometric", "exponential"),
    })
    .map((r): RetryPolicy => ({
      maximumRetryAttempts: r.numNoDelayRetries + r.numMinDelayRetries + r.numMaxDelayRetries + r.backoff,
      backoff: {
        kind: "sns",
        minDelayTarget: r.minDelayTarget,
        maxDelayTarget: r.minDelayTarget + r.extra,
        numNoDelayRetries: r.numNoDelayRetries,
        numMinDelayRetries: r.numMinDelayRetries,
        numMaxDelayRetries: r.numMaxDelayRetries,
        backoffFunction: r.backoffFunction,
      },
    }));

  test("property: SNS schedules rise through their phases and never pass maxDelayTarget", () => {
    fc.assert(
      fc.property(snsPolicy, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (p, r) => {
        const b = p.backoff as Extract<RetryPolicy["backoff"], { kind: "sns" }>;
        const s = schedule(p);
        s.forEach((ms, i) => {
          if (i < b.numNoDelayRetries) assert.equal(ms, 0);
          else assert.ok(ms >= b.minDelayTarget * 1000 && ms <= b.maxDelayTarget * 1000, `retry ${i + 1}: ${ms}`);
          if (i > 0) assert.ok(ms >= s[i - 1]!, `retry ${i + 1} waits less than retry ${i}`);
          const jittered = retryDelayMs(p, i + 1, () => r);
          assert.ok(jittered <= ms && jittered >= ms * 0.9 - 1);
        });
        // The ramp ends at the maximum (a ramp of one retry is only its start).
        const ramp = s.length - b.numNoDelayRetries - b.numMinDelayRetries - b.numMaxDelayRetries;
        if (ramp >= 2 || (ramp >= 0 && b.numMaxDelayRetries > 0)) assert.equal(s.at(-1), b.maxDelayTarget * 1000);
      }),
    );
  });

  test("stored policies are checked when read", () => {
    assert.doesNotThrow(() => checkRetryPolicy(JSON.parse(JSON.stringify(eventBridgeRetryPolicy()))));
    assert.doesNotThrow(() => checkRetryPolicy(JSON.parse(JSON.stringify(SNS_AWS_MANAGED_POLICY))));
    for (const bad of [
      null,
      {},
      { maximumRetryAttempts: -1, backoff: { kind: "exponential", baseMs: 1, capMs: 1 } },
      { maximumRetryAttempts: 1, backoff: { kind: "fibonacci" } },
    ])
      assert.throws(() => checkRetryPolicy(bad), TypeError);
  });
});
