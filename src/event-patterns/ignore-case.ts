/**
 * `equals-ignore-case` (also under `prefix`, `suffix` and `anything-but`) as event-ruler implements it: each character
 * c of the pattern matches exactly `lower(c)` or `upper(c)` (Java's per-character toLowerCase/toUpperCase in the root
 * locale), so "ß" matches "ß" and "SS" but not "ss". AWS page: "Equals-ignore-case matching".
 */

/** A compiled ignore-case pattern. */
export interface IgnoreCase {
  readonly source: string;
  /**
   * When every character has single-unit lower and upper forms that lower-case back to the same character, the
   * pattern is "simple": it matches a value of the same length character by character, and `key` (per-character
   * lower case) is a complete filter for candidates.
   */
  readonly simple: boolean;
  readonly key: string;
  readonly lower: Uint16Array;
  readonly upper: Uint16Array;
  /** Alternatives per character (for patterns that are not simple). */
  readonly alternatives: readonly (readonly string[])[];
}

const lowerCache = new Map<number, string>();

function lowerOf(c: number): string {
  let l = lowerCache.get(c);
  if (l === undefined) {
    l = String.fromCharCode(c).toLowerCase();
    if (lowerCache.size < 65536) lowerCache.set(c, l);
  }
  return l;
}

/** Per-character lower case: for ASCII the same as toLowerCase(), without the context rules (final sigma) of it. */
export function foldKey(s: string): string {
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  let out = "";
  for (let i = 0; i < s.length; i++) out += lowerOf(s.charCodeAt(i));
  return out;
}

const NON_ASCII = /[^\x00-\x7f]/;

export function compileIgnoreCase(source: string): IgnoreCase {
  const n = source.length;
  const lower = new Uint16Array(n);
  const upper = new Uint16Array(n);
  const alternatives: string[][] = [];
  let simple = true;
  for (let i = 0; i < n; i++) {
    const ch = source[i]!;
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    alternatives.push(lo === up ? [lo] : [lo, up]);
    if (lo.length !== 1 || up.length !== 1 || lowerOf(lo.charCodeAt(0)) !== lo || lowerOf(up.charCodeAt(0)) !== lo) {
      simple = false;
    } else {
      lower[i] = lo.charCodeAt(0);
      upper[i] = up.charCodeAt(0);
    }
  }
  return { source, simple, key: simple ? foldKey(source) : "", lower, upper, alternatives };
}

/** Does the value, from `start`, begin with a run matching the pattern? Returns the end offsets that work. */
function ends(p: IgnoreCase, value: string, start: number): Set<number> {
  let positions = new Set<number>([start]);
  for (const alts of p.alternatives) {
    const next = new Set<number>();
    for (const pos of positions) {
      for (const a of alts) if (value.startsWith(a, pos)) next.add(pos + a.length);
    }
    if (next.size === 0) return next;
    positions = next;
  }
  return positions;
}

function simpleAt(p: IgnoreCase, value: string, start: number): boolean {
  const lo = p.lower;
  const up = p.upper;
  for (let i = 0; i < lo.length; i++) {
    const c = value.charCodeAt(start + i);
    if (c !== lo[i] && c !== up[i]) return false;
  }
  return true;
}

export function equalsIgnoreCase(p: IgnoreCase, value: string): boolean {
  if (p.simple) return value.length === p.lower.length && simpleAt(p, value, 0);
  return ends(p, value, 0).has(value.length);
}

export function startsWithIgnoreCase(p: IgnoreCase, value: string): boolean {
  if (p.simple) return value.length >= p.lower.length && simpleAt(p, value, 0);
  return ends(p, value, 0).size > 0;
}

export function endsWithIgnoreCase(p: IgnoreCase, value: string): boolean {
  if (p.simple) return value.length >= p.lower.length && simpleAt(p, value, value.length - p.lower.length);
  for (let start = value.length; start >= 0; start--) if (ends(p, value, start).has(value.length)) return true;
  return false;
}
