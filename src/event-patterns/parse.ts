/**
 * Parses and validates an EventBridge event pattern, in the order and with the messages of event-ruler's
 * JsonRuleCompiler (which EventBridge runs): one streaming pass over the JSON, so the first error met is the one
 * reported, with Jackson's location. Duplicate keys: the last array for a path wins; `$or` forks the sub-rules built
 * so far. Trailing text after the pattern's closing brace is not read, as in EventBridge.
 * AWS pages: "Amazon EventBridge event patterns", "Content filtering in Amazon EventBridge event patterns".
 */
import { cidrRange, ipExactRange } from "./cidr.js";
import { IllegalArgument, InvalidEventPattern, LIMITS, tooLarge } from "./errors.js";
import { compileIgnoreCase } from "./ignore-case.js";
import { JsonReadError, JsonReader, Tok } from "./json-reader.js";
import type { Field, Matcher, ParsedPattern, SubRule } from "./types.js";
import { parseWildcard, WildcardSyntaxError, wildcardComplexity, WILDCARD_COMPLEXITY_LIMIT } from "./wildcard.js";
import type { Wildcard } from "./wildcard.js";

/** Field names event-ruler reserves inside `$or` branches (operator names and future ones). */
const RESERVED_IN_OR = new Set([
  "exactly",
  "equals-ignore-case",
  "prefix",
  "suffix",
  "anything-but",
  "exists",
  "wildcard",
  "numeric",
  "cidr",
  "=",
  "<",
  "<=",
  ">",
  ">=",
  "regex",
  "not-wildcard",
  "not-equals-ignore-case",
  "date-after",
  "date-on-or-after",
  "date-before",
  "date-on-or-before",
  "in-date-range",
  "ip-address-in-range",
  "ip-address-not-in-range",
]);

const TOO_COMPLEX =
  "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character";

type RuleMap = Map<string, Matcher[]>;

/** Parses one pattern; throws InvalidEventPattern with EventBridge's message. */
export function parsePattern(json: string): ParsedPattern {
  if (typeof json !== "string") throw new InvalidEventPattern("Filter is not an object");
  if (json.length > LIMITS.patternLength)
    throw tooLarge(`the pattern is longer than ${LIMITS.patternLength} characters`);
  let rules: RuleMap[];
  try {
    rules = new Compiler(json).compile();
  } catch (e) {
    if (e instanceof JsonReadError || e instanceof IllegalArgument) throw new InvalidEventPattern(e.message);
    throw e;
  }
  const subRules: SubRule[] = rules.map((rule) => ({
    fields: [...rule.entries()]
      .map(([path, matchers]): Field => ({ path, matchers }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  }));
  checkWildcardComplexity(subRules);
  return { source: json, subRules };
}

/**
 * EventBridge's rule-complexity check for wildcards (event-ruler's MachineComplexityEvaluator with a limit AWS does not
 * publish). Vigil checks each wildcard pattern alone (see wildcard.ts); combining the patterns of a field is where it
 * is most likely to differ from AWS, and it errs towards accepting.
 */
function checkWildcardComplexity(subRules: readonly SubRule[]): void {
  const byPath = new Map<string, Map<string, Wildcard>>();
  for (const sr of subRules) {
    for (const f of sr.fields) {
      for (const m of f.matchers) {
        if (m.kind !== "wildcard") continue;
        let set = byPath.get(f.path);
        if (!set) byPath.set(f.path, (set = new Map()));
        set.set(m.value.source, m.value);
      }
    }
  }
  for (const set of byPath.values()) {
    for (const w of set.values()) {
      if (wildcardComplexity(w, WILDCARD_COMPLEXITY_LIMIT) > WILDCARD_COMPLEXITY_LIMIT) {
        throw new InvalidEventPattern(TOO_COMPLEX);
      }
    }
  }
}

class Compiler {
  private readonly r: JsonReader;
  private readonly path: string[] = [];
  private values = 0;
  private entries = 0;
  private depth = 0;

  constructor(json: string) {
    this.r = new JsonReader(json);
  }

  compile(): RuleMap[] {
    const rules: RuleMap[] = [];
    if (this.r.nextToken() !== Tok.StartObject) throw this.r.error("Filter is not an object");
    this.parseObject(rules, false);
    return rules;
  }

  private parseObject(rules: RuleMap[], insideOr: boolean): void {
    const r = this.r;
    // objects nest through fields and through $or branches alike
    if (++this.depth > LIMITS.depth) throw tooLarge(`the pattern is nested deeper than ${LIMITS.depth} levels`);
    let fieldsPresent = false;
    while (r.nextToken() !== Tok.EndObject) {
      fieldsPresent = true;
      const step = r.currentName;
      if (step === "$or") {
        this.parseOr(rules);
        continue;
      }
      if (insideOr && RESERVED_IN_OR.has(step)) {
        throw r.error(`${step} is Ruler reserved fieldName which cannot be used inside $or.`);
      }
      switch (r.nextToken()) {
        case Tok.StartObject:
          this.path.push(step);
          this.parseObject(rules, insideOr);
          this.path.pop();
          break;
        case Tok.StartArray:
          this.writeRules(rules, this.path.length === 0 ? step : `${this.path.join(".")}.${step}`);
          break;
        default:
          throw r.error(`"${step}" must be an object or an array`);
      }
    }
    if (!fieldsPresent) throw r.error("Empty objects are not allowed");
    this.depth--;
  }

  private parseOr(rules: RuleMap[]): void {
    const r = this.r;
    const current = rules.map((m) => new Map(m));
    rules.length = 0;
    if (r.nextToken() !== Tok.StartArray) throw r.error("It must be an Array followed with $or.");
    let count = 0;
    let t: Tok | null;
    while ((t = r.nextToken()) !== Tok.EndArray) {
      count++;
      if (t !== Tok.StartObject) throw r.error("Only JSON object is allowed in array of $or relationship.");
      const forked = current.map((m) => new Map(m));
      for (const m of forked) this.addEntries(m.size);
      if (forked.length === 0) forked.push(new Map());
      this.parseObject(forked, true);
      rules.push(...forked);
      if (rules.length > LIMITS.subRules)
        throw tooLarge(`the pattern expands to more than ${LIMITS.subRules} $or combinations`);
    }
    if (count < 2) throw r.error("There must have at least 2 Objects in $or relationship.");
  }

  private addEntries(n: number): void {
    this.entries += n;
    if (this.entries > LIMITS.fieldConditions) {
      throw tooLarge(`the pattern expands to more than ${LIMITS.fieldConditions} field conditions`);
    }
  }

  private countValue(): void {
    if (++this.values > LIMITS.values) throw tooLarge(`the pattern has more than ${LIMITS.values} values`);
  }

  private writeRules(rules: RuleMap[], name: string): void {
    const r = this.r;
    const values: Matcher[] = [];
    let t: Tok | null;
    while ((t = r.nextToken()) !== Tok.EndArray) {
      this.countValue();
      switch (t) {
        case Tok.StartObject:
          values.push(this.matchExpression());
          break;
        case Tok.String: {
          const text = r.getText();
          const ip = ipExactRange(text);
          values.push(ip ? { kind: "ip", range: ip } : { kind: "exact", value: text });
          break;
        }
        case Tok.NumberInt:
        case Tok.NumberFloat: {
          values.push({ kind: "number", value: Number(r.getText()) });
          break;
        }
        case Tok.Null:
          values.push({ kind: "literal", value: null });
          break;
        case Tok.True:
          values.push({ kind: "literal", value: true });
          break;
        case Tok.False:
          values.push({ kind: "literal", value: false });
          break;
        default:
          throw r.error("Match value must be String, number, true, false, or null");
      }
    }
    if (values.length === 0) throw r.error("Empty arrays are not allowed");
    if (rules.length === 0) rules.push(new Map());
    this.addEntries(rules.length);
    for (const rule of rules) rule.set(name, values);
  }

  private endOfExpression(): void {
    if (this.r.nextToken() !== Tok.EndObject) throw this.r.error("Only one key allowed in match expression");
  }

  private tooManyElements(): JsonReadError {
    return this.r.error("Too many elements in numeric expression");
  }

  private matchExpression(): Matcher {
    const r = this.r;
    if (r.nextToken() !== Tok.FieldName) throw r.error("Match expression name not found");
    const type = r.currentName;
    switch (type) {
      case "exactly": {
        if (r.nextToken() !== Tok.String) throw r.error("exact match pattern must be a string");
        const m: Matcher = { kind: "exact", value: r.getText() };
        this.endOfExpression();
        return m;
      }
      case "prefix":
      case "suffix": {
        const t = r.nextToken();
        if (t === Tok.StartObject) return this.ignoreCaseInside(type);
        if (t !== Tok.String) throw r.error(`${type} match pattern must be a string`);
        const m: Matcher = { kind: type, value: r.getText() };
        this.endOfExpression();
        return m;
      }
      case "numeric": {
        if (r.nextToken() !== Tok.StartArray) throw r.error("Value of numeric must be an array.");
        const m = this.numeric();
        if (r.nextToken() !== Tok.EndObject) throw this.tooManyElements();
        return m;
      }
      case "anything-but":
        return this.anythingBut();
      case "exists": {
        const t = r.nextToken();
        let m: Matcher;
        if (t === Tok.True) m = { kind: "exists" };
        else if (t === Tok.False) m = { kind: "absent" };
        else throw r.error("exists match pattern must be either true or false.");
        this.endOfExpression();
        return m;
      }
      case "cidr": {
        // event-ruler's message for a non-string CIDR really says "prefix"
        if (r.nextToken() !== Tok.String) throw r.error("prefix match pattern must be a string");
        const m: Matcher = { kind: "ip", range: cidrRange(r.getText()) };
        this.endOfExpression();
        return m;
      }
      case "equals-ignore-case": {
        if (r.nextToken() !== Tok.String) throw r.error("equals-ignore-case match pattern must be a string");
        const m: Matcher = { kind: "equals-ignore-case", value: compileIgnoreCase(r.getText()) };
        this.endOfExpression();
        return m;
      }
      case "wildcard": {
        if (r.nextToken() !== Tok.String) throw r.error("wildcard match pattern must be a string");
        const m: Matcher = { kind: "wildcard", value: this.wildcard(r.getText()) };
        this.endOfExpression();
        return m;
      }
      default:
        throw r.error(`Unrecognized match type ${type}`);
    }
  }

  private wildcard(text: string): Wildcard {
    try {
      return parseWildcard(text);
    } catch (e) {
      if (e instanceof WildcardSyntaxError) throw this.r.error(e.message);
      throw e;
    }
  }

  /** `{"prefix": {"equals-ignore-case": "..."}}` and the suffix form. */
  private ignoreCaseInside(kind: "prefix" | "suffix"): Matcher {
    const r = this.r;
    const title = kind === "prefix" ? "Prefix" : "Suffix";
    if (r.nextToken() !== Tok.FieldName) throw r.error(`${title} expression name not found`);
    const op = r.currentName;
    if (op !== "equals-ignore-case") throw r.error(`Unsupported ${kind} pattern: ${op}`);
    if (r.nextToken() !== Tok.String) throw r.error("equals-ignore-case match pattern must be a string");
    const value = compileIgnoreCase(r.getText());
    this.endOfExpression();
    this.endOfExpression();
    return { kind: kind === "prefix" ? "prefix-ignore-case" : "suffix-ignore-case", value };
  }

  private numericValue(): number {
    return Number(this.r.getText());
  }

  private numeric(): Matcher {
    const r = this.r;
    this.countValue();
    let t = r.nextToken();
    if (t !== Tok.String) throw r.error(`Invalid member in numeric match: ${r.getText()}`);
    const op = r.getText();
    t = r.nextToken();
    try {
      switch (op) {
        case "=": {
          if (!r.isNumeric(t)) throw r.error("Value of equals must be numeric");
          const v = this.numericValue();
          if (r.nextToken() !== Tok.EndArray) throw this.tooManyElements();
          return { kind: "numeric", lo: v, loOpen: false, hi: v, hiOpen: false };
        }
        case ">=":
        case ">": {
          if (!r.isNumeric(t)) throw r.error(`Value of ${op} must be numeric`);
          const v = this.numericValue();
          t = r.nextToken();
          if (t === Tok.EndArray) {
            return { kind: "numeric", lo: v, loOpen: op === ">", hi: Infinity, hiOpen: false };
          }
          return this.completeRange(t, v, op === ">");
        }
        case "<=":
        case "<": {
          if (!r.isNumeric(t)) throw r.error(`Value of ${op} must be numeric`);
          const v = this.numericValue();
          if (r.nextToken() !== Tok.EndArray) throw this.tooManyElements();
          return { kind: "numeric", lo: -Infinity, loOpen: false, hi: v, hiOpen: op === "<" };
        }
        default:
          throw r.error(`Unrecognized numeric range operator: ${op}`);
      }
    } catch (e) {
      if (e instanceof IllegalArgument) throw r.error(e.message);
      throw e;
    }
  }

  private completeRange(t: Tok | null, bottom: number, openBottom: boolean): Matcher {
    const r = this.r;
    this.countValue();
    if (t !== Tok.String) throw r.error(`Bad value in numeric range: ${r.getText()}`);
    const op = r.getText();
    if (op !== "<" && op !== "<=") throw r.error(`Bad numeric range operator: ${op}`);
    if (!r.isNumeric(r.nextToken())) throw r.error(`Value of ${op} must be numeric`);
    const top = this.numericValue();
    if (r.nextToken() !== Tok.EndArray) throw r.error("Too many terms in numeric range expression");
    if (!(bottom < top)) throw new IllegalArgument("Bottom must be less than top");
    return { kind: "numeric", lo: bottom, loOpen: openBottom, hi: top, hiOpen: op === "<" };
  }

  private anythingBut(): Matcher {
    const r = this.r;
    type Set = "equals-ignore-case" | "prefix" | "suffix" | "wildcard";
    let set: Set | undefined;
    let t = r.nextToken();
    if (t === Tok.StartObject) {
      if (r.nextToken() !== Tok.FieldName) throw r.error("Anything-But expression name not found");
      const op = r.currentName;
      if (op !== "equals-ignore-case" && op !== "prefix" && op !== "suffix" && op !== "wildcard") {
        throw r.error(`Unsupported anything-but pattern: ${op}`);
      }
      set = op;
      t = r.nextToken();
    }
    if (t !== Tok.StartArray && t !== Tok.String && !r.isNumeric(t)) {
      throw r.error("Value of anything-but must be an array or single string/number value.");
    }
    let m: Matcher;
    if (set === undefined) m = t === Tok.StartArray ? this.anythingButList() : this.anythingButSingle(t!);
    else m = this.anythingButSet(set, t === Tok.StartArray);
    if (r.nextToken() !== Tok.EndObject) throw this.tooManyElements();
    if (set !== undefined && r.nextToken() !== Tok.EndObject) throw this.tooManyElements();
    return m;
  }

  /** Java: catch (IllegalArgumentException | IOException e) { barf(parser, e.getMessage()); } */
  private rethrowWithLocation(e: unknown): never {
    if (e instanceof JsonReadError || e instanceof IllegalArgument) throw this.r.error(e.message);
    throw e;
  }

  private anythingButList(): Matcher {
    const r = this.r;
    const strings = new Set<string>();
    const numbers = new Set<number>();
    let hasString = false;
    let hasNumber = false;
    try {
      let t: Tok | null;
      while ((t = r.nextToken()) !== Tok.EndArray) {
        this.countValue();
        if (t === Tok.String) {
          strings.add(r.getText());
          hasString = true;
        } else if (r.isNumeric(t)) {
          numbers.add(this.numericValue());
          hasNumber = true;
        } else {
          throw r.error("Inside anything but list, start|null|boolean is not supported.");
        }
      }
    } catch (e) {
      this.rethrowWithLocation(e);
    }
    if (hasNumber === hasString) {
      throw r.error("Inside anything but list, either all values are number or string, mixed type is not supported");
    }
    return hasNumber
      ? { kind: "anything-but-number", values: [...numbers] }
      : { kind: "anything-but", values: [...strings] };
  }

  private anythingButSingle(t: Tok): Matcher {
    this.countValue();
    if (t === Tok.String) return { kind: "anything-but", values: [this.r.getText()] };
    return { kind: "anything-but-number", values: [this.numericValue()] };
  }

  private wrongTypeInSet(set: string): JsonReadError {
    const r = this.r;
    if (set === "equals-ignore-case") {
      return r.error("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.");
    }
    if (set === "wildcard") return r.error("wildcard match pattern must be a string");
    return r.error("prefix/suffix match pattern must be a string");
  }

  private anythingButSet(set: "equals-ignore-case" | "prefix" | "suffix" | "wildcard", list: boolean): Matcher {
    const r = this.r;
    const values = new Set<string>();
    const take = (): void => {
      this.countValue();
      const text = r.getText();
      if ((set === "prefix" || set === "suffix") && text === "") throw r.error("Null prefix/suffix not allowed");
      values.add(text);
    };
    if (list) {
      try {
        let t: Tok | null;
        while ((t = r.nextToken()) !== Tok.EndArray) {
          if (t !== Tok.String) throw this.wrongTypeInSet(set);
          take();
        }
      } catch (e) {
        this.rethrowWithLocation(e);
      }
    } else {
      if (r.token !== Tok.String) throw this.wrongTypeInSet(set);
      take();
    }
    const v = [...values];
    switch (set) {
      case "equals-ignore-case":
        return { kind: "anything-but-ignore-case", values: v.map(compileIgnoreCase) };
      case "prefix":
        return { kind: "anything-but-prefix", values: v };
      case "suffix":
        return { kind: "anything-but-suffix", values: v };
      case "wildcard":
        return { kind: "anything-but-wildcard", values: v.map((w) => this.wildcard(w)) };
    }
  }
}
