/**
 * CloudWatch Logs filter patterns (FilterLogEvents, metric filters, subscription filters, Live Tail): terms, JSON,
 * space-delimited and `%regex%` patterns. AWS page: "Filter pattern syntax for metric filters, subscription filters,
 * filter log events, and Live Tail". PATTERNS.md is the normative spec by example.
 */
import { invalidPattern, LIMITS } from "./errors.js";
import { compileDelimited } from "./delimited.js";
import { compileJson } from "./json-pattern.js";
import { compileTerms } from "./terms.js";

export interface FilterPattern {
  readonly source: string;
  /** True when the log event message matches (an empty pattern matches everything). */
  matches(message: string): boolean;
  /**
   * For metric filters (later issue): the values the pattern names when it matches — `$.a.b` selectors of JSON
   * patterns and `$field` names of space-delimited patterns — or undefined when the message does not match.
   */
  extract(message: string): Record<string, string | number | boolean | null> | undefined;
}

export type FilterPatternKind = "terms" | "json" | "delimited";

/**
 * Compiles a CloudWatch Logs filter pattern; throws AwsError InvalidParameterException with AWS's message for an
 * invalid one. The kind is chosen by the first character, as AWS does: `{` JSON, `[` space-delimited, anything else
 * terms (so ` {$.a IS TRUE}` with a leading space is a term pattern, and AWS rejects it).
 */
export function compileFilterPattern(pattern: string): FilterPattern {
  if (pattern.length > LIMITS.patternLength) throw invalidPattern();
  const kind = filterPatternKind(pattern);
  if (kind === "json") {
    const body = closedBody(pattern, "{", "}");
    const p = compileJson(body);
    return { source: pattern, matches: p.matches, extract: p.extract };
  }
  if (kind === "delimited") {
    const body = closedBody(pattern, "[", "]");
    const p = compileDelimited(body);
    return { source: pattern, matches: p.matches, extract: p.extract };
  }
  const p = compileTerms(pattern);
  if (p.regexCount > LIMITS.regexes) throw invalidPattern();
  const matches = p.matches;
  return { source: pattern, matches, extract: (message) => (matches(message) ? {} : undefined) };
}

/** Which of the three syntaxes a pattern uses (metric filter dimensions only apply to JSON and delimited ones). */
export function filterPatternKind(pattern: string): FilterPatternKind {
  const first = pattern[0];
  return first === "{" ? "json" : first === "[" ? "delimited" : "terms";
}

/** AWS: "If a filter pattern starts with '{' it must end with '}'" (trailing whitespace tolerated). */
function closedBody(pattern: string, open: string, close: string): string {
  const trimmed = pattern.trimEnd();
  if (trimmed.length < 2 || !trimmed.endsWith(close)) {
    throw invalidPattern(`If a filter pattern starts with '${open}' it must end with '${close}'`);
  }
  return trimmed.slice(1, -1);
}
