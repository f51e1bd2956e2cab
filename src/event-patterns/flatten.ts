/**
 * Flattens an event into (path, value) pairs, reading only the parts of the event some rule tests (the path trie),
 * from a parsed object or straight from JSON bytes. Paths join keys with "." (so the key "a.b" and the nested a → b
 * are the same path, as in EventBridge); an array contributes each element at the array's own path. Each value carries
 * its array frame — which element of which array it sits in — for array-consistent matching (match.ts).
 */
import type { PathIndex, PathNode } from "./compile.js";

/** Membership of a value in an element of an array (event-ruler's ArrayMembership, as a chain to the root). */
export class Frame {
  readonly depth: number;
  constructor(
    readonly array: number,
    readonly index: number,
    readonly parent: Frame | null,
  ) {
    this.depth = parent ? parent.depth + 1 : 0;
  }
}

/**
 * Two values are array-consistent unless they sit in different elements of the same array. Frames form a tree, so
 * it is enough to look at the top-most pair of frames where the two chains part.
 */
export function consistent(a: Frame | null, b: Frame | null): boolean {
  while (a !== null && b !== null) {
    if (a === b) return true;
    if (a.depth > b.depth) a = a.parent;
    else if (b.depth > a.depth) b = b.parent;
    else {
      if (a.parent === b.parent) return a.array !== b.array;
      a = a.parent;
      b = b.parent;
    }
  }
  return true;
}

export const enum Kind {
  String = 0,
  Number = 1,
  True = 2,
  False = 3,
  Null = 4,
}

export interface Sink {
  value(pi: PathIndex, kind: Kind, s: string, n: number, frame: Frame | null): void;
  nextArrayId(): number;
}

/** Events nest at most this deep (Jackson's default limit); deeper parts are not read. */
export const MAX_EVENT_DEPTH = 1000;

// ---------------------------------------------------------------------------------------------------------------
// From a JavaScript value

export function flattenObject(event: unknown, root: PathNode, sink: Sink): void {
  if (event === null || typeof event !== "object" || Array.isArray(event)) return;
  walkObject(event as Record<string, unknown>, root, null, sink, 0);
}

function walkObject(
  obj: Record<string, unknown>,
  node: PathNode,
  frame: Frame | null,
  sink: Sink,
  depth: number,
): void {
  if (depth > MAX_EVENT_DEPTH) return;
  for (const k of Object.keys(obj)) {
    const child = node.lookup(k);
    if (child !== undefined) walkValue(obj[k], child, frame, sink, depth);
  }
}

function walkValue(v: unknown, node: PathNode, frame: Frame | null, sink: Sink, depth: number): void {
  switch (typeof v) {
    case "string":
      if (node.index) sink.value(node.index, Kind.String, v, 0, frame);
      return;
    case "number":
      if (node.index) sink.value(node.index, Kind.Number, "", v, frame);
      return;
    case "boolean":
      if (node.index) sink.value(node.index, v ? Kind.True : Kind.False, "", 0, frame);
      return;
    case "object":
      if (v === null) {
        if (node.index) sink.value(node.index, Kind.Null, "", 0, frame);
      } else if (Array.isArray(v)) {
        walkArray(v, node, frame, sink, depth + 1);
      } else if (node.children) {
        walkObject(v as Record<string, unknown>, node, frame, sink, depth + 1);
      }
      return;
    default:
      return; // undefined, functions, symbols, bigints: not JSON
  }
}

function walkArray(arr: readonly unknown[], node: PathNode, frame: Frame | null, sink: Sink, depth: number): void {
  if (depth > MAX_EVENT_DEPTH) return;
  const id = sink.nextArrayId();
  for (let i = 0; i < arr.length; i++) {
    const el = arr[i];
    if (el !== null && typeof el === "object") {
      if (Array.isArray(el) ? node.index || node.children : node.children) {
        walkValue(el, node, new Frame(id, i, frame), sink, depth);
      }
    } else {
      walkValue(el, node, frame, sink, depth);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// From JSON bytes: a scanner that skips what no rule reads. It checks structure as it goes and throws SyntaxError on
// malformed input it meets; it does not validate every number and literal inside the parts it skips. The input is
// copied into a buffer padded with `""` and NULs, so the inner loops need no bounds checks: every loop stops at a quote
// or at a NUL (class END), and a NUL at or past the end of the input means the JSON was cut short.

const OTHER = 0;
const QUOTE = 1;
const OPEN = 2;
const CLOSE = 3;
const END = 4;
const CLASS = new Uint8Array(256);
CLASS[0x22] = QUOTE;
CLASS[0x7b] = OPEN;
CLASS[0x5b] = OPEN;
CLASS[0x7d] = CLOSE;
CLASS[0x5d] = CLOSE;
CLASS[0x00] = END;

const PADDING = 4;
const utf8Decoder = new TextDecoder("utf-8");

export class JsonScanner {
  private buf: Buffer = Buffer.alloc(1 << 16);
  private end = 0;
  private pos = 0;
  private sink!: Sink;

  /** Encodes a JSON string into the scanner's buffer; returns the number of bytes. */
  load(json: string | Uint8Array): void {
    const need = (typeof json === "string" ? json.length * 3 : json.length) + PADDING;
    if (need > this.buf.length) this.buf = Buffer.alloc(Math.max(need, this.buf.length * 2));
    let n: number;
    if (typeof json === "string") {
      n = encoder.encodeInto(json, this.buf).written;
    } else {
      this.buf.set(json);
      n = json.length;
    }
    const b = this.buf;
    b[n] = 0x22;
    b[n + 1] = 0x22;
    b[n + 2] = 0;
    b[n + 3] = 0;
    this.end = n;
  }

  scan(root: PathNode, sink: Sink): void {
    this.pos = 0;
    this.sink = sink;
    this.ws();
    if (this.buf[this.pos] === 0x7b && root.children) this.object(root, null, 0);
    else this.skipValue(); // not an object, or no rules: no fields
  }

  private fail(): never {
    throw new SyntaxError(`Invalid JSON event at byte ${Math.min(this.pos, this.end)}`);
  }

  private ws(): void {
    const b = this.buf;
    let p = this.pos;
    let c = b[p]!;
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++p]!;
    this.pos = p;
  }

  private value(node: PathNode | undefined, frame: Frame | null, depth: number): void {
    this.ws();
    const c = this.buf[this.pos]!;
    if (node === undefined) {
      this.skipValue();
    } else if (c === 0x7b) {
      if (node.children) this.object(node, frame, depth + 1);
      else this.skipValue();
    } else if (c === 0x5b) {
      if (node.children || node.index) this.array(node, frame, depth + 1);
      else this.skipValue();
    } else if (c === 0x22) {
      if (node.index) {
        const s = this.readString();
        this.sink.value(node.index, Kind.String, s, 0, frame);
      } else {
        this.skipString();
      }
    } else {
      const start = this.pos;
      this.skipScalar();
      if (node.index) this.scalar(node.index, start, frame);
    }
  }

  private scalar(pi: PathIndex, start: number, frame: Frame | null): void {
    const b = this.buf;
    const c = b[start]!;
    const len = this.pos - start;
    if (c === 0x74) {
      if (len !== 4 || b[start + 1] !== 0x72 || b[start + 2] !== 0x75 || b[start + 3] !== 0x65) this.fail();
      this.sink.value(pi, Kind.True, "", 0, frame);
    } else if (c === 0x66) {
      if (
        len !== 5 ||
        b[start + 1] !== 0x61 ||
        b[start + 2] !== 0x6c ||
        b[start + 3] !== 0x73 ||
        b[start + 4] !== 0x65
      ) {
        this.fail();
      }
      this.sink.value(pi, Kind.False, "", 0, frame);
    } else if (c === 0x6e) {
      if (len !== 4 || b[start + 1] !== 0x75 || b[start + 2] !== 0x6c || b[start + 3] !== 0x6c) this.fail();
      this.sink.value(pi, Kind.Null, "", 0, frame);
    } else {
      const n = parseNumber(b, start, this.pos);
      if (Number.isNaN(n)) this.fail();
      this.sink.value(pi, Kind.Number, "", n, frame);
    }
  }

  private skipScalar(): void {
    const b = this.buf;
    let p = this.pos;
    for (;;) {
      const c = b[p]!;
      // digits, signs, '.', letters of true/false/null/exponents
      if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || (c >= 0x61 && c <= 0x7a) || c === 0x45)
        p++;
      else break;
    }
    if (p === this.pos) this.fail();
    this.pos = p;
  }

  private object(node: PathNode, frame: Frame | null, depth: number): void {
    if (depth > MAX_EVENT_DEPTH) {
      this.skipValue();
      return;
    }
    const b = this.buf;
    this.pos++; // {
    this.ws();
    if (b[this.pos] === 0x7d) {
      this.pos++;
      return;
    }
    for (;;) {
      if (b[this.pos] !== 0x22 || this.pos >= this.end) this.fail();
      const child = this.key(node);
      this.ws();
      if (b[this.pos] !== 0x3a) this.fail();
      this.pos++;
      this.value(child, frame, depth);
      this.ws();
      const c = b[this.pos];
      if (c === 0x2c) {
        this.pos++;
        this.ws();
      } else if (c === 0x7d) {
        this.pos++;
        return;
      } else {
        this.fail();
      }
    }
  }

  /** Reads the key at pos (a string) and returns the child node it selects, if any. */
  private key(node: PathNode): PathNode | undefined {
    const b = this.buf;
    const start = this.pos + 1;
    let p = start;
    let special = false;
    let escaped = false;
    let c: number;
    while ((c = b[p]!) !== 0x22) {
      if (c === 0x5c) {
        special = escaped = true;
        p += 2;
      } else {
        if (c === 0x2e || c >= 0x80) special = true;
        else if (c < 0x20) special = escaped = true;
        p++;
      }
    }
    if (p >= this.end) this.fail();
    this.pos = p + 1;
    const keys = node.childKeys;
    if (!special && keys !== null) {
      const len = p - start;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        if (k.length !== len) continue;
        let j = 0;
        while (j < len && k[j] === b[start + j]) j++;
        if (j === len) return node.childNodes![i];
      }
      return undefined;
    }
    return node.lookup(special ? this.decodeString(start, p, !escaped) : ascii(b, start, p));
  }

  /** Decodes the string between the quotes at start-1 and end; `simple` when it has no escapes or controls. */
  private decodeString(start: number, end: number, simple = false): string {
    const b = this.buf;
    if (simple) return utf8Decoder.decode(b.subarray(start, end));
    try {
      return JSON.parse(utf8Decoder.decode(b.subarray(start - 1, end + 1))) as string;
    } catch {
      this.pos = start;
      return this.fail();
    }
  }

  private readString(): string {
    const b = this.buf;
    const start = this.pos + 1;
    let p = start;
    let ascii7 = true;
    let escaped = false;
    let c: number;
    while ((c = b[p]!) !== 0x22) {
      if (c === 0x5c) {
        escaped = true;
        p += 2;
      } else {
        if (c >= 0x80) ascii7 = false;
        else if (c < 0x20) escaped = true;
        p++;
      }
    }
    if (p >= this.end) this.fail();
    this.pos = p + 1;
    return !escaped && ascii7 ? ascii(b, start, p) : this.decodeString(start, p, !escaped);
  }

  private skipString(): void {
    const b = this.buf;
    let p = this.pos + 1;
    let c: number;
    while ((c = b[p++]!) !== 0x22) if (c === 0x5c) p++;
    if (p > this.end) this.fail();
    this.pos = p;
  }

  private array(node: PathNode, frame: Frame | null, depth: number): void {
    if (depth > MAX_EVENT_DEPTH) {
      this.skipValue();
      return;
    }
    const b = this.buf;
    const id = this.sink.nextArrayId();
    this.pos++; // [
    this.ws();
    if (b[this.pos] === 0x5d) {
      this.pos++;
      return;
    }
    for (let i = 0; ; i++) {
      this.ws();
      const c = b[this.pos];
      if (c === 0x7b ? node.children !== null : c === 0x5b) {
        this.value(node, new Frame(id, i, frame), depth);
      } else {
        this.value(node, frame, depth);
      }
      this.ws();
      const d = b[this.pos];
      if (d === 0x2c) {
        this.pos++;
      } else if (d === 0x5d) {
        this.pos++;
        return;
      } else {
        this.fail();
      }
    }
  }

  /** Skips one value of any kind, checking bracket structure and string termination. */
  private skipValue(): void {
    this.ws();
    const b = this.buf;
    const c = b[this.pos]!;
    if (c === 0x22) {
      this.skipString();
      return;
    }
    if (c !== 0x7b && c !== 0x5b) {
      this.skipScalar();
      return;
    }
    let depth = 0;
    let p = this.pos;
    for (;;) {
      const k = CLASS[b[p++]!]!;
      if (k === OTHER) continue;
      if (k === QUOTE) {
        let y: number;
        while ((y = b[p++]!) !== 0x22) if (y === 0x5c) p++;
      } else if (k === OPEN) {
        depth++;
      } else if (k === CLOSE) {
        if (--depth === 0) break;
      } else {
        break; // END: a NUL inside the input is not JSON either
      }
      if (p > this.end) break;
    }
    this.pos = p;
    if (depth !== 0 || p > this.end) this.fail();
  }
}

const encoder = new TextEncoder();

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

/**
 * A JSON number from bytes, correctly rounded: when the digits fit in 2^53 and the power of ten is at most 22, one
 * IEEE multiplication or division of two exact values is exact-then-rounded (Clinger's fast path); otherwise Number().
 */
function parseNumber(b: Buffer, start: number, end: number): number {
  let p = start;
  const negative = b[p] === 0x2d;
  if (negative) p++;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let exact = true;
  let c = b[p]!;
  while (c >= 0x30 && c <= 0x39) {
    if (mantissa >= 900719925474099) exact = false; // one more digit could pass 2^53
    mantissa = mantissa * 10 + (c - 0x30);
    digits++;
    c = b[++p]!;
  }
  if (c === 0x2e) {
    c = b[++p]!;
    while (c >= 0x30 && c <= 0x39) {
      if (mantissa >= 900719925474099) exact = false;
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      scale--;
      c = b[++p]!;
    }
  }
  if (!exact || p !== end || digits === 0 || scale < -22) {
    return Number(ascii(b, start, end)); // exponents, long mantissas, and anything odd
  }
  const v = scale === 0 ? mantissa : mantissa / POW10[-scale]!;
  return negative ? -v : v;
}

/** A string from ASCII bytes. */
function ascii(b: Buffer, start: number, end: number): string {
  if (end - start <= 6) {
    let s = "";
    for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
    return s;
  }
  return b.toString("latin1", start, end);
}
