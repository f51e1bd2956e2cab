/**
 * Operands shared by JSON and space-delimited patterns: `*` wildcards, numbers, quoted strings and `%regex%`, and the
 * comparison of one operand with one value. AWS page: "Filter pattern syntax" (JSON and space-delimited sections,
 * "Supported regular expressions (regex) syntax").
 */
import { RE2JS } from "re2js";
import { invalidCharacter, invalidPattern } from "./errors.js";

/** A number as the docs define it: optional sign, digits, optional decimals, optional exponent (`1e3`, `-5.5e-3`). */
export const NUMBER_LITERAL = /^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export type Operator = "=" | "!=" | "<" | ">" | "<=" | ">=";

export type Operand =
  /** Unquoted number: compared numerically with a numeric value, as text with any other. */
  | { readonly kind: "number"; readonly text: string; readonly value: number }
  /** Quoted string or unquoted word without `*`: exact, case-sensitive text. */
  | { readonly kind: "text"; readonly text: string }
  /** Text with `*` wildcards (quoted or not). */
  | { readonly kind: "glob"; readonly text: string; readonly glob: Glob }
  | { readonly kind: "regex"; readonly text: string; readonly regex: RE2JS };

/**
 * `*` matches any run of characters. AWS places each piece at its leftmost occurrence without backtracking, so a
 * trailing piece must be found there: real TestMetricFilter matched `*.111.111.111` but not `*111.111.111` against
 * "111.111.111.111" (recorded by the json_filter project's tests against AWS). We reproduce that.
 */
export class Glob {
  private readonly head: string;
  private readonly pieces: string[];
  private readonly openEnd: boolean;

  constructor(pattern: string) {
    const parts = pattern.split("*");
    this.head = parts[0]!;
    this.openEnd = parts[parts.length - 1] === "";
    this.pieces = parts.slice(1).filter((p) => p !== "");
  }

  test(text: string): boolean {
    if (!text.startsWith(this.head)) return false;
    let pos = this.head.length;
    for (const piece of this.pieces) {
      const at = text.indexOf(piece, pos);
      if (at < 0) return false;
      pos = at + piece.length;
    }
    return this.openEnd || pos === text.length;
  }
}

// AWS: regexes may hold letters, digits, the symbols : _ # = @ / ; , - and the operators ^ $ ? [ ] { } | \ * + .
// The documented example `%^shutting down%` shows that a space is accepted too.
const REGEX_ALLOWED = /^[A-Za-z0-9:_#=@/;,\- ^$?[\]{}|\\*+.]$/;

/**
 * Validates and compiles the body of a `%regex%` with re2js (linear time). Characters outside AWS's list, including
 * `(`, `)` and any non-ASCII character, are rejected the way AWS rejects them ("Invalid character(s) in term").
 */
export function compileRegex(body: string): RE2JS {
  if (body.length === 0) throw invalidPattern();
  for (const ch of body) if (!REGEX_ALLOWED.test(ch)) throw invalidCharacter(ch);
  try {
    return RE2JS.compile(normalizeRepeats(body));
  } catch {
    throw invalidPattern();
  }
}

/** AWS allows `{,n}` ("either m or n can be omitted"), which RE2 reads as literal text: rewrite it as `{0,n}`. */
function normalizeRepeats(body: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "\\") {
      out += body.slice(i, i + 2);
      i++;
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
      out += ch;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      // A `]` right after `[` or `[^` is a literal member of the class.
      out += ch;
      if (body[i + 1] === "^") out += body[++i];
      if (body[i + 1] === "]") out += body[++i];
      continue;
    }
    if (ch === "{") {
      const m = /^\{ *(\d*) *, *(\d*) *\}/.exec(body.slice(i));
      if (m && (m[1] !== "" || m[2] !== "")) {
        out += `{${m[1] === "" ? "0" : m[1]},${m[2]}}`;
        i += m[0].length - 1;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

/** An operand written unquoted (`UpdateTrail`, `123.123.*`, `-5e3`, `4*`). */
export function bareOperand(text: string): Operand {
  if (text.includes("*")) return { kind: "glob", text, glob: new Glob(text) };
  if (NUMBER_LITERAL.test(text)) return { kind: "number", text, value: Number(text) };
  return { kind: "text", text };
}

/** An operand written in double quotes: always text (a quoted number is compared as text), `*` still a wildcard. */
export function quotedOperand(text: string): Operand {
  if (text.includes("*")) return { kind: "glob", text, glob: new Glob(text) };
  return { kind: "text", text };
}

export const regexOperand = (body: string): Operand => ({ kind: "regex", text: body, regex: compileRegex(body) });

/**
 * Whether a scalar satisfies `op operand`. `text` is the value as written (a JSON number keeps its source text, so
 * `12.0` is not `"12"`); `num` is its numeric value, or NaN when the value is not a number.
 */
export function compare(op: Operator, operand: Operand, text: string, num: number): boolean {
  switch (op) {
    case "=":
      return equals(operand, text, num);
    case "!=":
      return !equals(operand, text, num);
    default: {
      // Relational operators take a number operand (checked at compile time) and only apply to numeric values.
      if (Number.isNaN(num) || operand.kind !== "number") return false;
      const v = operand.value;
      return op === "<" ? num < v : op === ">" ? num > v : op === "<=" ? num <= v : num >= v;
    }
  }
}

function equals(operand: Operand, text: string, num: number): boolean {
  switch (operand.kind) {
    case "number":
      return Number.isNaN(num) ? text === operand.text : num === operand.value;
    case "text":
      return text === operand.text;
    case "glob":
      return operand.glob.test(text);
    case "regex":
      return operand.regex.test(text);
  }
}

/** Relational operators need an unquoted number; AWS rejects anything else quoting the operand as written. */
export function checkOperand(op: Operator, operand: Operand, written: string): void {
  if (op !== "=" && op !== "!=" && operand.kind !== "number") throw invalidCharacter(written);
}
