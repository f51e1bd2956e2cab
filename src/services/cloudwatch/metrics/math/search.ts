/**
 * The search expression language of SEARCH('{Namespace,Dim1,...} SearchTerm', 'Stat', Period) ("CloudWatch search
 * expression syntax", CloudWatch user guide): parsing into a schema and a boolean term, and matching one metric.
 *
 * - Schema `{Namespace, DimName, ...}`: the metric is in exactly that namespace and has exactly those dimension names
 *   (`{AWS/EC2}` alone: metrics without dimensions). Names with spaces or other characters are double-quoted.
 * - Terms match the metric name, the namespace, a dimension name or a dimension value; `Prop=term` only the metric
 *   name (MetricName), the namespace (Namespace) or the value of the dimension named Prop.
 * - `"exact"` matches a whole string, case-sensitively; `\` escapes `" \ ( )` inside it.
 * - A partial term matches tokens. Names are cut into tokens at camel-case capitals, at digits and at other
 *   characters (CustomCount1: Custom, Count, 1; plus customcount1, the whole name). A term that is one token matches a
 *   token case-insensitively (count, COUNT); a term of several camel-case tokens must match consecutive tokens with
 *   the same case (CustomCount, Count1; not couNT, count1); parts separated by other characters match consecutive
 *   tokens (network/errors finds Network-Errors-2).
 * - AND (also implicit between terms), OR, NOT and parentheses; the operators are case-sensitive. NOT binds tighter
 *   than AND, AND tighter than OR.
 */

export class SearchSyntaxError extends Error {}

/** The guide's limit on the search string (the first argument of SEARCH). */
export const MAX_SEARCH_LENGTH = 1024;

interface Word {
  w: string;
  /** Compared case-insensitively (a part that is a single token). */
  ci: boolean;
}

export type Term =
  | { t: "and" | "or"; items: Term[] }
  | { t: "not"; arg: Term }
  | { t: "leaf"; prop?: string; exact: boolean; text: string; words: Word[]; full: string };

export interface SearchQuery {
  schema?: { namespace: string; dims: string[] };
  term?: Term;
}

export interface SearchMetric {
  namespace: string;
  name: string;
  dims: { Name: string; Value: string }[];
}

const NON_ALNUM = /[^\p{L}\p{N}]+/gu;
const LOWER = "\\p{Ll}\\p{Lt}\\p{Lm}\\p{Lo}";
/** Camel-case tokens: a run of capitals not followed by a lower-case letter, a word, or a run of digits. */
const WORD = new RegExp(`\\p{Lu}+(?![${LOWER}])|\\p{Lu}?[${LOWER}]+|\\p{N}+`, "gu");

/** The tokens CloudWatch cuts a name into, with their case (CustomCount1: Custom, Count, 1). */
export function searchTokens(s: string): string[] {
  return s.match(WORD) ?? [];
}

function leaf(text: string, exact: boolean, prop?: string): Term {
  const parts = exact ? [] : text.split(NON_ALNUM).filter(Boolean);
  const words = parts.flatMap((p): Word[] => {
    const ws = searchTokens(p);
    return ws.length === 1 ? [{ w: ws[0].toLowerCase(), ci: true }] : ws.map((w) => ({ w, ci: false }));
  });
  return { t: "leaf", prop, exact, text, words, full: parts.join("").toLowerCase() };
}

type Tok = { k: "word" | "quoted"; v: string } | { k: "op"; v: "(" | ")" | "=" };

function unquote(src: string, i: number): { v: string; end: number } {
  let v = "";
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j];
    if (c === "\\" && j + 1 < src.length && `"\\()`.includes(src[j + 1])) {
      v += src[++j];
      continue;
    }
    if (c === '"') return { v, end: j + 1 };
    v += c;
  }
  throw new SearchSyntaxError("Unterminated quoted string in the search expression");
}

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === "=") {
      out.push({ k: "op", v: c });
      i++;
    } else if (c === '"') {
      const q = unquote(src, i);
      out.push({ k: "quoted", v: q.v });
      i = q.end;
    } else {
      let j = i;
      while (j < src.length && !/[\s()="]/.test(src[j])) j++;
      out.push({ k: "word", v: src.slice(i, j) });
      i = j;
    }
  }
  return out;
}

function parseSchema(src: string, i: number): { schema: SearchQuery["schema"]; end: number } {
  const items: string[] = [];
  let cur = "";
  let quoted = false;
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j];
    if (c === '"') {
      if (quoted || cur.trim()) throw new SearchSyntaxError("Unexpected '\"' in a name of the metric schema");
      const q = unquote(src, j);
      cur = q.v;
      quoted = true;
      j = q.end - 1;
    } else if (c === "," || c === "}") {
      const name = quoted ? cur : cur.trim();
      if (!name.trim()) throw new SearchSyntaxError("Empty name in the metric schema");
      items.push(name);
      cur = "";
      quoted = false;
      if (c === "}") return { schema: { namespace: items[0], dims: items.slice(1) }, end: j + 1 };
    } else if (!quoted) cur += c;
    else if (!/\s/.test(c))
      throw new SearchSyntaxError("Unexpected character after a quoted name in the metric schema");
  }
  throw new SearchSyntaxError("The metric schema is missing its closing '}'");
}

/** Parses the first argument of SEARCH. */
export function parseSearch(src: string): SearchQuery {
  if (src.length > MAX_SEARCH_LENGTH)
    throw new SearchSyntaxError(`The search expression must be at most ${MAX_SEARCH_LENGTH} characters long`);
  let i = 0;
  while (i < src.length && /\s/.test(src[i])) i++;
  const q: SearchQuery = {};
  if (src[i] === "{") {
    const s = parseSchema(src, i);
    q.schema = s.schema;
    i = s.end;
    // The guide's examples also write a comma after the schema: {AWS/ECS, ClusterName}, MetricName="CPUUtilization".
    while (i < src.length && /\s/.test(src[i])) i++;
    if (src[i] === ",") i++;
  }
  const toks = lex(src.slice(i));
  let pos = 0;
  const isKw = (v: string) => toks[pos]?.k === "word" && toks[pos].v === v;
  const isOp = (v: string) => toks[pos]?.k === "op" && toks[pos].v === v;
  const startsUnary = () => {
    const t = toks[pos];
    return !!t && (t.k === "quoted" || (t.k === "word" && t.v !== "AND" && t.v !== "OR") || isOp("("));
  };

  const or = (): Term => {
    const items = [and()];
    while (isKw("OR")) {
      pos++;
      items.push(and());
    }
    return items.length === 1 ? items[0] : { t: "or", items };
  };
  const and = (): Term => {
    const items = [unary()];
    for (;;) {
      if (isKw("AND")) {
        pos++;
        items.push(unary());
      } else if (startsUnary()) items.push(unary());
      else break;
    }
    return items.length === 1 ? items[0] : { t: "and", items };
  };
  const unary = (): Term => {
    if (isKw("NOT")) {
      pos++;
      return { t: "not", arg: unary() };
    }
    return primary();
  };
  const value = (): { v: string; exact: boolean } => {
    const t = toks[pos];
    if (!t) throw new SearchSyntaxError("Unexpected end of the search expression");
    if (t.k === "op" || t.v === "AND" || t.v === "OR" || t.v === "NOT")
      throw new SearchSyntaxError(`Unexpected '${t.v}' in the search expression`);
    pos++;
    return { v: t.v, exact: t.k === "quoted" };
  };
  const primary = (): Term => {
    if (isOp("(")) {
      pos++;
      const e = or();
      if (!isOp(")")) throw new SearchSyntaxError("Missing ')' in the search expression");
      pos++;
      return e;
    }
    const first = value();
    if (isOp("=")) {
      pos++;
      const v = value();
      return leaf(v.v, v.exact, first.v);
    }
    return leaf(first.v, first.exact);
  };

  if (pos < toks.length) {
    q.term = or();
    if (pos < toks.length) throw new SearchSyntaxError(`Unexpected '${toks[pos].v}' in the search expression`);
  }
  if (!q.schema && !q.term)
    throw new SearchSyntaxError("The search expression must contain a metric schema, a search term or both");
  return q;
}

/** A metric name the term requires exactly (MetricName="x" at the top or in a top-level AND), to narrow the scan. */
export function requiredMetricName(q: SearchQuery): string | undefined {
  const t = q.term;
  const exactName = (x: Term) => (x.t === "leaf" && x.prop === "MetricName" && x.exact ? x.text : undefined);
  if (!t) return undefined;
  if (t.t === "and") for (const x of t.items) if (exactName(x) !== undefined) return exactName(x);
  return exactName(t);
}

/** A matcher for one search; it caches the tokens of the names it sees (many metrics share them). */
export function searchMatcher(q: SearchQuery): (m: SearchMetric) => boolean {
  const tokens = new Map<string, { words: string[]; full: string }>();
  const tokensOf = (s: string) => {
    let t = tokens.get(s);
    if (!t) tokens.set(s, (t = { words: searchTokens(s), full: s.replace(NON_ALNUM, "").toLowerCase() }));
    return t;
  };
  const partial = (l: Extract<Term, { t: "leaf" }>, s: string): boolean => {
    const t = tokensOf(s);
    if (l.full && l.full === t.full) return true;
    const n = l.words.length;
    if (n === 0) return false;
    for (let i = 0; i + n <= t.words.length; i++) {
      let ok = true;
      for (let k = 0; k < n && ok; k++) {
        const w = l.words[k];
        ok = w.ci ? t.words[i + k].toLowerCase() === w.w : t.words[i + k] === w.w;
      }
      if (ok) return true;
    }
    return false;
  };
  const test = (x: Term, m: SearchMetric): boolean => {
    switch (x.t) {
      case "and":
        return x.items.every((i) => test(i, m));
      case "or":
        return x.items.some((i) => test(i, m));
      case "not":
        return !test(x.arg, m);
      case "leaf": {
        const targets =
          x.prop === undefined
            ? [m.name, m.namespace, ...m.dims.flatMap((d) => [d.Name, d.Value])]
            : x.prop === "MetricName"
              ? [m.name]
              : x.prop === "Namespace"
                ? [m.namespace]
                : m.dims.filter((d) => d.Name === x.prop).map((d) => d.Value);
        return targets.some((s) => (x.exact ? s === x.text : partial(x, s)));
      }
    }
  };
  const schemaDims = q.schema ? [...q.schema.dims].sort() : [];
  return (m) => {
    if (q.schema) {
      if (m.namespace !== q.schema.namespace || m.dims.length !== schemaDims.length) return false;
      const names = m.dims.map((d) => d.Name).sort();
      if (names.some((n, i) => n !== schemaDims[i])) return false;
    }
    return q.term ? test(q.term, m) : true;
  };
}
