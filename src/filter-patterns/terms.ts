/**
 * Term patterns for unstructured log events: `ERROR Exception`, `"exact phrase"`, `?ERROR ?WARN`, `ERROR -DEBUG`,
 * `%regex%`. AWS page: "Using filter patterns to match terms in unstructured log events".
 */
import { RE2JS } from "re2js";
import { invalidCharacter, invalidPattern, LIMITS } from "./errors.js";
import { compileRegex } from "./values.js";

type Term = { readonly kind: "text"; readonly text: string } | { readonly kind: "regex"; readonly regex: RE2JS };
type Mode = "include" | "exclude" | "optional";

const WORD_CHAR = /[A-Za-z0-9_]/;
const isSpace = (ch: string | undefined): boolean => ch === " " || ch === "\t" || ch === "\n" || ch === "\r";

export interface TermPattern {
  readonly regexCount: number;
  matches(message: string): boolean;
}

/** Parses and compiles a term pattern (anything that does not start with `{` or `[`). */
export function compileTerms(source: string): TermPattern {
  const include: Term[] = [];
  const exclude: Term[] = [];
  const optional: Term[] = [];
  let regexCount = 0;
  let i = 0;
  const n = source.length;
  while (true) {
    while (isSpace(source[i])) i++;
    if (i >= n) break;
    let mode: Mode = "include";
    const prefix = source[i];
    if (prefix === "?" || prefix === "-") {
      mode = prefix === "?" ? "optional" : "exclude";
      i++;
      // The 2015 guide writes `"ERROR" - "Exiting"`: the sign may stand apart from its term.
      while (isSpace(source[i])) i++;
      if (i >= n) throw invalidPattern();
    }
    let term: Term | undefined;
    const ch = source[i]!;
    if (ch === '"') {
      // A phrase: `\"` is a quote and `\\` a backslash; any other backslash stays as written.
      let text = "";
      i++;
      for (;;) {
        if (i >= n) throw invalidPattern();
        const c = source[i]!;
        if (c === '"') break;
        if (c === "\\" && (source[i + 1] === '"' || source[i + 1] === "\\")) {
          text += source[i + 1];
          i += 2;
        } else {
          text += c;
          i++;
        }
      }
      i++;
      // AWS documents `" "` (and `""`) as "match everything": a blank phrase constrains nothing.
      if (text.trim() !== "") term = { kind: "text", text };
    } else if (ch === "%") {
      const end = source.indexOf("%", i + 1);
      if (end < 0) throw invalidPattern();
      term = { kind: "regex", regex: compileRegex(source.slice(i + 1, end)) };
      regexCount++;
      i = end + 1;
    } else {
      // Unquoted terms: letters, digits and underscore only ("terms that include characters other than
      // alphanumeric or underscore must be placed inside double quotes"). AWS names the offending character.
      const start = i;
      while (i < n && !isSpace(source[i])) {
        if (!WORD_CHAR.test(source[i]!)) throw invalidCharacter(source[i]!);
        i++;
      }
      term = { kind: "text", text: source.slice(start, i) };
    }
    if (term) (mode === "include" ? include : mode === "exclude" ? exclude : optional).push(term);
    if (include.length + exclude.length + optional.length > LIMITS.items) throw invalidPattern();
  }
  return { regexCount, matches: buildMatcher(include, exclude, optional) };
}

const occurs = (term: Term, message: string): boolean =>
  term.kind === "text" ? message.includes(term.text) : term.regex.test(message);

function buildMatcher(include: Term[], exclude: Term[], optional: Term[]): (message: string) => boolean {
  // AWS: "If you combine ? with other filter patterns, all question mark terms will be ignored."
  if (include.length > 0 || exclude.length > 0) {
    if (exclude.length === 0 && include.length === 1 && include[0]!.kind === "text") {
      const text = include[0]!.text;
      return (message) => message.includes(text);
    }
    return (message) => {
      for (const t of include) if (!occurs(t, message)) return false;
      for (const t of exclude) if (occurs(t, message)) return false;
      return true;
    };
  }
  if (optional.length > 0) {
    return (message) => {
      for (const t of optional) if (occurs(t, message)) return true;
      return false;
    };
  }
  return () => true;
}
