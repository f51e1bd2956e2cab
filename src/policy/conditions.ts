/**
 * The Condition element: operators, the `...IfExists` suffix and the `ForAnyValue:` / `ForAllValues:` set
 * qualifiers, compiled at parse time and evaluated against the request context.
 * AWS pages: "IAM JSON policy elements: Condition operators" and "Single-valued vs. multivalued context keys".
 */
import { BlockList, isIP } from "node:net";
import { clip, PolicyError } from "./errors.js";
import { compileGlob, compileTokens, globTokens, STAR, type GlobToken } from "./glob.js";
import { expandGlob, expandText, parseTemplate, type Context } from "./template.js";
import type { ConditionClause, ConditionOperatorName } from "./types.js";

type Kind =
  "string" | "stringIgnoreCase" | "stringLike" | "arn" | "numeric" | "date" | "bool" | "binary" | "ip" | "null";
type Compare = "eq" | "lt" | "le" | "gt" | "ge";

interface OperatorSpec {
  readonly kind: Kind;
  readonly negated: boolean;
  readonly compare?: Compare;
}

const OPERATORS: Record<ConditionOperatorName, OperatorSpec> = {
  StringEquals: { kind: "string", negated: false },
  StringNotEquals: { kind: "string", negated: true },
  StringEqualsIgnoreCase: { kind: "stringIgnoreCase", negated: false },
  StringNotEqualsIgnoreCase: { kind: "stringIgnoreCase", negated: true },
  StringLike: { kind: "stringLike", negated: false },
  StringNotLike: { kind: "stringLike", negated: true },
  // "ArnEquals, ArnLike: each of the six colon-delimited components of the ARN is checked separately and each can
  // include multi-character match wildcards (*) or single-character match wildcards (?)": both behave alike.
  ArnEquals: { kind: "arn", negated: false },
  ArnLike: { kind: "arn", negated: false },
  ArnNotEquals: { kind: "arn", negated: true },
  ArnNotLike: { kind: "arn", negated: true },
  NumericEquals: { kind: "numeric", negated: false, compare: "eq" },
  NumericNotEquals: { kind: "numeric", negated: true, compare: "eq" },
  NumericLessThan: { kind: "numeric", negated: false, compare: "lt" },
  NumericLessThanEquals: { kind: "numeric", negated: false, compare: "le" },
  NumericGreaterThan: { kind: "numeric", negated: false, compare: "gt" },
  NumericGreaterThanEquals: { kind: "numeric", negated: false, compare: "ge" },
  DateEquals: { kind: "date", negated: false, compare: "eq" },
  DateNotEquals: { kind: "date", negated: true, compare: "eq" },
  DateLessThan: { kind: "date", negated: false, compare: "lt" },
  DateLessThanEquals: { kind: "date", negated: false, compare: "le" },
  DateGreaterThan: { kind: "date", negated: false, compare: "gt" },
  DateGreaterThanEquals: { kind: "date", negated: false, compare: "ge" },
  Bool: { kind: "bool", negated: false },
  BinaryEquals: { kind: "binary", negated: false },
  IpAddress: { kind: "ip", negated: false },
  NotIpAddress: { kind: "ip", negated: true },
  Null: { kind: "null", negated: false },
};

/** Operator names by lower case: IAM's grammar reads them without regard to case (assumption, see README). */
const BY_LOWER = new Map(Object.keys(OPERATORS).map((k) => [k.toLowerCase(), k as ConditionOperatorName]));

interface ParsedOperator {
  base: ConditionOperatorName;
  qualifier?: "ForAnyValue" | "ForAllValues";
  ifExists: boolean;
}

/** `ForAllValues:StringLikeIfExists` -> base StringLike, qualifier ForAllValues, ifExists. */
export function parseOperator(name: string): ParsedOperator {
  let rest = name;
  let qualifier: ParsedOperator["qualifier"];
  const colon = rest.indexOf(":");
  if (colon >= 0) {
    const q = rest.slice(0, colon).toLowerCase();
    if (q === "foranyvalue") qualifier = "ForAnyValue";
    else if (q === "forallvalues") qualifier = "ForAllValues";
    else throw new PolicyError(`Unknown condition operator "${clip(name)}"`);
    rest = rest.slice(colon + 1);
  }
  let base = BY_LOWER.get(rest.toLowerCase());
  let ifExists = false;
  if (!base && rest.toLowerCase().endsWith("ifexists")) {
    base = BY_LOWER.get(rest.slice(0, -"IfExists".length).toLowerCase());
    ifExists = true;
  }
  // "You can't use the IfExists condition operator with the Null operator" / set qualifiers make no sense on Null.
  if (!base || (base === "Null" && (ifExists || qualifier)))
    throw new PolicyError(`Unknown condition operator "${clip(name)}"`);
  return { base, qualifier, ifExists };
}

function number(text: string): number | undefined {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/** Dates as IAM reads them: ISO 8601 (date or date-time) or epoch seconds. */
function date(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

function compare(op: Compare, a: number, b: number): boolean {
  switch (op) {
    case "eq":
      return a === b;
    case "lt":
      return a < b;
    case "le":
      return a <= b;
    case "gt":
      return a > b;
    case "ge":
      return a >= b;
  }
}

/** ARN components: the first five colons split it, the sixth part (the resource) keeps its colons. */
function arnParts(arn: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const at = arn.indexOf(":", start);
    if (at < 0) return undefined;
    parts.push(arn.slice(start, at));
    start = at + 1;
  }
  parts.push(arn.slice(start));
  return parts;
}

/** Splits glob tokens at the first five literal colons: the ARN's six components. */
function tokenParts(tokens: readonly GlobToken[]): GlobToken[][] | undefined {
  const parts: GlobToken[][] = [[]];
  for (const t of tokens) {
    if (t === ":" && parts.length < 6) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts.length === 6 ? parts : undefined;
}

type Test = (v: string, ctx: Context) => boolean;

function arnTokensMatcher(tokens: readonly GlobToken[], source: string): (v: string) => boolean {
  if (tokens.length === 1 && tokens[0] === STAR) return () => true;
  const parts = tokenParts(tokens);
  // A value that is not shaped like an ARN can only match itself (assumption: AWS rejects or never matches it).
  if (!parts) return (v) => v === source;
  const globs = parts.map((p) => compileTokens(p, source));
  return (v) => {
    const vp = arnParts(v);
    return vp !== undefined && globs.every((g, i) => g.test(vp[i]!));
  };
}

/** One policy value of an ARN operator; with policy variables it is expanded for each request. */
function arnMatcher(pattern: string, variables: boolean): Test {
  const template = variables ? parseTemplate(pattern) : undefined;
  if (!template) {
    const m = arnTokensMatcher(globTokens(pattern), pattern);
    return (v) => m(v);
  }
  return (v, ctx) => {
    const tokens = expandGlob(template, ctx);
    return tokens !== undefined && arnTokensMatcher(tokens, pattern)(v);
  };
}

/** One policy value of a string operator, with its policy variables expanded for each request. */
function stringTemplateTest(value: string, kind: Kind): Test | undefined {
  const template = parseTemplate(value);
  if (!template) return undefined;
  if (kind === "stringLike")
    return (v, ctx) => {
      const tokens = expandGlob(template, ctx);
      return tokens !== undefined && compileTokens(tokens, value).test(v);
    };
  const fold = kind === "stringIgnoreCase" ? (x: string) => x.toLowerCase() : (x: string) => x;
  return (v, ctx) => {
    const expanded = expandText(template, ctx);
    return expanded !== undefined && fold(expanded) === fold(v);
  };
}

function ipMatcher(values: readonly string[], operator: string): (v: string) => boolean {
  const list = new BlockList();
  for (const value of values) {
    const [addr, bits, extra] = value.trim().split("/");
    const family = isIP(addr ?? "");
    const max = family === 4 ? 32 : 128;
    const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
    if (family === 0 || extra !== undefined || !(prefix >= 0 && prefix <= max))
      throw new PolicyError(`Invalid IP address or CIDR block "${clip(value)}" for ${clip(operator)}`);
    list.addSubnet(addr!, prefix, family === 4 ? "ipv4" : "ipv6");
  }
  return (v) => {
    const family = isIP(v);
    return family !== 0 && list.check(v, family === 4 ? "ipv4" : "ipv6");
  };
}

/** The positive test of one operator kind against the policy values (any value passing = pass). */
function positiveTest(spec: OperatorSpec, values: readonly string[], operator: string, variables: boolean): Test {
  const kind = spec.kind;
  if (variables && (kind === "string" || kind === "stringIgnoreCase" || kind === "stringLike")) {
    // "You can use policy variables in the Condition element with string operators and ARN operators."
    const templated = values.map((x) => stringTemplateTest(x, kind));
    if (templated.some((t) => t !== undefined)) {
      const plain = positiveTest(
        spec,
        values.filter((_, i) => templated[i] === undefined),
        operator,
        false,
      );
      const tests = templated.filter((t): t is Test => t !== undefined);
      return (v, ctx) => plain(v, ctx) || tests.some((t) => t(v, ctx));
    }
  }
  switch (kind) {
    case "string":
    case "binary": {
      const set = new Set(values);
      return (v) => set.has(v);
    }
    case "stringIgnoreCase": {
      const set = new Set(values.map((x) => x.toLowerCase()));
      return (v) => set.has(v.toLowerCase());
    }
    case "stringLike": {
      const globs = values.map((x) => compileGlob(x));
      return (v) => globs.some((g) => g.test(v));
    }
    case "arn": {
      const tests = values.map((x) => arnMatcher(x, variables));
      return (v, ctx) => tests.some((t) => t(v, ctx));
    }
    case "numeric":
    case "date": {
      const read = spec.kind === "numeric" ? number : date;
      const nums = values.map((x) => {
        const n = read(x);
        if (n === undefined) throw new PolicyError(`Invalid ${spec.kind} value "${clip(x)}" for ${clip(operator)}`);
        return n;
      });
      const op = spec.compare!;
      return (v) => {
        const n = read(v);
        return n !== undefined && nums.some((p) => compare(op, n, p));
      };
    }
    case "bool": {
      const set = new Set(values.map((x) => x.toLowerCase()));
      return (v) => set.has(v.toLowerCase());
    }
    case "ip":
      return ipMatcher(values, operator);
    case "null":
      for (const x of values)
        if (x !== "true" && x !== "false")
          throw new PolicyError(`Invalid value "${clip(x)}" for Null: must be "true" or "false"`);
      return () => false; // not used: Null is evaluated on presence
  }
}

/** The policy values of one key: a string, number or boolean, or a list of them. */
function conditionValues(raw: unknown, operator: string, key: string): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((v) => {
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    throw new PolicyError(`Condition ${clip(operator)} "${clip(key)}": values must be strings, numbers or booleans`);
  });
}

/** Compiles a Condition element. */
export function compileConditions(raw: unknown, where: string, variables: boolean): ConditionClause[] {
  if (raw === undefined) return [];
  if (!isPlainObject(raw)) throw new PolicyError(`${where}: Condition must be an object`);
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(raw)) {
    const op = parseOperator(operator);
    if (!isPlainObject(block))
      throw new PolicyError(`${where}: Condition ${operator} must map condition keys to values`);
    const spec = OPERATORS[op.base];
    for (const [key, value] of Object.entries(block)) {
      if (key.length === 0) throw new PolicyError(`${where}: Condition ${operator} has an empty key`);
      const values = conditionValues(value, operator, key);
      clauses.push({
        operator,
        base: op.base,
        qualifier: op.qualifier,
        ifExists: op.ifExists,
        key,
        values,
        positive: positiveTest(spec, values, operator, variables),
        negated: spec.negated,
      });
    }
  }
  return clauses;
}

/** The request's values of one key: undefined when absent (an empty list counts as absent). */
export type ContextValues = readonly string[] | undefined;

/**
 * One clause against the request. IAM's rules:
 * - a missing key fails positive operators and passes negated ones ("If the policy condition requires that the key
 *   is not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the condition is true");
 *   `...IfExists` passes when the key is missing; ForAllValues passes on a missing key or empty set, ForAnyValue fails;
 * - several policy values are ORed; a negated operator passes when the request value equals none of them;
 * - ForAnyValue: some request value passes; ForAllValues: every request value passes; without a qualifier a
 *   multivalued key is read like ForAnyValue for positive operators and "none matches" for negated ones.
 */
export function clauseHolds(c: ConditionClause, ctx: Context): boolean {
  const v = ctx.get(c.key.toLowerCase());
  const present = v !== undefined && v.length > 0;
  if (c.base === "Null") {
    // "Null": "true" holds when the key is absent, "false" when it is present.
    return c.values.some((x) => (x === "true") === !present);
  }
  if (!present) {
    if (c.qualifier === "ForAllValues") return true;
    if (c.qualifier === "ForAnyValue") return false;
    if (c.ifExists) return true;
    return c.negated;
  }
  const passes = (x: string) => (c.negated ? !c.positive(x, ctx) : c.positive(x, ctx));
  if (c.qualifier === "ForAllValues") return v.every(passes);
  if (c.qualifier === "ForAnyValue") return v.some(passes);
  return c.negated ? v.every(passes) : v.some(passes);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
