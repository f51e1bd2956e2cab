/**
 * JSON filter patterns: `{ $.a.b = "x" && ($.n > 5 || $.list[*] = %re%) }`, `IS NULL`, `IS TRUE`, `IS FALSE`,
 * `NOT EXISTS`. AWS page: "Using filter patterns to match terms in JSON log events".
 *
 * Semantics (docs and recorded AWS answers, see PATTERNS.md): a selector must reach a string or number for `=`, `!=`
 * and the relational operators, otherwise the condition is false both ways (a missing field, an array, an object);
 * with a wildcard the condition holds when any selected value satisfies it.
 */
import { invalidCharacter, invalidPattern, LIMITS } from "./errors.js";
import { lexPattern, wordEnd, type CommonToken } from "./lex.js";
import { JsonScanner, Kind, Slot, TrieNode } from "./json-scan.js";
import {
  bareOperand,
  checkOperand,
  compare,
  quotedOperand,
  regexOperand,
  type Operand,
  type Operator,
} from "./values.js";

type Step =
  | { readonly t: "field"; readonly name: string }
  | { readonly t: "index"; readonly index: number }
  | { readonly t: "anyField" }
  | { readonly t: "anyIndex" };

type Expr =
  | { readonly t: "or" | "and"; readonly items: Expr[] }
  | { readonly t: "cmp"; readonly slot: Slot; readonly op: Operator; readonly operand: Operand }
  | { readonly t: "is"; readonly slot: Slot; readonly kind: Kind }
  | { readonly t: "notExists"; readonly slot: Slot };

type SelectorToken = { readonly t: "selector"; readonly steps: Step[]; readonly key: string };
type Token = CommonToken<"(" | ")"> | SelectorToken;

const SELECTOR_END = wordEnd(["(", ")"]);

export interface JsonPattern {
  readonly regexCount: number;
  matches(message: string): boolean;
  extract(message: string): Record<string, string | number | boolean | null> | undefined;
}

const NAME_CHAR = /[A-Za-z0-9_-]/;

/** Compiles the text between the braces of a JSON pattern. */
export function compileJson(body: string): JsonPattern {
  const tokens = lex(body);
  const parser = new Parser(tokens);
  const expr = parser.parse();
  const root = new TrieNode();
  for (const { steps, slot } of parser.selectors.values()) insert(root, steps, slot);
  normalize(root);
  computeResets(root);
  const slots = [...parser.selectors.values()].map((s) => s.slot);
  const scanner = new JsonScanner(root);

  const literals = [...new Set(requiredLiterals(expr, parser))];
  const run = (message: string, hits: Map<Slot, number> | null): boolean => {
    // Cheap necessary condition: the keys and string values the pattern requires appear verbatim, unless the
    // message has escapes (then a key or value may be spelled with \u sequences) and we let the scanner decide.
    for (const lit of literals) if (!message.includes(lit) && !message.includes("\\")) return false;
    for (const slot of slots) slot.reset();
    return scanner.scan(message) && evaluate(expr, hits);
  };
  return {
    regexCount: parser.regexCount,
    matches: (message) => run(message, null),
    extract(message) {
      // With a wildcard, report the value that satisfied the pattern (else the first scalar selected).
      const hits = new Map<Slot, number>();
      if (!run(message, hits)) return undefined;
      const out: Record<string, string | number | boolean | null> = {};
      for (const [key, { slot }] of parser.selectors) {
        const hit = hits.get(slot);
        if (hit !== undefined) {
          out[key] = scalarOf(slot, hit)!;
          continue;
        }
        for (let i = 0; i < slot.length; i++) {
          const v = scalarOf(slot, i);
          if (v !== undefined) {
            out[key] = v;
            break;
          }
        }
      }
      return out;
    },
  };
}

/**
 * Text any matching message must contain verbatim (when it has no backslash): for each condition that must hold,
 * the quoted name of its selector's last property and, for `=` with a text or wildcard operand, that text (the
 * longest wildcard-free piece). Conditions under `||` and `NOT EXISTS` require nothing.
 */
function requiredLiterals(e: Expr, parser: Parser): string[] {
  const raw = (t: string) => t !== "" && !/["\\\u0000-\u001f]/.test(t);
  switch (e.t) {
    case "and":
      return e.items.flatMap((item) => requiredLiterals(item, parser));
    case "cmp":
    case "is": {
      const out: string[] = [];
      const steps = parser.stepsOf(e.slot);
      for (let i = steps.length - 1; i >= 0; i--) {
        const step = steps[i]!;
        if (step.t === "field") {
          if (raw(step.name)) out.push(`"${step.name}"`);
          break;
        }
      }
      if (e.t === "cmp" && e.op === "=") {
        const o = e.operand;
        if (o.kind === "text" && raw(o.text)) out.push(o.text);
        if (o.kind === "glob") {
          const piece = o.text.split("*").reduce((a, b) => (b.length > a.length ? b : a), "");
          if (raw(piece)) out.push(piece);
        }
      }
      return out;
    }
    default:
      return [];
  }
}

function scalarOf(slot: Slot, i: number): string | number | boolean | null | undefined {
  switch (slot.kinds[i]) {
    case Kind.String:
      return slot.texts[i];
    case Kind.Number:
      return slot.nums[i];
    case Kind.True:
      return true;
    case Kind.False:
      return false;
    case Kind.Null:
      return null;
    default:
      return undefined;
  }
}

function evaluate(e: Expr, hits: Map<Slot, number> | null): boolean {
  switch (e.t) {
    case "or":
      for (const item of e.items) if (evaluate(item, hits)) return true;
      return false;
    case "and":
      for (const item of e.items) if (!evaluate(item, hits)) return false;
      return true;
    case "cmp": {
      const { slot, op, operand } = e;
      for (let i = 0; i < slot.length; i++) {
        const kind = slot.kinds[i];
        if (kind !== Kind.String && kind !== Kind.Number) continue;
        if (compare(op, operand, slot.texts[i]!, slot.nums[i]!)) {
          if (hits !== null && !hits.has(slot)) hits.set(slot, i);
          return true;
        }
      }
      return false;
    }
    case "is":
      for (let i = 0; i < e.slot.length; i++) {
        if (e.slot.kinds[i] === e.kind) {
          if (hits !== null && !hits.has(e.slot)) hits.set(e.slot, i);
          return true;
        }
      }
      return false;
    case "notExists":
      return e.slot.length === 0;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Lexer

function lex(src: string): Token[] {
  return lexPattern<"(" | ")", SelectorToken>(src, ["(", ")"], (text, i, out) => {
    if (text[i] !== "$") return undefined;
    const { steps, key, end } = lexSelector(text, i);
    out.push({ t: "selector", steps, key });
    return end;
  });
}

/**
 * `$.a.b`, `$.a[0]`, `$.a[*]`, `$.*`, `$.['key.with.dots']`. Property names are letters, digits, `-` and `_`; an
 * index must follow a property. AWS reports a bad character with the selector up to it: `$."x"` -> `'$."'`.
 */
function lexSelector(src: string, start: number): { steps: Step[]; key: string; end: number } {
  const steps: Step[] = [];
  let i = start + 1;
  const bad = (at: number): never => {
    throw invalidCharacter(src.slice(start, at + 1));
  };
  for (;;) {
    const ch = src[i];
    if (ch === undefined || SELECTOR_END.has(ch)) break;
    if (ch === ".") {
      i++;
      if (src[i] === "*") {
        steps.push({ t: "anyField" });
        i++;
      } else if (src[i] === "[" && src[i + 1] === "'") {
        i = bracketKey(src, i, steps, bad);
      } else {
        const from = i;
        while (i < src.length && NAME_CHAR.test(src[i]!)) i++;
        if (i === from) bad(i);
        steps.push({ t: "field", name: src.slice(from, i) });
      }
    } else if (ch === "[") {
      if (src[i + 1] === "'") {
        i = bracketKey(src, i, steps, bad);
        continue;
      }
      if (steps.length === 0) bad(i); // "Array elements ... must follow a property."
      const close = src.indexOf("]", i);
      if (close < 0) bad(i);
      const inner = src.slice(i + 1, close);
      if (inner === "*") steps.push({ t: "anyIndex" });
      else if (/^\d{1,9}$/.test(inner)) steps.push({ t: "index", index: Number(inner) });
      else bad(i + 1);
      i = close + 1;
    } else {
      bad(i);
    }
    if (steps.length > LIMITS.selectorSteps) throw invalidPattern();
  }
  if (steps.length === 0) throw invalidPattern();
  const wildcards = steps.filter((s) => s.t === "anyField" || s.t === "anyIndex").length;
  if (wildcards > LIMITS.wildcardsPerSelector) throw invalidPattern();
  return { steps, key: canonical(steps), end: i };
}

function bracketKey(src: string, i: number, steps: Step[], bad: (at: number) => never): number {
  const close = src.indexOf("']", i + 2);
  if (close < 0) bad(i);
  const name = src.slice(i + 2, close);
  if (name === "") bad(i + 2);
  steps.push({ t: "field", name });
  return close + 2;
}

function canonical(steps: Step[]): string {
  let out = "$";
  for (const s of steps) {
    if (s.t === "field") out += /^[A-Za-z0-9_-]+$/.test(s.name) ? `.${s.name}` : `.['${s.name}']`;
    else if (s.t === "index") out += `[${s.index}]`;
    else out += s.t === "anyField" ? ".*" : "[*]";
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Parser: or := and ('||' and)*; and := primary ('&&' primary)*; primary := '(' or ')' | condition.
// Precedence as documented: () > && > ||.

class Parser {
  private pos = 0;
  private depth = 0;
  private conditions = 0;
  private wildcardSelectors = 0;
  regexCount = 0;
  readonly selectors = new Map<string, { steps: Step[]; slot: Slot }>();

  constructor(private readonly tokens: Token[]) {}

  parse(): Expr {
    if (this.tokens.length === 0) throw invalidPattern();
    const e = this.or();
    if (this.pos !== this.tokens.length) throw this.unexpected();
    return e;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private unexpected(): Error {
    const tok = this.peek();
    if (tok?.t === "quoted" || tok?.t === "regex") return invalidCharacter(tok.written);
    return invalidPattern();
  }

  private or(): Expr {
    const items = [this.and()];
    while (this.peek()?.t === "||") {
      this.pos++;
      items.push(this.and());
    }
    return items.length === 1 ? items[0]! : { t: "or", items };
  }

  private and(): Expr {
    const items = [this.primary()];
    while (this.peek()?.t === "&&") {
      this.pos++;
      items.push(this.primary());
    }
    return items.length === 1 ? items[0]! : { t: "and", items };
  }

  private primary(): Expr {
    const tok = this.peek();
    if (tok?.t === "(") {
      if (++this.depth > LIMITS.nesting) throw invalidPattern();
      this.pos++;
      const e = this.or();
      if (this.peek()?.t !== ")") throw this.unexpected();
      this.pos++;
      this.depth--;
      return e;
    }
    if (tok?.t !== "selector") throw this.unexpected();
    this.pos++;
    if (++this.conditions > LIMITS.items) throw invalidPattern();
    const slot = this.slotFor(tok);
    const next = this.peek();
    if (next?.t === "op") {
      this.pos++;
      const value = this.peek();
      this.pos++;
      let operand: Operand;
      let written: string;
      if (value?.t === "word") {
        operand = bareOperand(value.text);
        written = value.text;
      } else if (value?.t === "quoted") {
        operand = quotedOperand(value.text);
        written = value.written;
      } else if (value?.t === "regex") {
        if (++this.regexCount > LIMITS.regexes) throw invalidPattern();
        operand = regexOperand(value.body);
        written = value.written;
      } else {
        throw invalidPattern();
      }
      checkOperand(next.op, operand, written);
      return { t: "cmp", slot, op: next.op, operand };
    }
    if (next?.t === "word") {
      const kw = next.text.toUpperCase();
      const arg = this.tokens[this.pos + 1];
      const argKw = arg?.t === "word" ? arg.text.toUpperCase() : "";
      this.pos += 2;
      if (kw === "IS" && argKw === "NULL") return { t: "is", slot, kind: Kind.Null };
      if (kw === "IS" && argKw === "TRUE") return { t: "is", slot, kind: Kind.True };
      if (kw === "IS" && argKw === "FALSE") return { t: "is", slot, kind: Kind.False };
      // "The variables IS NOT and EXISTS currently aren't supported."
      if (kw === "NOT" && argKw === "EXISTS") return { t: "notExists", slot };
    }
    throw invalidPattern();
  }

  stepsOf(slot: Slot): Step[] {
    for (const entry of this.selectors.values()) if (entry.slot === slot) return entry.steps;
    return [];
  }

  private slotFor(tok: { steps: Step[]; key: string }): Slot {
    if (tok.steps.some((s) => s.t === "anyField" || s.t === "anyIndex")) {
      if (++this.wildcardSelectors > LIMITS.wildcardSelectors) throw invalidPattern();
    }
    let entry = this.selectors.get(tok.key);
    if (!entry) {
      const multi = tok.steps.some((s) => s.t === "anyField" || s.t === "anyIndex");
      entry = { steps: tok.steps, slot: new Slot(multi) };
      this.selectors.set(tok.key, entry);
    }
    return entry.slot;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Selector trie

function insert(root: TrieNode, steps: Step[], slot: Slot): void {
  let node = root;
  for (const s of steps) {
    let next: TrieNode | null | undefined;
    if (s.t === "field") {
      node.fields ??= new Map();
      next = node.fields.get(s.name);
      if (!next) node.fields.set(s.name, (next = new TrieNode()));
    } else if (s.t === "index") {
      node.indexes ??= new Map();
      next = node.indexes.get(s.index);
      if (!next) node.indexes.set(s.index, (next = new TrieNode()));
    } else if (s.t === "anyField") {
      next = node.anyField ??= new TrieNode();
    } else {
      next = node.anyIndex ??= new TrieNode();
    }
    node = next;
  }
  node.slots.push(slot);
}

/** Folds each wildcard child into its specific siblings, so a key or index leads to exactly one node. */
function normalize(node: TrieNode): void {
  if (node.anyField && node.fields) {
    for (const [k, child] of node.fields) node.fields.set(k, merge(child, node.anyField));
  }
  if (node.anyIndex && node.indexes) {
    for (const [k, child] of node.indexes) node.indexes.set(k, merge(child, node.anyIndex));
  }
  for (const child of children(node)) normalize(child);
}

function merge(a: TrieNode, b: TrieNode): TrieNode {
  const m = new TrieNode();
  m.slots = [...new Set([...a.slots, ...b.slots])];
  m.fields = mergeMaps(a.fields, b.fields);
  m.indexes = mergeMaps(a.indexes, b.indexes);
  m.anyField = a.anyField && b.anyField ? merge(a.anyField, b.anyField) : (a.anyField ?? b.anyField);
  m.anyIndex = a.anyIndex && b.anyIndex ? merge(a.anyIndex, b.anyIndex) : (a.anyIndex ?? b.anyIndex);
  return m;
}

function mergeMaps<K>(a: Map<K, TrieNode> | null, b: Map<K, TrieNode> | null): Map<K, TrieNode> | null {
  if (!a || !b) return a ? new Map(a) : b ? new Map(b) : null;
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, out.has(k) ? merge(out.get(k)!, v) : v);
  return out;
}

function children(node: TrieNode): TrieNode[] {
  const out: TrieNode[] = [];
  if (node.fields) out.push(...node.fields.values());
  if (node.indexes) out.push(...node.indexes.values());
  if (node.anyField) out.push(node.anyField);
  if (node.anyIndex) out.push(node.anyIndex);
  return out;
}

function computeResets(node: TrieNode): Set<Slot> {
  const all = new Set<Slot>(node.slots.filter((s) => !s.multi));
  for (const child of children(node)) for (const s of computeResets(child)) all.add(s);
  node.resets = [...all];
  return all;
}
