/**
 * A byte string every event a filter pattern matches must contain, so that FilterLogEvents can search chunks' raw
 * message bytes (Buffer.indexOf) and decode and match only the candidates. Only plain term patterns qualify: words
 * and "phrases" that must all occur, case-sensitively, as substrings (see src/filter-patterns/PATTERNS.md, section 2).
 * Anything with optional, excluded or regex terms, escapes, or JSON and space-delimited patterns has no needle, and
 * is matched event by event.
 */
const PLAIN_TERMS = /^(?:[ \t\r\n]*(?:"[^"\\]*"|[A-Za-z0-9_]+))*[ \t\r\n]*$/;
const TERM = /"([^"\\]*)"|([A-Za-z0-9_]+)/g;

export function patternNeedle(pattern: string | undefined): Buffer | undefined {
  if (!pattern || /[?%\\{[-]/.test(pattern) || !PLAIN_TERMS.test(pattern)) return undefined;
  let best = "";
  for (const m of pattern.matchAll(TERM)) {
    const text = m[1] ?? m[2]!;
    // A blank phrase constrains nothing.
    if (text.trim() !== "" && Buffer.byteLength(text) > Buffer.byteLength(best)) best = text;
  }
  return best ? Buffer.from(best, "utf8") : undefined;
}
