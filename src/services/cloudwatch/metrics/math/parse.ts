/**
 * The metric math language of GetMetricData and alarms ("Using metric math", CloudWatch user guide): a tokenizer and
 * a precedence-climbing parser into a small AST. Grammar, loosest first: OR, AND, NOT, comparisons
 * (== != < <= > >=), + -, * /, unary -, ^ (right-associative), then numbers, strings, ids (m1), function calls
 * (UPPER_CASE(args)), keyword arguments (REPEAT, LINEAR, ASC, DESC, AVG, ...), [arrays] and (parentheses).
 * Expressions are at most 2,048 characters (the model), so recursion depth is bounded by that.
 */

export type Node =
  | { t: "num"; v: number }
  | { t: "str"; v: string }
  | { t: "id"; name: string }
  | { t: "kw"; name: string }
  | { t: "call"; name: string; args: Node[] }
  | { t: "array"; items: Node[] }
  | { t: "unary"; op: "-" | "NOT"; arg: Node }
  | { t: "bin"; op: string; left: Node; right: Node };

export class MathSyntaxError extends Error {}

type Tok = { k: "num"; v: number } | { k: "str"; v: string } | { k: "word"; v: string } | { k: "op"; v: string };

const OPS = ["==", "!=", ">=", "<=", "&&", "||", ">", "<", "+", "-", "*", "/", "^", "(", ")", "[", "]", ","];

export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    const num = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i, i + 64));
    if (num) {
      out.push({ k: "num", v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new MathSyntaxError("Unterminated string");
      out.push({ k: "str", v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 300));
    if (word) {
      out.push({ k: "word", v: word[0] });
      i += word[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new MathSyntaxError(`Unexpected character '${c}'`);
    out.push({ k: "op", v: op });
    i += op.length;
  }
  return out;
}

const KEYWORDS = new Set(["REPEAT", "LINEAR", "ASC", "DESC", "AVG", "SUM", "MIN", "MAX", "COUNT", "STDDEV"]);
const BIN_LEVELS: string[][] = [
  ["OR", "||"],
  ["AND", "&&"],
  ["==", "!=", "<", "<=", ">", ">="],
  ["+", "-"],
  ["*", "/"],
];

export function parse(src: string): Node {
  const toks = tokenize(src);
  let pos = 0;
  const peek = () => toks[pos];
  const isOp = (v: string) => {
    const t = toks[pos];
    return !!t && ((t.k === "op" && t.v === v) || (t.k === "word" && t.v === v));
  };
  const expect = (v: string) => {
    if (!isOp(v)) throw new MathSyntaxError(`Expected '${v}'`);
    pos++;
  };

  const level = (n: number): Node => {
    if (n >= BIN_LEVELS.length) return unary();
    // NOT sits between AND and the comparisons: NOT a > 1 AND b is (NOT (a > 1)) AND b.
    if (n === 2 && isOp("NOT")) {
      pos++;
      return { t: "unary", op: "NOT", arg: level(2) };
    }
    let left = level(n + 1);
    for (;;) {
      const t = peek();
      const op = t && (t.k === "op" || t.k === "word") && BIN_LEVELS[n].includes(t.v) ? t.v : undefined;
      if (!op) return left;
      pos++;
      const right = level(n + 1);
      left = { t: "bin", op: op === "||" ? "OR" : op === "&&" ? "AND" : op, left, right };
    }
  };
  const unary = (): Node => {
    if (isOp("-")) {
      pos++;
      return { t: "unary", op: "-", arg: unary() };
    }
    if (isOp("+")) {
      pos++;
      return unary();
    }
    return power();
  };
  const power = (): Node => {
    const base = primary();
    if (isOp("^")) {
      pos++;
      return { t: "bin", op: "^", left: base, right: unary() };
    }
    return base;
  };
  const list = (close: string): Node[] => {
    const items: Node[] = [];
    if (isOp(close)) {
      pos++;
      return items;
    }
    for (;;) {
      items.push(level(0));
      if (isOp(",")) {
        pos++;
        continue;
      }
      expect(close);
      return items;
    }
  };
  const primary = (): Node => {
    const t = toks[pos++];
    if (!t) throw new MathSyntaxError("Unexpected end of expression");
    if (t.k === "num") return { t: "num", v: t.v };
    if (t.k === "str") return { t: "str", v: t.v };
    if (t.k === "op" && t.v === "(") {
      const e = level(0);
      expect(")");
      return e;
    }
    if (t.k === "op" && t.v === "[") return { t: "array", items: list("]") };
    if (t.k === "word") {
      if (isOp("(")) {
        pos++;
        return { t: "call", name: t.v.toUpperCase(), args: list(")") };
      }
      if (KEYWORDS.has(t.v)) return { t: "kw", name: t.v };
      if (/^[a-z]/.test(t.v)) return { t: "id", name: t.v };
      throw new MathSyntaxError(`Unrecognized identifier '${t.v}'`);
    }
    throw new MathSyntaxError(`Unexpected '${t.v}'`);
  };

  const e = level(0);
  if (pos < toks.length) throw new MathSyntaxError(`Unexpected '${String(toks[pos].v)}'`);
  return e;
}

/** Ids an expression refers to. */
export function references(n: Node, out = new Set<string>()): Set<string> {
  switch (n.t) {
    case "id":
      out.add(n.name);
      break;
    case "call":
    case "array":
      for (const a of n.t === "call" ? n.args : n.items) references(a, out);
      break;
    case "unary":
      references(n.arg, out);
      break;
    case "bin":
      references(n.left, out);
      references(n.right, out);
      break;
  }
  return out;
}

export type Call = Extract<Node, { t: "call" }>;

/** The calls of function `name` in an expression, outermost first. */
export function callsTo(n: Node, name: string, out: Call[] = []): Call[] {
  switch (n.t) {
    case "call":
      if (n.name === name) out.push(n);
      for (const a of n.args) callsTo(a, name, out);
      break;
    case "array":
      for (const a of n.items) callsTo(a, name, out);
      break;
    case "unary":
      callsTo(n.arg, name, out);
      break;
    case "bin":
      callsTo(n.left, name, out);
      callsTo(n.right, name, out);
      break;
  }
  return out;
}

/** Whether an expression calls METRICS() (it depends on every MetricStat query). */
export function callsMetrics(n: Node): boolean {
  switch (n.t) {
    case "call":
      return n.name === "METRICS" || n.args.some(callsMetrics);
    case "array":
      return n.items.some(callsMetrics);
    case "unary":
      return callsMetrics(n.arg);
    case "bin":
      return callsMetrics(n.left) || callsMetrics(n.right);
    default:
      return false;
  }
}
