/**
 * The lexer JSON and space-delimited patterns share: operators, `&&` / `||`, quoted strings (with \" and \\),
 * `%regex%` and bare words. Each kind adds its own one-character punctuation (`(` `)` for JSON, `,` for
 * space-delimited) and may lex what only it has (`$` selectors) through `extra`.
 */
import { invalidCharacter, invalidPattern, LIMITS } from "./errors.js";
import type { Operator } from "./values.js";

export type CommonToken<P extends string> =
  | { readonly t: P | "&&" | "||" }
  | { readonly t: "op"; readonly op: Operator }
  | { readonly t: "quoted"; readonly text: string; readonly written: string }
  | { readonly t: "regex"; readonly body: string; readonly written: string }
  | { readonly t: "word"; readonly text: string };

const WORD_CHAR = /[A-Za-z0-9_.*+\-:/]/;
const WORD_END = [" ", "\t", "\n", "\r", "=", "!", "<", ">", "&", "|", '"', "%"];

/** The characters that end a bare word (or a selector) in a pattern kind with this punctuation. */
export const wordEnd = (punctuation: readonly string[]): ReadonlySet<string> => new Set([...WORD_END, ...punctuation]);

/**
 * Tokens of `src`. `extra(src, i, out)` handles a character only its kind knows: it pushes its token and returns the
 * next index, or returns undefined to let the common rules apply.
 */
export function lexPattern<P extends string, X = never>(
  src: string,
  punctuation: readonly P[],
  extra?: (src: string, i: number, out: (CommonToken<P> | X)[]) => number | undefined,
): (CommonToken<P> | X)[] {
  const out: (CommonToken<P> | X)[] = [];
  const ends = wordEnd(punctuation);
  let i = 0;
  const n = src.length;
  while (i < n) {
    const ch = src[i]!;
    const next = extra?.(src, i, out);
    if (next !== undefined) {
      i = next;
    } else if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i++;
    } else if ((punctuation as readonly string[]).includes(ch)) {
      out.push({ t: ch as P });
      i++;
    } else if (ch === "&" || ch === "|") {
      if (src[i + 1] !== ch) throw invalidCharacter(ch);
      out.push({ t: ch === "&" ? "&&" : "||" });
      i += 2;
    } else if (ch === "=" || ch === "!" || ch === "<" || ch === ">") {
      if (ch === "!" && src[i + 1] !== "=") throw invalidCharacter(ch);
      const two = src[i + 1] === "=" && ch !== "=";
      out.push({ t: "op", op: (two ? ch + "=" : ch) as Operator });
      i += two ? 2 : 1;
    } else if (ch === '"') {
      let text = "";
      let j = i + 1;
      for (;;) {
        if (j >= n) throw invalidPattern();
        const c = src[j]!;
        if (c === '"') break;
        if (c === "\\" && (src[j + 1] === '"' || src[j + 1] === "\\")) {
          text += src[j + 1];
          j += 2;
        } else {
          text += c;
          j++;
        }
      }
      out.push({ t: "quoted", text, written: src.slice(i, j + 1) });
      i = j + 1;
    } else if (ch === "%") {
      const end = src.indexOf("%", i + 1);
      if (end < 0) throw invalidPattern();
      out.push({ t: "regex", body: src.slice(i + 1, end), written: src.slice(i, end + 1) });
      i = end + 1;
    } else {
      const start = i;
      while (i < n && !ends.has(src[i]!)) {
        if (!WORD_CHAR.test(src[i]!)) throw invalidCharacter(src[i]!);
        i++;
      }
      out.push({ t: "word", text: src.slice(start, i) });
    }
    if (out.length > LIMITS.items * 4) throw invalidPattern();
  }
  return out;
}
