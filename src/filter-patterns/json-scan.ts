/**
 * A single-pass JSON reader for JSON filter patterns: it validates the whole message as JSON (RFC 8259, like
 * JSON.parse) but materializes only the values the pattern's selectors point at, keeping each number's source text
 * (AWS compares `"12"` with `12.0` as text and finds them different). Subtrees no selector enters are skipped
 * iteratively, so nesting depth never grows the call stack; recursion follows the selector trie only.
 */

/** What a selector found: kinds of JSON values. */
export const enum Kind {
  String = 0,
  Number = 1,
  True = 2,
  False = 3,
  Null = 4,
  Array = 5,
  Object = 6,
}

/** The values one selector captured in the current message (several when the selector has a wildcard). */
export class Slot {
  kinds: Kind[] = [];
  texts: string[] = [];
  nums: number[] = [];
  length = 0;

  constructor(readonly multi: boolean) {}

  /** Empties the slot for a new message, dropping buffers a huge array left behind. */
  reset(): void {
    this.length = 0;
    if (this.kinds.length > 1024) {
      this.kinds = [];
      this.texts = [];
      this.nums = [];
    }
  }

  push(kind: Kind, text: string, num: number): void {
    if (!this.multi) this.length = 0; // a repeated key: the last one wins, as in JSON.parse
    const i = this.length++;
    this.kinds[i] = kind;
    this.texts[i] = text;
    this.nums[i] = num;
  }
}

/** One step of the selector trie. Wildcard children are already merged into the specific ones at compile time. */
export class TrieNode {
  slots: Slot[] = [];
  fields: Map<string, TrieNode> | null = null;
  indexes: Map<number, TrieNode> | null = null;
  anyField: TrieNode | null = null;
  anyIndex: TrieNode | null = null;
  /** Single-valued slots below (and at) this node, cleared when a repeated key enters the node again. */
  resets: Slot[] = [];
}

const enum Ctx {
  Object = 0,
  Array = 1,
}

const isWs = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Reads one message against a trie; not re-entrant (patterns match synchronously), so it keeps its buffers. */
export class JsonScanner {
  private s = "";
  private i = 0;
  private readonly stack: Ctx[] = [];

  constructor(private readonly root: TrieNode) {}

  /** False when the message is not a JSON object. Captured values are left in the trie's slots. */
  scan(message: string): boolean {
    this.s = message;
    this.i = 0;
    this.ws();
    if (message.charCodeAt(this.i) !== 0x7b) return false;
    if (!this.value(this.root)) return false;
    this.ws();
    return this.i === message.length;
  }

  private ws(): void {
    const s = this.s;
    while (this.i < s.length && isWs(s.charCodeAt(this.i))) this.i++;
  }

  /** Reads a value at a trie node, capturing it into the node's slots. */
  private value(node: TrieNode): boolean {
    this.ws();
    const s = this.s;
    const c = s.charCodeAt(this.i);
    if (c === 0x7b) return this.object(node);
    if (c === 0x5b) return this.array(node);
    if (c === 0x22) {
      const start = this.i;
      if (node.slots.length === 0) return this.skipString();
      const text = this.readString();
      if (text === undefined) return false;
      for (const slot of node.slots) slot.push(Kind.String, text, NaN);
      return this.i > start;
    }
    const start = this.i;
    const kind = this.scalar();
    if (kind === undefined) return false;
    if (node.slots.length > 0) {
      const text = s.slice(start, this.i);
      const num = kind === Kind.Number ? Number(text) : NaN;
      for (const slot of node.slots) slot.push(kind, text, num);
    }
    return true;
  }

  private object(node: TrieNode): boolean {
    for (const slot of node.slots) slot.push(Kind.Object, "", NaN);
    const s = this.s;
    this.i++;
    this.ws();
    if (s.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return true;
    }
    const wantKeys = node.fields !== null || node.anyField !== null;
    for (;;) {
      this.ws();
      if (s.charCodeAt(this.i) !== 0x22) return false;
      let child: TrieNode | null = null;
      if (wantKeys) {
        const key = this.readString();
        if (key === undefined) return false;
        child = node.fields?.get(key) ?? node.anyField;
      } else if (!this.skipString()) return false;
      this.ws();
      if (s.charCodeAt(this.i) !== 0x3a) return false;
      this.i++;
      if (child !== null) {
        for (const slot of child.resets) slot.length = 0;
        if (!this.value(child)) return false;
      } else if (!this.skipValue()) return false;
      this.ws();
      const c = s.charCodeAt(this.i++);
      if (c === 0x7d) return true;
      if (c !== 0x2c) return false;
    }
  }

  private array(node: TrieNode): boolean {
    for (const slot of node.slots) slot.push(Kind.Array, "", NaN);
    const s = this.s;
    this.i++;
    this.ws();
    if (s.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return true;
    }
    const wantItems = node.indexes !== null || node.anyIndex !== null;
    for (let index = 0; ; index++) {
      const child = wantItems ? (node.indexes?.get(index) ?? node.anyIndex) : null;
      if (child !== null ? !this.value(child) : !this.skipValue()) return false;
      this.ws();
      const c = s.charCodeAt(this.i++);
      if (c === 0x5d) return true;
      if (c !== 0x2c) return false;
    }
  }

  /** Skips any value without allocating, validating it; containers are tracked on an explicit stack. */
  private skipValue(): boolean {
    const s = this.s;
    const stack = this.stack;
    stack.length = 0;
    for (;;) {
      // A value starts here.
      this.ws();
      const c = s.charCodeAt(this.i);
      if (c === 0x7b || c === 0x5b) {
        this.i++;
        this.ws();
        const close = c === 0x7b ? 0x7d : 0x5d;
        if (s.charCodeAt(this.i) === close) {
          this.i++;
        } else {
          stack.push(c === 0x7b ? Ctx.Object : Ctx.Array);
          if (c === 0x7b && !this.skipKey()) return false;
          continue;
        }
      } else if (c === 0x22) {
        if (!this.skipString()) return false;
      } else if (this.scalar() === undefined) {
        return false;
      }
      // After a value: close containers or move to the next member.
      for (;;) {
        if (stack.length === 0) return true;
        this.ws();
        const d = s.charCodeAt(this.i++);
        const top = stack[stack.length - 1];
        if (d === 0x2c) {
          if (top === Ctx.Object && !this.skipKey()) return false;
          break;
        }
        if ((top === Ctx.Object && d === 0x7d) || (top === Ctx.Array && d === 0x5d)) {
          stack.pop();
          continue;
        }
        return false;
      }
    }
  }

  private skipKey(): boolean {
    this.ws();
    if (this.s.charCodeAt(this.i) !== 0x22 || !this.skipString()) return false;
    this.ws();
    return this.s.charCodeAt(this.i++) === 0x3a;
  }

  /** true, false, null or a number; returns its kind and leaves `i` after it. */
  private scalar(): Kind | undefined {
    const s = this.s;
    const c = s.charCodeAt(this.i);
    if (c === 0x74) return s.startsWith("true", this.i) ? ((this.i += 4), Kind.True) : undefined;
    if (c === 0x66) return s.startsWith("false", this.i) ? ((this.i += 5), Kind.False) : undefined;
    if (c === 0x6e) return s.startsWith("null", this.i) ? ((this.i += 4), Kind.Null) : undefined;
    // number: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
    let i = this.i;
    if (s.charCodeAt(i) === 0x2d) i++;
    const first = s.charCodeAt(i);
    if (first === 0x30) i++;
    else if (first >= 0x31 && first <= 0x39) while (isDigit(s.charCodeAt(i))) i++;
    else return undefined;
    if (s.charCodeAt(i) === 0x2e) {
      i++;
      if (!isDigit(s.charCodeAt(i))) return undefined;
      while (isDigit(s.charCodeAt(i))) i++;
    }
    const e = s.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sign = s.charCodeAt(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      if (!isDigit(s.charCodeAt(i))) return undefined;
      while (isDigit(s.charCodeAt(i))) i++;
    }
    this.i = i;
    return Kind.Number;
  }

  private skipString(): boolean {
    const s = this.s;
    let i = this.i + 1;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        this.i = i + 1;
        return true;
      }
      if (c === 0x5c) {
        const e = s.charCodeAt(i + 1);
        if (e === 0x75) {
          if (!isHex4(s, i + 2)) return false;
          i += 6;
        } else if (isSimpleEscape(e)) i += 2;
        else return false;
        continue;
      }
      if (!(c >= 0x20)) return false; // control character or end of input (NaN)
      i++;
    }
  }

  private readString(): string | undefined {
    const s = this.s;
    const start = this.i + 1;
    // Fast path: no escapes.
    let i = start;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        this.i = i + 1;
        return s.slice(start, i);
      }
      if (c === 0x5c) break;
      if (!(c >= 0x20)) return undefined;
      i++;
    }
    let out = s.slice(start, i);
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        this.i = i + 1;
        return out;
      }
      if (c === 0x5c) {
        const e = s.charCodeAt(i + 1);
        if (e === 0x75) {
          if (!isHex4(s, i + 2)) return undefined;
          out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        const decoded = ESCAPES[e];
        if (decoded === undefined) return undefined;
        out += decoded;
        i += 2;
        continue;
      }
      if (!(c >= 0x20)) return undefined;
      out += s[i];
      i++;
    }
  }
}

const ESCAPES: Record<number, string> = {
  0x22: '"',
  0x5c: "\\",
  0x2f: "/",
  0x62: "\b",
  0x66: "\f",
  0x6e: "\n",
  0x72: "\r",
  0x74: "\t",
};
const isSimpleEscape = (e: number): boolean => ESCAPES[e] !== undefined;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHexDigit = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const isHex4 = (s: string, i: number): boolean =>
  isHexDigit(s.charCodeAt(i)) &&
  isHexDigit(s.charCodeAt(i + 1)) &&
  isHexDigit(s.charCodeAt(i + 2)) &&
  isHexDigit(s.charCodeAt(i + 3));
