/**
 * IAM wildcards: `*` matches any run of characters (none included), `?` exactly one character, everything else is
 * literal. Matching is linear in the value: no backtracking and no regular expression built from policy text.
 * - no wildcard: string equality;
 * - `*` only: the literal runs between stars placed greedily leftmost, which is exact for `*`-only globs;
 * - with `?`: a bit-parallel simulation of the glob's automaton (one bit per pattern position), O(value x
 *   pattern / 32).
 */
import type { StringMatcher } from "./types.js";

/** A glob as tokens: one literal character (a code point), or STAR (`*`), or ANY (`?`). */
export const STAR = 0;
export const ANY = 1;
export type GlobToken = string | typeof STAR | typeof ANY;

/** The tokens of a pattern where `*` and `?` are wildcards. */
export function globTokens(pattern: string): GlobToken[] {
  const out: GlobToken[] = [];
  for (const ch of pattern) out.push(ch === "*" ? STAR : ch === "?" ? ANY : ch);
  return out;
}

/** Compiles `pattern`; with `ignoreCase` both sides are compared lower-cased (IAM actions). */
export function compileGlob(pattern: string, ignoreCase = false): StringMatcher {
  return compileTokens(globTokens(pattern), pattern, ignoreCase);
}

/** Compiles a token list (policy variables produce literal `*` and `?` that are not wildcards). */
export function compileTokens(input: readonly GlobToken[], source: string, ignoreCase = false): StringMatcher {
  const fold = ignoreCase ? (v: string) => v.toLowerCase() : (v: string) => v;
  // Runs of stars are one star (same language; the automaton then needs a single closure step).
  const tokens: GlobToken[] = [];
  for (const t of input) {
    if (t === STAR && tokens[tokens.length - 1] === STAR) continue;
    if (ignoreCase && typeof t === "string") for (const c of t.toLowerCase()) tokens.push(c);
    else tokens.push(t);
  }
  const hasStar = tokens.includes(STAR);
  const hasAny = tokens.includes(ANY);
  if (!hasStar && !hasAny) {
    const literal = tokens.join("");
    return { source, test: (v) => fold(v) === literal };
  }
  if (tokens.length === 1 && hasStar) return { source, test: () => true };
  if (!hasAny) {
    const segments = [""];
    for (const t of tokens) {
      if (t === STAR) segments.push("");
      else segments[segments.length - 1] += t as string;
    }
    return { source, test: (v) => starMatch(segments, fold(v)) };
  }
  const nfa = compileNfa(tokens);
  return { source, test: (v) => nfaMatch(nfa, fold(v)) };
}

/** True when `value` matches the glob `pattern` (compiles it each call: prefer compileGlob for reuse). */
export function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  return compileGlob(pattern, ignoreCase).test(value);
}

/** `a*b*c` as segments ["a", "b", "c"]: head and tail anchor, middle runs placed leftmost. */
function starMatch(seg: readonly string[], value: string): boolean {
  const last = seg.length - 1;
  const head = seg[0]!;
  const tail = seg[last]!;
  const limit = value.length - tail.length;
  if (limit < head.length) return false;
  if (!value.startsWith(head) || !value.endsWith(tail)) return false;
  let pos = head.length;
  for (let k = 1; k < last; k++) {
    const s = seg[k]!;
    const at = value.indexOf(s, pos);
    if (at < 0 || at + s.length > limit) return false;
    pos = at + s.length;
  }
  return true;
}

interface Nfa {
  /** Pattern positions 0..m; state i = the first i tokens consumed. Bit i of word i >>> 5. */
  readonly words: number;
  readonly accept: number;
  /** Bit i set when token i is `*` (self loop, and an empty step to i + 1). */
  readonly star: Uint32Array;
  /** Bit i set when token i is `?`. */
  readonly any: Uint32Array;
  /** Per literal character: bit i set when token i is that character. */
  readonly literal: Map<string, Uint32Array>;
}

function compileNfa(tokens: readonly GlobToken[]): Nfa {
  const m = tokens.length;
  const words = (m >>> 5) + 1;
  const star = new Uint32Array(words);
  const any = new Uint32Array(words);
  const literal = new Map<string, Uint32Array>();
  tokens.forEach((t, i) => {
    const bit = 1 << (i & 31);
    if (t === STAR) star[i >>> 5]! |= bit;
    else if (t === ANY) any[i >>> 5]! |= bit;
    else {
      let mask = literal.get(t);
      if (!mask) literal.set(t, (mask = new Uint32Array(words)));
      mask[i >>> 5]! |= bit;
    }
  });
  return { words, accept: m, star, any, literal };
}

/** Adds state i + 1 for every active state i sitting on a star (the empty step). */
function closeStars(nfa: Nfa, d: Uint32Array): void {
  let carry = 0;
  for (let w = 0; w < nfa.words; w++) {
    const s = d[w]! & nfa.star[w]!;
    const shifted = ((s << 1) | carry) >>> 0;
    carry = s >>> 31;
    d[w] = (d[w]! | shifted) >>> 0;
  }
}

function nfaMatch(nfa: Nfa, value: string): boolean {
  let d = new Uint32Array(nfa.words);
  let next = new Uint32Array(nfa.words);
  d[0] = 1;
  closeStars(nfa, d);
  for (const ch of value) {
    const lit = nfa.literal.get(ch);
    let carry = 0;
    let alive = 0;
    for (let w = 0; w < nfa.words; w++) {
      const dw = d[w]!;
      const step = dw & (nfa.any[w]! | (lit ? lit[w]! : 0));
      const shifted = ((step << 1) | carry) >>> 0;
      carry = step >>> 31;
      const v = (shifted | (dw & nfa.star[w]!)) >>> 0;
      next[w] = v;
      alive |= v;
    }
    if (alive === 0) return false;
    [d, next] = [next, d];
    closeStars(nfa, d);
  }
  const a = nfa.accept;
  return (d[a >>> 5]! & (1 << (a & 31))) !== 0;
}
