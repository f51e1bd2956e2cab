/**
 * Retry policies: when a failed delivery is tried again, and when the engine gives up on it. Two families:
 * - EventBridge targets (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RetryPolicy.html,
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html): up to MaximumRetryAttempts retries
 *   (0-185, default 185) within MaximumEventAgeInSeconds (60-86400, default 86400), "with an exponential back off and
 *   jitter"; here full jitter (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 * - SNS delivery policies (https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html): numRetries
 *   retries in four phases (immediate, pre-backoff at minDelayTarget, backoff from minDelayTarget to maxDelayTarget
 *   along backoffFunction, post-backoff at maxDelayTarget), jittered.
 * A policy is plain JSON: the outbox stores it with each delivery, so a retry follows the policy the delivery was
 * enqueued with even if its target's policy changed since.
 */

export type BackoffFunction = "linear" | "arithmetic" | "geometric" | "exponential";
export const BACKOFF_FUNCTIONS: readonly BackoffFunction[] = ["linear", "arithmetic", "geometric", "exponential"];

/** Retry n (1-based) waits a uniformly random time in [0, min(capMs, baseMs * 2^(n-1))). */
export interface ExponentialBackoff {
  kind: "exponential";
  baseMs: number;
  capMs: number;
}

/** SNS's phases, in seconds as SNS spells them; the backoff phase holds the retries the other three leave. */
export interface SnsBackoff {
  kind: "sns";
  minDelayTarget: number;
  maxDelayTarget: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  numMaxDelayRetries: number;
  backoffFunction: BackoffFunction;
}

export type Backoff = ExponentialBackoff | SnsBackoff;

export interface RetryPolicy {
  /** Retries after the first attempt (so at most 1 + maximumRetryAttempts attempts). */
  maximumRetryAttempts: number;
  /** No attempt starts later than this many seconds after the delivery was enqueued; absent: no age limit. */
  maximumEventAgeSeconds?: number;
  backoff: Backoff;
}

/** Why the engine gave up on a delivery (EventBridge's EXHAUSTED_RETRY_CONDITION, plus a permanent failure). */
export type GiveUpCondition = "MaximumRetryAttempts" | "MaximumEventAgeInSeconds" | "PermanentFailure";

// EventBridge ---------------------------------------------------------------------------------------------------------

export const EVENTBRIDGE_DEFAULT_RETRY_ATTEMPTS = 185;
export const EVENTBRIDGE_DEFAULT_EVENT_AGE_SECONDS = 86_400;
/**
 * AWS does not publish its base or cap. With full jitter a retry waits half its ceiling on average, so a 900 s cap
 * spreads the default 185 retries over about 22 hours: the "24 hours and up to 185 times" AWS describes.
 */
export const EVENTBRIDGE_BACKOFF: ExponentialBackoff = { kind: "exponential", baseMs: 1000, capMs: 900_000 };

/** The RetryPolicy of an EventBridge target (PutTargets), defaults filled in; throws RangeError outside AWS's ranges. */
export function eventBridgeRetryPolicy(
  input: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number } = {},
): RetryPolicy {
  const attempts = input.MaximumRetryAttempts ?? EVENTBRIDGE_DEFAULT_RETRY_ATTEMPTS;
  const age = input.MaximumEventAgeInSeconds ?? EVENTBRIDGE_DEFAULT_EVENT_AGE_SECONDS;
  checkInt("MaximumRetryAttempts", attempts, 0, 185);
  checkInt("MaximumEventAgeInSeconds", age, 60, 86_400);
  return { maximumRetryAttempts: attempts, maximumEventAgeSeconds: age, backoff: EVENTBRIDGE_BACKOFF };
}

// SNS -----------------------------------------------------------------------------------------------------------------

/** The healthyRetryPolicy of an SNS HTTP/S DeliveryPolicy (subscription or topic default), as SNS spells it. */
export interface SnsHealthyRetryPolicy {
  minDelayTarget?: number;
  maxDelayTarget?: number;
  numRetries?: number;
  numNoDelayRetries?: number;
  numMinDelayRetries?: number;
  numMaxDelayRetries?: number;
  backoffFunction?: BackoffFunction;
}

/** SNS's HTTP/S default: "up to three retries with a delay between failed attempts set at 20 seconds". */
export const SNS_HTTP_DEFAULT: Required<SnsHealthyRetryPolicy> = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  numMaxDelayRetries: 0,
  backoffFunction: "linear",
};

/** HTTP/S: "The total policy retry time for an HTTP/S endpoint cannot be greater than 3,600 seconds." */
export const SNS_HTTP_MAX_POLICY_SECONDS = 3600;
export const SNS_HTTP_MAX_RETRIES = 100;

/** SNS's fixed policy for AWS managed endpoints (SQS, Lambda, Firehose): 3 immediate, 2 at 1 s, 10 from 1 s to 20 s, 100,000 at 20 s. */
export const SNS_AWS_MANAGED_POLICY: RetryPolicy = snsPolicy({
  minDelayTarget: 1,
  maxDelayTarget: 20,
  numRetries: 100_015,
  numNoDelayRetries: 3,
  numMinDelayRetries: 2,
  numMaxDelayRetries: 100_000,
  backoffFunction: "exponential",
});

/** SNS's fixed policy for customer managed endpoints (SMTP, SMS, mobile push): 2 at 10 s, 10 from 10 s to 600 s, 38 at 600 s. */
export const SNS_CUSTOMER_MANAGED_POLICY: RetryPolicy = snsPolicy({
  minDelayTarget: 10,
  maxDelayTarget: 600,
  numRetries: 50,
  numNoDelayRetries: 0,
  numMinDelayRetries: 2,
  numMaxDelayRetries: 38,
  backoffFunction: "exponential",
});

/**
 * What is wrong with an HTTP/S healthyRetryPolicy (defaults filled in), in plain words; empty when it is valid. The SNS
 * service turns these into its InvalidParameter errors.
 */
export function snsHttpPolicyProblems(input: SnsHealthyRetryPolicy): string[] {
  const p = { ...SNS_HTTP_DEFAULT, ...input };
  const problems: string[] = [];
  for (const k of ["numRetries", "numNoDelayRetries", "numMinDelayRetries", "numMaxDelayRetries"] as const) {
    if (!Number.isInteger(p[k]) || p[k] < 0) problems.push(`${k} must be a non-negative integer`);
  }
  if (!Number.isInteger(p.minDelayTarget) || p.minDelayTarget < 1)
    problems.push("minDelayTarget must be an integer of at least 1");
  if (!Number.isInteger(p.maxDelayTarget) || p.maxDelayTarget < p.minDelayTarget)
    problems.push("maxDelayTarget must be an integer of at least minDelayTarget");
  if (p.maxDelayTarget > SNS_HTTP_MAX_POLICY_SECONDS)
    problems.push(`maxDelayTarget must be at most ${SNS_HTTP_MAX_POLICY_SECONDS}`);
  if (p.numRetries > SNS_HTTP_MAX_RETRIES) problems.push(`numRetries must be at most ${SNS_HTTP_MAX_RETRIES}`);
  if (p.numNoDelayRetries + p.numMinDelayRetries + p.numMaxDelayRetries > p.numRetries)
    problems.push("numRetries must be at least numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries");
  if (!BACKOFF_FUNCTIONS.includes(p.backoffFunction))
    problems.push(`backoffFunction must be one of ${BACKOFF_FUNCTIONS.join(", ")}`);
  if (problems.length === 0) {
    const total = snsPolicySeconds(snsPolicy(p));
    if (total > SNS_HTTP_MAX_POLICY_SECONDS)
      problems.push(`the total retry time (${total} s) must be at most ${SNS_HTTP_MAX_POLICY_SECONDS} s`);
  }
  return problems;
}

/** The RetryPolicy of an SNS HTTP/S subscription; throws RangeError with the problems of an invalid one. */
export function snsHttpRetryPolicy(input: SnsHealthyRetryPolicy = {}): RetryPolicy {
  const problems = snsHttpPolicyProblems(input);
  if (problems.length) throw new RangeError(problems.join("; "));
  return snsPolicy({ ...SNS_HTTP_DEFAULT, ...input });
}

function snsPolicy(p: Required<SnsHealthyRetryPolicy>): RetryPolicy {
  return {
    maximumRetryAttempts: p.numRetries,
    backoff: {
      kind: "sns",
      minDelayTarget: p.minDelayTarget,
      maxDelayTarget: p.maxDelayTarget,
      numNoDelayRetries: p.numNoDelayRetries,
      numMinDelayRetries: p.numMinDelayRetries,
      numMaxDelayRetries: p.numMaxDelayRetries,
      backoffFunction: p.backoffFunction,
    },
  };
}

/** The sum of an SNS policy's target delays, in seconds (what the 3,600-second limit bounds). */
export function snsPolicySeconds(policy: RetryPolicy): number {
  let ms = 0;
  for (let n = 1; n <= policy.maximumRetryAttempts; n++) ms += targetDelayMs(policy, n);
  return ms / 1000;
}

/**
 * Where a backoff-phase retry sits between minDelayTarget (0) and maxDelayTarget (1), at position t in [0, 1] along
 * the phase. AWS publishes the four curves only as a graph (sns/latest/dg/images/backoff-graph.png): all rise from the
 * minimum to the maximum; linear evenly, the others slowly first. Here: arithmetic is quadratic, geometric grows by a
 * constant factor per second of range, exponential by a factor of e per retry.
 */
function backoffShape(fn: BackoffFunction, t: number, retries: number, rangeSeconds: number): number {
  switch (fn) {
    case "linear":
      return t;
    case "arithmetic":
      return t * t;
    case "geometric":
      return rangeSeconds > 0 ? ((rangeSeconds + 1) ** t - 1) / rangeSeconds : t;
    case "exponential": {
      const span = retries - 1;
      return span > 0 ? Math.expm1(span * t) / Math.expm1(span) : t;
    }
  }
}

// Schedules -----------------------------------------------------------------------------------------------------------

/** The delay before retry n (1-based), before jitter: the ceiling for exponential backoff, the target for SNS. */
export function targetDelayMs(policy: RetryPolicy, n: number): number {
  const b = policy.backoff;
  if (b.kind === "exponential") return Math.min(b.capMs, b.baseMs * 2 ** Math.min(n - 1, 52));
  if (n <= b.numNoDelayRetries) return 0;
  if (n <= b.numNoDelayRetries + b.numMinDelayRetries) return b.minDelayTarget * 1000;
  const backoffRetries = Math.max(
    0,
    policy.maximumRetryAttempts - b.numNoDelayRetries - b.numMinDelayRetries - b.numMaxDelayRetries,
  );
  const i = n - b.numNoDelayRetries - b.numMinDelayRetries;
  if (i > backoffRetries) return b.maxDelayTarget * 1000;
  // A phase of one retry waits the minimum: the ramp starts there.
  const t = backoffRetries > 1 ? (i - 1) / (backoffRetries - 1) : 0;
  const range = b.maxDelayTarget - b.minDelayTarget;
  return Math.round((b.minDelayTarget + range * backoffShape(b.backoffFunction, t, backoffRetries, range)) * 1000);
}

/** SNS jitter takes up to this share off a target delay, so a policy never waits longer than its targets add up to. */
export const SNS_JITTER = 0.1;

/** The delay before retry n, jittered with `random` (uniform in [0, 1)). */
export function retryDelayMs(policy: RetryPolicy, n: number, random: () => number): number {
  const target = targetDelayMs(policy, n);
  return policy.backoff.kind === "exponential"
    ? Math.floor(random() * target)
    : Math.round(target * (1 - SNS_JITTER * random()));
}

export type RetryDecision = { retryAt: number } | { giveUp: Exclude<GiveUpCondition, "PermanentFailure"> };

/**
 * After `attempts` attempts (1-based count, the last one failed retryably at `now`): when to retry, or why not. A retry
 * that would start after the event's maximum age is not scheduled ("retry attempts continue until either the maximum
 * number of attempts is made or until the duration of the MaximumEventAgeInSeconds is met").
 */
export function decideRetry(
  policy: RetryPolicy,
  attempts: number,
  firstEnqueuedAt: number,
  now: number,
  random: () => number,
): RetryDecision {
  if (attempts > policy.maximumRetryAttempts) return { giveUp: "MaximumRetryAttempts" };
  const at = now + retryDelayMs(policy, attempts, random);
  if (policy.maximumEventAgeSeconds !== undefined && at > firstEnqueuedAt + policy.maximumEventAgeSeconds * 1000)
    return { giveUp: "MaximumEventAgeInSeconds" };
  return { retryAt: at };
}

/** True when the event is older than its policy allows any attempt to start. */
export function isExpired(policy: RetryPolicy, firstEnqueuedAt: number, now: number): boolean {
  return policy.maximumEventAgeSeconds !== undefined && now > firstEnqueuedAt + policy.maximumEventAgeSeconds * 1000;
}

/** Checks a policy's shape (enqueue and reading a stored row); throws TypeError with what is wrong. */
export function checkRetryPolicy(p: unknown): RetryPolicy {
  const fail = (what: string): never => {
    throw new TypeError(`invalid retry policy: ${what}`);
  };
  if (typeof p !== "object" || p === null) return fail("not an object");
  const r = p as Partial<RetryPolicy>;
  if (!isCount(r.maximumRetryAttempts)) fail("maximumRetryAttempts");
  if (r.maximumEventAgeSeconds !== undefined && !(isCount(r.maximumEventAgeSeconds) && r.maximumEventAgeSeconds > 0))
    fail("maximumEventAgeSeconds");
  const b = r.backoff as Partial<Backoff> | undefined;
  if (b?.kind === "exponential") {
    if (!(isCount(b.baseMs) && isCount(b.capMs))) fail("exponential backoff");
  } else if (b?.kind === "sns") {
    const s = b as Partial<SnsBackoff>;
    const counts = [
      s.minDelayTarget,
      s.maxDelayTarget,
      s.numNoDelayRetries,
      s.numMinDelayRetries,
      s.numMaxDelayRetries,
    ];
    if (!counts.every(isCount) || !BACKOFF_FUNCTIONS.includes(s.backoffFunction!)) fail("sns backoff");
  } else fail("backoff kind");
  return r as RetryPolicy;
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

function checkInt(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max)
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${v}`);
}
