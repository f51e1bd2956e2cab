/**
 * A streaming JSON tokenizer that behaves like the Jackson parser EventBridge validates patterns with, so that errors
 * carry Jackson's exact text and location suffix (`\n at [Source: (String)"..."; line: 1, column: 11]`).
 *
 * Jackson's location is its input pointer, which this reader reproduces: after a FIELD_NAME token Jackson has already
 * read the value's first character (all of a number or literal, only the opening quote of a string); string values
 * are read lazily, so the pointer only moves past a string when its text is asked for or the next token is read.
 */

export const enum Tok {
  StartObject = 1,
  EndObject,
  StartArray,
  EndArray,
  FieldName,
  String,
  NumberInt,
  NumberFloat,
  True,
  False,
  Null,
}

/** An error with Jackson's message text; `message` includes the location suffix(es) as Java's getMessage() does. */
export class JsonReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JsonReadError";
  }
}

const enum Ctx {
  Root,
  Array,
  Object,
}

interface Context {
  readonly type: Ctx;
  /** Entries read so far (Jackson's `expectComma()` is `index >= 0` after the first). */
  entries: number;
  readonly line: number;
  readonly col: number;
}

/** Jackson's ErrorReportConfiguration default: the source snippet in a location is cut at 500 characters. */
const MAX_SNIPPET = 500;
const MAX_ERROR_TOKEN = 256;
const VALID_VALUES = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

export class JsonReader {
  private pos = 0;
  private line = 0;
  private lineStart = 0;
  private readonly stack: Context[] = [{ type: Ctx.Root, entries: 0, line: 1, col: 0 }];
  private current: Tok | null = null;
  private pendingAfterName: Tok | null = null;
  private name = "";
  /** For a string token not read yet: the index after its opening quote. */
  private incompleteString = -1;
  private text = "";
  private closed = false;

  constructor(
    private readonly src: string,
    private readonly maxDepth = 1000,
  ) {}

  get token(): Tok | null {
    return this.current;
  }

  get currentName(): string {
    return this.name;
  }

  isNumeric(t: Tok | null): boolean {
    return t === Tok.NumberInt || t === Tok.NumberFloat;
  }

  /** Java's `parser.getText()`: the token's text, finishing a pending string first (which moves the pointer). */
  getText(): string {
    switch (this.current) {
      case Tok.String:
        if (this.incompleteString >= 0) this.finishString();
        return this.text;
      case Tok.FieldName:
        return this.name;
      case Tok.NumberInt:
      case Tok.NumberFloat:
        return this.text;
      case Tok.StartObject:
        return "{";
      case Tok.EndObject:
        return "}";
      case Tok.StartArray:
        return "[";
      case Tok.EndArray:
        return "]";
      case Tok.True:
        return "true";
      case Tok.False:
        return "false";
      case Tok.Null:
        return "null";
      default:
        return "null";
    }
  }

  /** Jackson's getCurrentLocation() rendered as in exception messages. */
  location(minusOne = false): string {
    const p = minusOne ? this.pos - 1 : this.pos;
    return this.describe(this.line + 1, p - this.lineStart + 1);
  }

  /** Java `JsonParseException(parser, msg, parser.getCurrentLocation()).getMessage()`. */
  error(message: string, minusOne = false): JsonReadError {
    return new JsonReadError(`${message}\n at ${this.location(minusOne)}`);
  }

  nextToken(): Tok | null {
    if (this.closed) return (this.current = null);
    if (this.current === Tok.FieldName) return this.nextAfterName();
    if (this.incompleteString >= 0) this.skipString();
    let c = this.skipWsOrEnd();
    if (c < 0) {
      this.handleEof();
      this.closed = true;
      return (this.current = null);
    }
    const ctx = this.stack[this.stack.length - 1]!;
    if (c === 0x5d || c === 0x7d) {
      this.closeScope(c);
      return this.current;
    }
    if (ctx.entries > 0) c = this.skipComma(c, ctx);
    ctx.entries++;
    const inObject = ctx.type === Ctx.Object;
    if (inObject) {
      this.name = c === 0x22 ? this.parseName() : this.oddName(c);
      this.current = Tok.FieldName;
      c = this.skipColon();
    }
    const line = this.line + 1;
    const col = this.pos - this.lineStart; // column of the value's first character (already consumed)
    let t: Tok;
    switch (c) {
      case 0x22:
        this.incompleteString = this.pos;
        t = Tok.String;
        break;
      case 0x5b:
        if (!inObject) this.push(Ctx.Array, line, col);
        t = Tok.StartArray;
        break;
      case 0x7b:
        if (!inObject) this.push(Ctx.Object, line, col);
        t = Tok.StartObject;
        break;
      case 0x7d:
        throw this.unexpectedChar(c, "expected a value");
      case 0x74:
        this.matchLiteral("true");
        t = Tok.True;
        break;
      case 0x66:
        this.matchLiteral("false");
        t = Tok.False;
        break;
      case 0x6e:
        this.matchLiteral("null");
        t = Tok.Null;
        break;
      case 0x2d:
        t = this.parseNumber(this.pos - 1, true);
        break;
      default:
        if (c >= 0x30 && c <= 0x39) t = this.parseNumber(this.pos - 1, false);
        else t = this.oddValue(c);
    }
    if (inObject) {
      this.pendingAfterName = t;
      this.pendingLine = line;
      this.pendingCol = col;
      return this.current;
    }
    return (this.current = t);
  }

  private pendingLine = 0;
  private pendingCol = 0;

  private nextAfterName(): Tok {
    const t = this.pendingAfterName!;
    this.pendingAfterName = null;
    if (t === Tok.StartArray) this.push(Ctx.Array, this.pendingLine, this.pendingCol);
    else if (t === Tok.StartObject) this.push(Ctx.Object, this.pendingLine, this.pendingCol);
    return (this.current = t);
  }

  private push(type: Ctx, line: number, col: number): void {
    if (this.stack.length > this.maxDepth) {
      throw this.error(
        `Document nesting depth (${this.stack.length}) exceeds the maximum allowed (${this.maxDepth}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`,
      );
    }
    this.stack.push({ type, entries: 0, line, col });
  }

  private closeScope(c: number): void {
    const ctx = this.stack[this.stack.length - 1]!;
    if (c === 0x5d) {
      if (ctx.type !== Ctx.Array) this.mismatchedEnd(c, 0x7d, ctx);
      this.stack.pop();
      this.current = Tok.EndArray;
    } else {
      if (ctx.type !== Ctx.Object) this.mismatchedEnd(c, 0x5d, ctx);
      this.stack.pop();
      this.current = Tok.EndObject;
    }
  }

  private mismatchedEnd(actual: number, expected: number, ctx: Context): never {
    const desc = ctx.type === Ctx.Root ? "root" : ctx.type === Ctx.Array ? "Array" : "Object";
    throw this.error(
      `Unexpected close marker '${String.fromCharCode(actual)}': expected '${String.fromCharCode(expected)}' (for ${desc} starting at ${this.describe(ctx.line, ctx.col)})`,
    );
  }

  private handleEof(): void {
    const ctx = this.stack[this.stack.length - 1]!;
    if (ctx.type === Ctx.Root) return;
    const marker = ctx.type === Ctx.Array ? "ARRAY" : "OBJECT";
    throw this.error(
      `Unexpected end-of-input: expected close marker for ${marker} (start marker at ${this.describe(ctx.line, ctx.col)})`,
    );
  }

  private skipComma(c: number, ctx: Context): number {
    if (c !== 0x2c) {
      throw this.unexpectedChar(
        c,
        `was expecting comma to separate ${ctx.type === Ctx.Array ? "Array" : "Object"} entries`,
      );
    }
    const next = this.skipWsOrEnd();
    if (next < 0) this.eofBetweenEntries(ctx);
    return next;
  }

  private skipColon(): number {
    const ctx = this.stack[this.stack.length - 1]!;
    let c = this.skipWsOrEnd();
    if (c < 0) this.eofBetweenEntries(ctx);
    if (c !== 0x3a) throw this.unexpectedChar(c, "was expecting a colon to separate field name and value");
    c = this.skipWsOrEnd();
    if (c < 0) this.eofBetweenEntries(ctx);
    return c;
  }

  private eofBetweenEntries(ctx: Context): never {
    throw this.error(`Unexpected end-of-input within/between ${ctx.type === Ctx.Array ? "Array" : "Object"} entries`);
  }

  /** Returns the next non-whitespace character (consumed), or -1 at the end of input. */
  private skipWsOrEnd(): number {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos++);
      if (c > 0x20) {
        if (c === 0x2f || c === 0x23) {
          throw this.unexpectedChar(
            c,
            c === 0x2f
              ? "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)"
              : "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_YAML_COMMENTS' not enabled for parser)",
          );
        }
        return c;
      }
      if (c === 0x20 || c === 0x09) continue;
      if (c === 0x0a) {
        this.line++;
        this.lineStart = this.pos;
      } else if (c === 0x0d) {
        if (this.pos < s.length && s.charCodeAt(this.pos) === 0x0a) this.pos++;
        this.line++;
        this.lineStart = this.pos;
      } else {
        throw this.error(
          `Illegal character (${charDesc(c)}): only regular white space (\\r, \\n, \\t) is allowed between tokens`,
          true,
        );
      }
    }
    return -1;
  }

  private parseName(): string {
    const s = this.src;
    let out = "";
    let start = this.pos;
    for (;;) {
      if (this.pos >= s.length) throw this.error("Unexpected end-of-input in field name");
      const c = s.charCodeAt(this.pos++);
      if (c === 0x22) return out + s.slice(start, this.pos - 1);
      if (c === 0x5c) {
        out += s.slice(start, this.pos - 1) + this.decodeEscape();
        start = this.pos;
      } else if (c < 0x20) {
        throw this.error(
          `Illegal unquoted character (${charDesc(c)}): has to be escaped using backslash to be included in name`,
          true,
        );
      }
    }
  }

  private oddName(c: number): never {
    throw this.unexpectedChar(c, "was expecting double-quote to start field name");
  }

  private finishString(): void {
    const s = this.src;
    let out = "";
    let start = this.incompleteString;
    this.pos = start;
    this.incompleteString = -1;
    for (;;) {
      if (this.pos >= s.length) {
        throw this.error("Unexpected end-of-input: was expecting closing quote for a string value");
      }
      const c = s.charCodeAt(this.pos++);
      if (c === 0x22) break;
      if (c === 0x5c) {
        out += s.slice(start, this.pos - 1) + this.decodeEscape();
        start = this.pos;
      } else if (c < 0x20) {
        throw this.error(
          `Illegal unquoted character (${charDesc(c)}): has to be escaped using backslash to be included in string value`,
          true,
        );
      }
    }
    this.text = out + s.slice(start, this.pos - 1);
  }

  private skipString(): void {
    this.finishString();
  }

  private decodeEscape(): string {
    const s = this.src;
    if (this.pos >= s.length) throw this.error("Unexpected end-of-input in character escape sequence");
    const c = s.charCodeAt(this.pos++);
    switch (c) {
      case 0x62:
        return "\b";
      case 0x74:
        return "\t";
      case 0x6e:
        return "\n";
      case 0x66:
        return "\f";
      case 0x72:
        return "\r";
      case 0x22:
      case 0x2f:
      case 0x5c:
        return String.fromCharCode(c);
      case 0x75: {
        let v = 0;
        for (let i = 0; i < 4; i++) {
          if (this.pos >= s.length) throw this.error("Unexpected end-of-input in character escape sequence");
          const h = s.charCodeAt(this.pos++);
          const d = hexValue(h);
          if (d < 0) throw this.unexpectedChar(h, "expected a hex-digit for character escape sequence");
          v = (v << 4) | d;
        }
        return String.fromCharCode(v);
      }
      default:
        throw this.error(`Unrecognized character escape ${charDesc(c)}`, true);
    }
  }

  private matchLiteral(word: string): void {
    const s = this.src;
    for (let i = 1; i < word.length; i++) {
      if (this.pos >= s.length || s.charCodeAt(this.pos) !== word.charCodeAt(i)) {
        this.invalidToken(word.slice(0, i));
      }
      this.pos++;
    }
    // Jackson: a literal must not run on into identifier characters ("trueish").
    if (this.pos < s.length && isIdentifierPart(s.charCodeAt(this.pos))) this.invalidToken(word);
  }

  /** Jackson's _reportInvalidToken: the token is extended with the identifier characters that follow. */
  private invalidToken(matched: string): never {
    const s = this.src;
    let tok = matched;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (!isIdentifierPart(c)) break;
      this.pos++;
      tok += String.fromCharCode(c);
      if (tok.length >= MAX_ERROR_TOKEN) {
        tok += "...";
        break;
      }
    }
    throw this.error(`Unrecognized token '${tok}': was expecting ${VALID_VALUES}`);
  }

  private oddValue(c: number): Tok {
    if (c === 0x4e) {
      this.matchLiteral("NaN");
      throw this.error("Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow");
    }
    if (c === 0x49) {
      this.matchLiteral("Infinity");
      throw this.error("Non-standard token 'Infinity': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow");
    }
    if (c === 0x2b) {
      throw this.error(
        "Unexpected character ('+' (code 43)) in numeric value: JSON spec does not allow numbers to have plus signs: enable `JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS` to allow",
        true,
      );
    }
    if (isIdentifierStart(c)) {
      this.invalidToken(String.fromCharCode(c));
    }
    throw this.unexpectedChar(c, `expected a valid value ${VALID_VALUES}`);
  }

  /** Reads a number whose first character (at `start`) is consumed; the pointer stops at the terminator. */
  private parseNumber(start: number, negative: boolean): Tok {
    const s = this.src;
    let p = this.pos;
    if (negative) {
      const d = p < s.length ? s.charCodeAt(p) : -1;
      if (!(d >= 0x30 && d <= 0x39)) {
        if (d === 0x49) {
          this.pos = p + 1;
          this.matchLiteral("Infinity");
          throw this.error(
            "Non-standard token '-Infinity': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow",
          );
        }
        this.pos = p + 1;
        if (d < 0) throw this.error("Unexpected end-of-input in a Number value");
        throw this.error(
          `Unexpected character (${charDesc(d)}) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value`,
          true,
        );
      }
      p++;
    }
    const firstDigit = s.charCodeAt(p - 1);
    if (firstDigit === 0x30 && p < s.length && isDigit(s.charCodeAt(p))) {
      this.pos = p;
      throw this.error("Invalid numeric value: Leading zeroes not allowed");
    }
    while (p < s.length && isDigit(s.charCodeAt(p))) p++;
    let float = false;
    if (p < s.length && s.charCodeAt(p) === 0x2e) {
      float = true;
      p++;
      const d0 = p;
      while (p < s.length && isDigit(s.charCodeAt(p))) p++;
      if (p === d0) {
        this.pos = p + 1;
        if (p >= s.length) throw this.error("Unexpected end-of-input in a Number value");
        throw this.error(
          `Unexpected character (${charDesc(s.charCodeAt(p))}) in numeric value: Decimal point not followed by a digit`,
          true,
        );
      }
    }
    if (p < s.length && (s.charCodeAt(p) === 0x65 || s.charCodeAt(p) === 0x45)) {
      float = true;
      p++;
      if (p < s.length && (s.charCodeAt(p) === 0x2b || s.charCodeAt(p) === 0x2d)) p++;
      const d0 = p;
      while (p < s.length && isDigit(s.charCodeAt(p))) p++;
      if (p === d0) {
        this.pos = p + 1;
        if (p >= s.length) throw this.error("Unexpected end-of-input in a Number value");
        throw this.error(
          `Unexpected character (${charDesc(s.charCodeAt(p))}) in numeric value: Exponent indicator not followed by a digit`,
          true,
        );
      }
    }
    this.pos = p;
    this.text = s.slice(start, p);
    return float ? Tok.NumberFloat : Tok.NumberInt;
  }

  private unexpectedChar(c: number, comment: string): JsonReadError {
    return this.error(`Unexpected character (${charDesc(c)}): ${comment}`, true);
  }

  private describe(line: number, col: number): string {
    const s = this.src;
    const snippet =
      s.length > MAX_SNIPPET ? `"${s.slice(0, MAX_SNIPPET)}"[truncated ${s.length - MAX_SNIPPET} chars]` : `"${s}"`;
    return `[Source: (String)${snippet}; line: ${line}, column: ${col}]`;
  }
}

/** Jackson's _getCharDesc. */
export function charDesc(c: number): string {
  if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return `(CTRL-CHAR, code ${c})`;
  if (c > 255) return `'${String.fromCharCode(c)}' (code ${c} / 0x${c.toString(16)})`;
  return `'${String.fromCharCode(c)}' (code ${c})`;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** Java's Character.isJavaIdentifierStart/Part, close enough for the characters that start a mistyped token. */
function isIdentifierStart(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x24 ||
    c === 0x5f ||
    (c > 0x7f && /\p{L}|\p{Nl}|\p{Sc}|\p{Pc}/u.test(String.fromCharCode(c)))
  );
}

function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || isDigit(c) || (c > 0x7f && /\p{Mn}|\p{Mc}|\p{Nd}/u.test(String.fromCharCode(c)));
}
