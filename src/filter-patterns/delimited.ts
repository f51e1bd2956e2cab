/**
 * Space-delimited patterns: `[ip, user, ..., status = 4* || status = 5*, bytes > 1000]`. AWS page: "Using filter
 * patterns to match terms in space-delimited log events".
 *
 * A log line splits on whitespace; text between `"..."` or `[...]` is one field (without the delimiters). Fields
 * bind to the pattern's fields in order; `...` stands for any number of fields. Without a trailing `...`, a line with
 * more fields than the pattern gives the rest of the line to the last field: that is why AWS says "include a blank
 * w2 indicator" after `w1=ERROR` to match lines whose first word is ERROR.
 */
import { invalidCharacter, invalidPattern, LIMITS } from "./errors.js";
import { lexPattern, type CommonToken } from "./lex.js";
import {
  bareOperand,
  checkOperand,
  compare,
  NUMBER_LITERAL,
  quotedOperand,
  regexOperand,
  type Operand,
} from "./values.js";

type Test = (text: string, num: number) => boolean;

interface PatternField {
  /** null for a field written empty (`[a, , b]` or a trailing comma). */
  readonly name: string | null;
  readonly test: Test | null;
}

type Token = CommonToken<",">;

export interface DelimitedPattern {
  readonly regexCount: number;
  matches(message: string): boolean;
  extract(message: string): Record<string, string> | undefined;
}

const NAME = /^[A-Za-z0-9_]+$/;

/** Compiles the text between the brackets of a space-delimited pattern. */
export function compileDelimited(body: string): DelimitedPattern {
  const tokens = lex(body);
  const groups: Token[][] = [[]];
  for (const tok of tokens) {
    if (tok.t === ",") groups.push([]);
    else groups[groups.length - 1]!.push(tok);
  }
  let regexCount = 0;
  const segments: PatternField[][] = [[]];
  // `[]` declares no field at all (AWS accepts it): it constrains nothing.
  if (!(groups.length === 1 && groups[0]!.length === 0)) {
    if (groups.length > LIMITS.items) throw invalidPattern();
    for (const group of groups) {
      if (group.length === 1 && group[0]!.t === "word" && group[0]!.text === "...") {
        segments.push([]);
        continue;
      }
      const field = parseField(group, () => {
        if (++regexCount > LIMITS.regexes) throw invalidPattern();
      });
      segments[segments.length - 1]!.push(field);
    }
  }
  const matcher = new Matcher(segments);
  return {
    regexCount,
    matches: (message) => matcher.bind(message),
    extract: (message) => (matcher.bind(message) ? matcher.extracted() : undefined),
  };
}

function lex(src: string): Token[] {
  return lexPattern(src, [","]);
}

/**
 * One field: empty, a name, or conditions on that name joined by `&&` (binding tighter) and `||`. Every condition
 * names the field itself: `[..., status = 4* && bytes > 1000]` is invalid (AWS answers "Invalid filter pattern").
 */
function parseField(tokens: Token[], onRegex: () => void): PatternField {
  if (tokens.length === 0) return { name: null, test: null };
  const first = tokens[0]!;
  if (first.t !== "word") throw unexpected(first);
  if (!NAME.test(first.text)) throw invalidPattern();
  const name = first.text;
  if (tokens.length === 1) return { name, test: null };
  let pos = 0;
  const condition = (): Test => {
    const field = tokens[pos++];
    const op = tokens[pos++];
    const value = tokens[pos++];
    if (field?.t !== "word" || field.text !== name || op?.t !== "op" || value === undefined) {
      throw unexpected(field ?? first);
    }
    let operand: Operand;
    let written: string;
    if (value.t === "word") {
      operand = bareOperand(value.text);
      written = value.text;
    } else if (value.t === "quoted") {
      operand = quotedOperand(value.text);
      written = value.written;
    } else if (value.t === "regex") {
      onRegex();
      operand = regexOperand(value.body);
      written = value.written;
    } else {
      throw invalidPattern();
    }
    checkOperand(op.op, operand, written);
    const o = op.op;
    return (text, num) => compare(o, operand, text, num);
  };
  const and = (): Test => {
    const items = [condition()];
    while (tokens[pos]?.t === "&&") {
      pos++;
      items.push(condition());
    }
    return items.length === 1 ? items[0]! : (text, num) => items.every((t) => t(text, num));
  };
  const items = [and()];
  while (tokens[pos]?.t === "||") {
    pos++;
    items.push(and());
  }
  if (pos !== tokens.length) throw unexpected(tokens[pos]!);
  const test: Test = items.length === 1 ? items[0]! : (text, num) => items.some((t) => t(text, num));
  return { name, test };
}

const unexpected = (tok: Token): Error =>
  tok.t === "quoted" || tok.t === "regex" ? invalidCharacter(tok.written) : invalidPattern();

const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** Splits lines and binds their fields; keeps its buffers between messages (matching is synchronous). */
class Matcher {
  private readonly values: string[] = [];
  private readonly starts: number[] = [];
  private count = 0;
  /** Message field index bound to each pattern field, in pattern order (ellipses excluded). */
  private readonly at: number[] = [];
  private absorbed: string | null = null;
  private readonly fields: PatternField[];
  private readonly fixed: number;

  constructor(private readonly segments: PatternField[][]) {
    this.fields = segments.flat();
    this.fixed = this.fields.length;
  }

  private split(message: string): void {
    const n = message.length;
    let count = 0;
    let i = 0;
    for (;;) {
      while (i < n && isWs(message.charCodeAt(i))) i++;
      if (i >= n) break;
      const start = i;
      const c = message.charCodeAt(i);
      let value: string;
      if (c === 0x22 || c === 0x5b) {
        const close = message.indexOf(c === 0x22 ? '"' : "]", i + 1);
        const end = close < 0 ? n : close;
        value = message.slice(i + 1, end);
        i = close < 0 ? n : close + 1;
        // Text glued to the closing delimiter stays in the same field.
        const from = i;
        while (i < n && !isWs(message.charCodeAt(i))) i++;
        if (i > from) value += message.slice(from, i);
      } else {
        while (i < n && !isWs(message.charCodeAt(i))) i++;
        value = message.slice(start, i);
      }
      this.values[count] = value;
      this.starts[count] = start;
      count++;
    }
    this.count = count;
  }

  private test(field: PatternField, text: string): boolean {
    if (field.test === null) return true;
    return field.test(text, NUMBER_LITERAL.test(text) ? Number(text) : NaN);
  }

  /** Whether `seg` matches the message fields starting at `from`; records the binding. */
  private segmentAt(seg: PatternField[], offset: number, from: number): boolean {
    for (let k = 0; k < seg.length; k++) {
      if (!this.test(seg[k]!, this.values[from + k]!)) return false;
      this.at[offset + k] = from + k;
    }
    return true;
  }

  bind(message: string): boolean {
    this.split(message);
    this.absorbed = null;
    if (this.fixed === 0) return true;
    const m = this.count;
    const segs = this.segments;
    if (segs.length === 1) {
      const seg = segs[0]!;
      const n = seg.length;
      if (m < n) return false;
      for (let k = 0; k < n - 1; k++) {
        if (!this.test(seg[k]!, this.values[k]!)) return false;
        this.at[k] = k;
      }
      const last = seg[n - 1]!;
      const text = m === n ? this.values[n - 1]! : message.slice(this.starts[n - 1]).trimEnd();
      if (!this.test(last, text)) return false;
      this.at[n - 1] = n - 1;
      if (m > n) this.absorbed = text;
      return true;
    }
    if (m < this.fixed) return false;
    const head = segs[0]!;
    const tail = segs[segs.length - 1]!;
    if (!this.segmentAt(head, 0, 0)) return false;
    if (!this.segmentAt(tail, this.fixed - tail.length, m - tail.length)) return false;
    // Middle segments: leftmost placement is complete for fixed-length segments separated by `...`.
    let pos = head.length;
    let offset = head.length;
    const limit = m - tail.length;
    for (let s = 1; s < segs.length - 1; s++) {
      const seg = segs[s]!;
      let placed = false;
      for (let p = pos; p + seg.length <= limit; p++) {
        if (this.segmentAt(seg, offset, p)) {
          pos = p + seg.length;
          placed = true;
          break;
        }
      }
      if (!placed) return false;
      offset += seg.length;
    }
    return true;
  }

  /** After a successful bind: `$name` for named fields, `$<position>` (1-based) for every other field of the line. */
  extracted(): Record<string, string> {
    const out: Record<string, string> = {};
    const named = new Set<number>();
    const fields = this.fields;
    for (let k = 0; k < fields.length; k++) {
      const idx = this.at[k]!;
      const absorbed = this.absorbed !== null && k === fields.length - 1;
      const value = absorbed ? this.absorbed! : this.values[idx]!;
      const f = fields[k]!;
      if (f.name !== null) {
        out[`$${f.name}`] = value;
        named.add(idx);
        if (absorbed) for (let j = idx + 1; j < this.count; j++) named.add(j);
      } else if (absorbed) {
        out[`$${idx + 1}`] = value;
        for (let j = idx; j < this.count; j++) named.add(j);
      }
    }
    for (let j = 0; j < this.count; j++) if (!named.has(j)) out[`$${j + 1}`] = this.values[j]!;
    return out;
  }
}
