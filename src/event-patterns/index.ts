/**
 * EventBridge event patterns: validation with AWS's messages, and matching of many rules in one pass over an event.
 * Used by EventBridge rules, TestEventPattern and archives (and, adapted, SNS filter policies). No HTTP, no storage.
 * AWS pages: "Amazon EventBridge event patterns" and "Content filtering in Amazon EventBridge event patterns";
 * PATTERNS.md in this folder is the normative spec by example. Steps: parse.ts (validate), compile.ts (index many
 * rules), flatten.ts (read the event), match.ts (match).
 */
import { buildIndex } from "./compile.js";
import { Engine } from "./match.js";
import { parsePattern } from "./parse.js";
import type { ParsedPattern } from "./types.js";

export { InvalidEventPattern } from "./errors.js";

export interface CompiledPattern {
  /** The pattern JSON as given. */
  readonly source: string;
  /**
   * True when the event (a parsed JSON object) matches. Never throws: a value that is not an object is an event
   * without fields, and an object whose properties cannot be read matches nothing.
   */
  matches(event: unknown): boolean;
  /**
   * The same for an event given as JSON text or UTF-8 bytes, read in one pass without building objects (the fast
   * path: only the parts some rule tests are decoded). A key repeated in an object counts with each of its values,
   * as in EventBridge (JSON.parse keeps only the last). Throws SyntaxError for malformed JSON.
   */
  matchesJson(json: string | Uint8Array): boolean;
}

const parsedPatterns = new WeakMap<CompiledPattern, ParsedPattern>();

/** Parses and validates one pattern (JSON text); throws InvalidEventPattern with EventBridge's message. */
export function compilePattern(json: string): CompiledPattern {
  const parsed = parsePattern(json);
  let engine: Engine | undefined;
  const get = (): Engine => (engine ??= new Engine(buildIndex([parsed])));
  const pattern: CompiledPattern = {
    source: parsed.source,
    matches: (event) => get().match(event).length > 0,
    matchesJson: (json) => get().matchJson(json).length > 0,
  };
  parsedPatterns.set(pattern, parsed);
  return pattern;
}

/** Many rules compiled together and matched in one pass over the event; `match` returns the ids of matching rules. */
export class RuleSet<Id = string> {
  private readonly rules = new Map<Id, ParsedPattern>();
  private engine: Engine | null = null;
  private ids: Id[] = [];

  /** Adds a rule, or replaces the pattern of an existing id. Throws InvalidEventPattern for an invalid pattern. */
  add(id: Id, pattern: string | CompiledPattern): void {
    const parsed =
      typeof pattern === "string"
        ? parsePattern(pattern)
        : (parsedPatterns.get(pattern) ?? parsePattern(pattern.source));
    this.rules.set(id, parsed);
    this.engine = null;
  }

  remove(id: Id): void {
    if (this.rules.delete(id)) this.engine = null;
  }

  has(id: Id): boolean {
    return this.rules.has(id);
  }

  get size(): number {
    return this.rules.size;
  }

  /** Ids of the rules the event matches, in the order the rules were added. Never throws. */
  match(event: unknown): Id[] {
    return this.toIds(this.compiled().match(event));
  }

  /** `match` for an event given as JSON text or UTF-8 bytes (see CompiledPattern.matchesJson). */
  matchJson(json: string | Uint8Array): Id[] {
    return this.toIds(this.compiled().matchJson(json));
  }

  private compiled(): Engine {
    if (this.engine === null) {
      this.ids = [...this.rules.keys()];
      this.engine = new Engine(buildIndex([...this.rules.values()]));
    }
    return this.engine;
  }

  private toIds(indexes: number[]): Id[] {
    const out = new Array<Id>(indexes.length);
    for (let i = 0; i < indexes.length; i++) out[i] = this.ids[indexes[i]!]!;
    return out;
  }
}
