/**
 * The `wildcard` operator: `*` matches any run of characters, `\*` and `\\` are a literal star and backslash.
 * AWS page: "Wildcard matching" in "Content filtering in Amazon EventBridge event patterns".
 */

/** A parse error with event-ruler's text ("Consecutive wildcard characters at pos 26"). */
export class WildcardSyntaxError extends Error {}

export interface Wildcard {
  readonly source: string;
  /** Literal runs between the stars: `a*b*c` is ["a", "b", "c"], `*x` is ["", "x"]. */
  readonly segments: readonly string[];
}

/**
 * Parses a wildcard value. Positions in errors are UTF-8 byte offsets in the value with its JSON quotes, as
 * event-ruler reports them (the first character of the value is at pos 1).
 */
export function parseWildcard(source: string): Wildcard {
  const segments: string[] = [];
  let current = "";
  let pos = 1; // byte offset of the current character inside `"source"`
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x2a) {
      if (source.charCodeAt(i + 1) === 0x2a)
        throw new WildcardSyntaxError(`Consecutive wildcard characters at pos ${pos}`);
      segments.push(current);
      current = "";
    } else if (c === 0x5c) {
      const n = source.charCodeAt(i + 1);
      if (n !== 0x2a && n !== 0x5c) throw new WildcardSyntaxError(`Invalid escape character at pos ${pos}`);
      current += source[i + 1];
      i++;
      pos++;
    } else {
      current += source[i];
    }
    pos += utf8Length(c, source.charCodeAt(i + 1));
    if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(source.charCodeAt(i + 1))) {
      current += source[i + 1];
      i++;
    }
  }
  segments.push(current);
  return { source, segments };
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function utf8Length(c: number, next: number): number {
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(next)) return 4;
  return 3;
}

/** True when `value` matches. Greedy leftmost placement of the middle runs is exact for `*`-only globs. */
export function wildcardMatches(w: Wildcard, value: string): boolean {
  const seg = w.segments;
  const last = seg.length - 1;
  if (last === 0) return value === seg[0];
  const head = seg[0]!;
  const tail = seg[last]!;
  const limit = value.length - tail.length;
  if (limit < head.length) return false;
  if (head.length > 0 && !value.startsWith(head)) return false;
  if (tail.length > 0 && !value.endsWith(tail)) return false;
  let pos = head.length;
  for (let k = 1; k < last; k++) {
    const s = seg[k]!;
    const at = value.indexOf(s, pos);
    if (at < 0 || at + s.length > limit) return false;
    pos = at + s.length;
  }
  return true;
}

/**
 * The rule-complexity measure of one wildcard pattern: the largest number of positions a matcher for it can be in at
 * once over all inputs, a star counting as its loop and its exit. EventBridge rejects complex rules with "Rule is too
 * complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character";
 * its exact measure is not published, so this one is calibrated on the recorded cases: `*:*:*:*:*:event-bus/*`
 * (13) is rejected, `/Users/*\/dir/dir/dir/dir/dir/doc.txt` (8) is not.
 */
export function wildcardComplexity(w: Wildcard, budget: number): number {
  // tokens: a string per literal character, null per star
  const tokens: (string | null)[] = [];
  w.segments.forEach((s, k) => {
    if (k > 0) tokens.push(null);
    for (const ch of s) tokens.push(ch);
  });
  const n = tokens.length;
  const close = (set: Set<number>): Set<number> => {
    for (let i = 0; i < n; i++) if (set.has(i) && tokens[i] === null) set.add(i + 1);
    return set;
  };
  const alphabet = [...new Set(tokens.filter((t): t is string => t !== null))];
  alphabet.push("\u0000other");
  const start = close(new Set([0]));
  const seen = new Set<string>([key(start)]);
  const queue = [start];
  let max = 0;
  let steps = 0;
  while (queue.length > 0) {
    const s = queue.shift()!;
    if (s.size > max) max = s.size;
    if (max > budget) return max;
    for (const a of alphabet) {
      if (++steps > 20000) return budget + 1; // the search itself is too big: treat as too complex
      const next = new Set<number>();
      for (const i of s) {
        if (i >= n) continue;
        const t = tokens[i];
        if (t === null) next.add(i);
        else if (t === a) next.add(i + 1);
      }
      if (next.size === 0) continue;
      close(next);
      const k = key(next);
      if (!seen.has(k)) {
        seen.add(k);
        queue.push(next);
      }
    }
  }
  return max;
}

function key(s: Set<number>): string {
  return [...s].sort((a, b) => a - b).join(",");
}

/** The largest measure accepted; see wildcardComplexity. */
export const WILDCARD_COMPLEXITY_LIMIT = 12;
