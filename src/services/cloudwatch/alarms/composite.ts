/**
 * The composite AlarmRule language: ALARM(x), OK(x), INSUFFICIENT_DATA(x) where x is an alarm name or ARN (quoted
 * with double quotes, or bare when it has no spaces or parentheses), AND, OR, NOT, parentheses, TRUE and FALSE.
 * NOT binds tighter than AND, AND tighter than OR. Parsing is linear in the rule's length (at most 10,240 characters),
 * and nesting is capped so hostile rules cannot exhaust the stack.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html
 */
import { awsError, type AwsError } from "../../../errors/index.js";
import type { AlarmStateValue } from "./model.js";

export type Rule =
  | { kind: "const"; value: boolean }
  | { kind: "state"; state: AlarmStateValue; alarm: string }
  | { kind: "not"; rule: Rule }
  | { kind: "and" | "or"; rules: Rule[] };

const MAX_DEPTH = 100;
const FUNCTIONS = new Set(["ALARM", "OK", "INSUFFICIENT_DATA"]);

// Assumed wording: AWS answers malformed rules with ValidationError and a short description of the problem.
const ruleError = (detail: string): AwsError => awsError("ValidationError", `Error in alarm rule: ${detail}`);

type Token = { t: "(" | ")" | "word" | "string"; v: string; at: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (c === "(" || c === ")") {
      out.push({ t: c, v: c, at: i++ });
    } else if (c === '"') {
      const start = i++;
      let v = "";
      while (i < src.length && src[i] !== '"') {
        if (src[i] === "\\" && i + 1 < src.length) i++;
        v += src[i++];
      }
      if (i >= src.length) throw ruleError(`unterminated string starting at position ${start}`);
      i++;
      out.push({ t: "string", v, at: start });
    } else {
      const start = i;
      while (i < src.length && !` \t\n\r()"`.includes(src[i])) i++;
      out.push({ t: "word", v: src.slice(start, i), at: start });
    }
  }
  return out;
}

export function parseRule(src: string): Rule {
  const toks = tokenize(src);
  let pos = 0;
  const peek = () => toks[pos];
  const expect = (t: Token["t"], what: string) => {
    const k = toks[pos];
    if (!k || k.t !== t) throw ruleError(`expected ${what} at position ${k ? k.at : src.length}`);
    pos++;
    return k;
  };
  const isWord = (v: string) => peek()?.t === "word" && peek()!.v === v;

  const orExpr = (depth: number): Rule => {
    if (depth > MAX_DEPTH) throw ruleError("the rule is nested too deeply");
    const rules = [andExpr(depth)];
    while (isWord("OR")) {
      pos++;
      rules.push(andExpr(depth));
    }
    return rules.length === 1 ? rules[0] : { kind: "or", rules };
  };
  const andExpr = (depth: number): Rule => {
    const rules = [notExpr(depth)];
    while (isWord("AND")) {
      pos++;
      rules.push(notExpr(depth));
    }
    return rules.length === 1 ? rules[0] : { kind: "and", rules };
  };
  const notExpr = (depth: number): Rule => {
    if (isWord("NOT")) {
      pos++;
      if (depth > MAX_DEPTH) throw ruleError("the rule is nested too deeply");
      return { kind: "not", rule: notExpr(depth + 1) };
    }
    return primary(depth);
  };
  const primary = (depth: number): Rule => {
    const k = peek();
    if (!k) throw ruleError(`unexpected end of rule at position ${src.length}`);
    if (k.t === "(") {
      pos++;
      const r = orExpr(depth + 1);
      expect(")", "')'");
      return r;
    }
    if (k.t === "word" && (k.v === "TRUE" || k.v === "FALSE")) {
      pos++;
      return { kind: "const", value: k.v === "TRUE" };
    }
    if (k.t === "word" && FUNCTIONS.has(k.v)) {
      pos++;
      expect("(", "'('");
      const arg = toks[pos];
      if (!arg || (arg.t !== "string" && arg.t !== "word") || arg.v === "")
        throw ruleError(`expected an alarm name or ARN at position ${arg ? arg.at : src.length}`);
      pos++;
      expect(")", "')'");
      return { kind: "state", state: k.v as AlarmStateValue, alarm: arg.v };
    }
    throw ruleError(`unexpected '${k.v}' at position ${k.at}`);
  };

  if (toks.length === 0) throw ruleError("the rule is empty");
  const rule = orExpr(0);
  if (pos < toks.length) throw ruleError(`unexpected '${toks[pos].v}' at position ${toks[pos].at}`);
  return rule;
}

/** The alarm names or ARNs a rule refers to. */
export function ruleAlarms(rule: Rule, out: string[] = []): string[] {
  switch (rule.kind) {
    case "state":
      out.push(rule.alarm);
      break;
    case "not":
      ruleAlarms(rule.rule, out);
      break;
    case "and":
    case "or":
      for (const r of rule.rules) ruleAlarms(r, out);
      break;
  }
  return out;
}

/** The alarm name a rule reference names (the ARN's last part, or the name itself). */
export function referencedName(ref: string): string {
  const m = /^arn:[^:]+:cloudwatch:[^:]*:[^:]*:alarm:(.+)$/.exec(ref);
  return m ? m[1] : ref;
}

export function evalRule(rule: Rule, stateOf: (ref: string) => AlarmStateValue | undefined): boolean {
  switch (rule.kind) {
    case "const":
      return rule.value;
    case "state":
      return stateOf(rule.alarm) === rule.state;
    case "not":
      return !evalRule(rule.rule, stateOf);
    case "and":
      return rule.rules.every((r) => evalRule(r, stateOf));
    case "or":
      return rule.rules.some((r) => evalRule(r, stateOf));
  }
}
