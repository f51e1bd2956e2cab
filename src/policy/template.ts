/**
 * Policy variables (Version 2012-10-17 only): `${aws:username}` in a Resource or in the value of a string or ARN
 * condition is replaced by the request's value of that key; `${key, 'default'}` supplies a default; `${*}`, `${?}`
 * and `${$}` are a literal star, question mark and dollar. "If the key is not present in the request context, the
 * policy element does not match" (assumption for conditions: the value matches nothing).
 * AWS page: "IAM policy elements: Variables and tags".
 */
import { ANY, STAR, type GlobToken } from "./glob.js";

/** Lower-case context keys to the request's values (absent = undefined). */
export type Context = ReadonlyMap<string, readonly string[] | undefined>;

type Piece = { text: string } | { literal: string } | { key: string; fallback?: string };

export interface Template {
  readonly source: string;
  readonly pieces: readonly Piece[];
}

const VARIABLE = /^\s*([A-Za-z0-9_:/.-]+)\s*(?:,\s*'([^']*)'\s*)?$/;

/** The template of `text`, or undefined when it holds no variable (the common case: compile it directly). */
export function parseTemplate(text: string): Template | undefined {
  if (!text.includes("${")) return undefined;
  const pieces: Piece[] = [];
  let rest = text;
  let found = false;
  for (let at = rest.indexOf("${"); at >= 0; at = rest.indexOf("${")) {
    const end = rest.indexOf("}", at + 2);
    if (end < 0) break;
    const inner = rest.slice(at + 2, end);
    let piece: Piece | undefined;
    if (inner === "*" || inner === "?" || inner === "$") piece = { literal: inner };
    else {
      const m = VARIABLE.exec(inner);
      if (m) piece = { key: m[1]!.toLowerCase(), fallback: m[2] };
    }
    if (!piece) {
      // not a variable: keep the text as written
      pieces.push({ text: rest.slice(0, end + 1) });
    } else {
      if (at > 0) pieces.push({ text: rest.slice(0, at) });
      pieces.push(piece);
      found = true;
    }
    rest = rest.slice(end + 1);
  }
  if (rest) pieces.push({ text: rest });
  return found ? { source: text, pieces } : undefined;
}

function valueOf(p: { key: string; fallback?: string }, ctx: Context): string | undefined {
  const v = ctx.get(p.key);
  // A multivalued key cannot be a variable's value.
  if (v && v.length === 1) return v[0];
  return p.fallback;
}

/** The template as a plain string (wildcards are literal), or undefined when a variable has no value. */
export function expandText(t: Template, ctx: Context): string | undefined {
  let out = "";
  for (const p of t.pieces) {
    if ("text" in p) out += p.text;
    else if ("literal" in p) out += p.literal;
    else {
      const v = valueOf(p, ctx);
      if (v === undefined) return undefined;
      out += v;
    }
  }
  return out;
}

/** The template as glob tokens: `*` and `?` written in the policy are wildcards, those in values are literal. */
export function expandGlob(t: Template, ctx: Context): GlobToken[] | undefined {
  const out: GlobToken[] = [];
  for (const p of t.pieces) {
    if ("text" in p) for (const ch of p.text) out.push(ch === "*" ? STAR : ch === "?" ? ANY : ch);
    else if ("literal" in p) out.push(p.literal);
    else {
      const v = valueOf(p, ctx);
      if (v === undefined) return undefined;
      for (const ch of v) out.push(ch);
    }
  }
  return out;
}
