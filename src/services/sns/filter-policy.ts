/**
 * SNS subscription filter policies (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html),
 * on the shared event-pattern engine (src/event-patterns/), whose messages are those of event-ruler, the library SNS
 * and EventBridge share (the recordings show SNS answering the same "Reason" texts). SNS's own rules on top:
 * - at most 5 keys (attribute names or, for MessageBody, leaf paths): "Filter policy can not have more than 5 keys";
 * - the total combination of values at most 150: "Filter policy is too complex";
 * - MessageAttributes scope accepts no nested objects;
 * - anything-but takes values or prefix only ("Unsupported anything-but pattern: suffix").
 * For MessageAttributes scope the event is {name: value}: String as a string, Number as a number, String.Array as
 * the parsed array; Binary attributes are not matched (as AWS documents).
 */
import { compilePattern, type CompiledPattern } from "../../event-patterns/index.js";
import { InvalidEventPattern, stripLocation } from "../../event-patterns/errors.js";
import type { SnsMessageAttribute } from "../internal.js";

export type FilterScope = "MessageAttributes" | "MessageBody";

const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;
const OPERATORS = new Set(["prefix", "suffix", "anything-but", "numeric", "exists", "equals-ignore-case", "cidr"]);

/** Throws Error with the reason SNS gives (without "Invalid parameter: ... FilterPolicy: "). */
export class FilterPolicyError extends Error {}

/** Validates a filter policy for `scope`; returns the compiled pattern. */
export function compileFilterPolicy(json: string, scope: FilterScope): CompiledPattern {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    // Jackson's parse error, as the pattern engine words it, with SNS's redacted source.
    try {
      compilePattern(json);
    } catch (e) {
      if (e instanceof InvalidEventPattern) {
        const msg = (e.message.replace(/^Event pattern is not valid\. Reason: /, "") as string).replace(
          /\[Source: \(String\)".*"; line/s,
          "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line",
        );
        throw new FilterPolicyError(`failed to parse JSON. ${msg}`);
      }
    }
    throw new FilterPolicyError("failed to parse JSON.");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new FilterPolicyError("Filter policy must be a JSON object");
  checkAnythingBut(parsed);
  let compiled: CompiledPattern;
  try {
    compiled = compilePattern(json);
  } catch (e) {
    if (e instanceof InvalidEventPattern)
      throw new FilterPolicyError(e.message.replace(/^Event pattern is not valid\. Reason: /, ""));
    throw e;
  }
  if (scope === "MessageAttributes" && hasNested(parsed as Record<string, unknown>)) throw new NestedPolicyError();
  const { keys, combinations } = measure(parsed as Record<string, unknown>);
  if (keys > MAX_KEYS) throw new FilterPolicyError(`Filter policy can not have more than ${MAX_KEYS} keys`);
  if (combinations > MAX_COMBINATIONS) throw new FilterPolicyError("Filter policy is too complex");
  return compiled;
}

/** MessageAttributes scope with a nested object: a message of its own, without the FilterPolicy prefix. */
export class NestedPolicyError extends Error {
  constructor() {
    super("Filter policy scope MessageAttributes does not support nested filter policy");
  }
}

function hasNested(policy: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(policy)) {
    if (k === "$or" && Array.isArray(v)) {
      if (v.some((b) => b && typeof b === "object" && hasNested(b as Record<string, unknown>))) return true;
    } else if (v !== null && typeof v === "object" && !Array.isArray(v)) return true;
  }
  return false;
}

function checkAnythingBut(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(checkAnythingBut);
  if (node === null || typeof node !== "object") return;
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k === "anything-but" && v !== null && typeof v === "object" && !Array.isArray(v)) {
      const op = Object.keys(v)[0];
      if (op !== undefined && op !== "prefix" && OPERATORS.has(op))
        throw new FilterPolicyError(`Unsupported anything-but pattern: ${op}`);
    }
    checkAnythingBut(v);
  }
}

/** Keys: leaf paths of the policy (the largest $or branch); combinations: sum over branches of the product of values. */
function measure(policy: Record<string, unknown>): { keys: number; combinations: number } {
  const branches = expand(policy);
  let keys = 0;
  let combinations = 0;
  for (const b of branches) {
    keys = Math.max(keys, b.length);
    combinations += b.reduce((p, n) => p * n, 1);
  }
  return { keys, combinations };
}

/** Each $or-free branch as the list of its leaves' value counts. */
function expand(node: Record<string, unknown>): number[][] {
  let branches: number[][] = [[]];
  for (const [k, v] of Object.entries(node)) {
    let options: number[][];
    if (k === "$or" && Array.isArray(v)) options = v.flatMap((b) => expand(b as Record<string, unknown>));
    else if (Array.isArray(v)) options = [[v.length]];
    else if (v !== null && typeof v === "object") options = expand(v as Record<string, unknown>);
    else options = [[1]];
    const next: number[][] = [];
    for (const b of branches) for (const o of options) next.push([...b, ...o]);
    branches = next.slice(0, 10_000);
  }
  return branches;
}

/** The event a MessageAttributes-scope policy is matched against. */
export function attributesEvent(attrs: Record<string, SnsMessageAttribute> | undefined): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(attrs ?? {})) {
    if (a.DataType.startsWith("Binary")) continue;
    const v = a.StringValue ?? "";
    if (a.DataType.startsWith("Number")) event[name] = Number(v);
    else if (a.DataType === "String.Array") {
      try {
        event[name] = JSON.parse(v) as unknown;
      } catch {
        event[name] = v;
      }
    } else event[name] = v;
  }
  return event;
}

/** Compiled policies by their text (a publish matches many subscriptions, often with the same policy). */
const cache = new Map<string, CompiledPattern>();

/** Whether a message passes a stored (valid) policy. A policy that no longer compiles passes nothing. */
export function passes(policy: string, scope: FilterScope, attrs: Record<string, unknown>, body: string): boolean {
  const key = scope + "\n" + policy;
  let c = cache.get(key);
  if (!c) {
    try {
      c = compilePattern(policy);
    } catch {
      return false;
    }
    if (cache.size > 1000) cache.clear();
    cache.set(key, c);
  }
  if (scope === "MessageAttributes") return c.matches(attrs);
  try {
    return c.matchesJson(body);
  } catch {
    // A body that is not JSON matches no MessageBody policy.
    return false;
  }
}

export { stripLocation };
