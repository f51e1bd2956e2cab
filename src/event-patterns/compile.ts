/**
 * Compiles many parsed patterns together into one index, so that an event is matched against all of them in one pass
 * over its values: each field path the rules test gets a PathIndex (hash maps for exact values, numbers, IPs and
 * ignore-case keys; maps by length for prefixes and suffixes; lists for ranges, wildcards and anything-but), and a
 * trie of path segments tells the flattener which parts of an event to read at all. A value lights up "field
 * conditions" (one per field of each sub-rule); a sub-rule whose required fields are all lit is confirmed in match.ts.
 */
import type { IpRange } from "./cidr.js";
import type { IgnoreCase } from "./ignore-case.js";
import type { Field, Matcher, ParsedPattern } from "./types.js";
import type { Wildcard } from "./wildcard.js";

/** A field of a sub-rule. */
export interface FieldCondition {
  readonly id: number;
  readonly subRule: number;
  readonly path: PathIndex;
  readonly field: Field;
  /** The field lists `{"exists": false}`: it is also satisfied when the path has no value. */
  readonly optional: boolean;
}

export interface SubRuleInfo {
  readonly id: number;
  /** Index of the rule in the RuleSet's order. */
  readonly rule: number;
  readonly fields: readonly FieldCondition[];
  /** Fields that must be lit by a value (those without an `exists: false` alternative). */
  readonly need: number;
}

export interface Affix {
  /** Distinct lengths, ascending. */
  readonly lengths: number[];
  readonly map: Map<string, number[]>;
}

export interface IgnoreCaseEntry {
  readonly p: IgnoreCase;
  readonly fc: number;
}

export interface IgnoreCaseIndex {
  /** Simple patterns by per-character-lower-case key (for prefix/suffix: by key of that length). */
  readonly map: Map<string, IgnoreCaseEntry[]>;
  readonly lengths: number[];
  readonly complex: IgnoreCaseEntry[];
}

export interface RangeEntry {
  readonly lo: number;
  readonly loOpen: boolean;
  readonly hi: number;
  readonly hiOpen: boolean;
  readonly fcs: number[];
}

export interface IpEntry {
  readonly range: IpRange;
  readonly fcs: number[];
}

export interface WildcardEntry {
  readonly w: Wildcard;
  readonly fcs: number[];
}

/** anything-but conditions: satisfied by every value except the ones they name. */
export interface AnythingButEntry {
  readonly m: Matcher;
  readonly fcs: number[];
  /** For plain string sets: membership test. */
  readonly strings?: ReadonlySet<string>;
  readonly keys?: ReadonlySet<number>;
}

export class PathIndex {
  exact: Map<string, number[]> | null = null;
  /** Number literals by value (Map keys treat -0 and 0 as one). */
  numberValues: Map<number, number[]> | null = null;
  litTrue: number[] | null = null;
  litFalse: number[] | null = null;
  litNull: number[] | null = null;
  ipExact: Map<string, number[]> | null = null;
  ipRanges: IpEntry[] | null = null;
  prefix: Affix | null = null;
  suffix: Affix | null = null;
  equalsIc: IgnoreCaseIndex | null = null;
  prefixIc: IgnoreCaseIndex | null = null;
  suffixIc: IgnoreCaseIndex | null = null;
  wildcards: WildcardEntry[] | null = null;
  ranges: RangeEntry[] | null = null;
  exists: number[] | null = null;
  anythingBut: AnythingButEntry[] | null = null;
  /** Any condition that a string value can satisfy. */
  strings = false;
  /** Any condition that a number can satisfy. */
  numbers = false;
  literals = false;

  constructor(
    readonly id: number,
    readonly path: string,
  ) {}
}

/** A node of the path trie: one dot-separated segment. */
export class PathNode {
  children: Map<string, PathNode> | null = null;
  /** The same children for byte-level lookup when there are few of them. */
  childKeys: Uint8Array[] | null = null;
  childNodes: PathNode[] | null = null;
  index: PathIndex | null = null;

  child(segment: string): PathNode | undefined {
    return this.children?.get(segment);
  }

  /** Looks a (possibly dotted) event key up: "a.b" is the same as "a" then "b". */
  lookup(key: string): PathNode | undefined {
    if (key.indexOf(".") < 0) return this.children?.get(key);
    const segments = key.split(".");
    let node = this.children?.get(segments[0]!);
    for (let i = 1; i < segments.length && node !== undefined; i++) node = node.children?.get(segments[i]!);
    return node;
  }
}

export interface CompiledIndex {
  readonly root: PathNode;
  readonly paths: readonly PathIndex[];
  readonly fieldConditions: readonly FieldCondition[];
  readonly subRules: readonly SubRuleInfo[];
  /** Sub-rules with no required field (only `exists: false` alternatives): checked for every event. */
  readonly alwaysCheck: readonly number[];
  readonly ruleCount: number;
}

const SMALL_CHILDREN = 8;

export function buildIndex(patterns: readonly ParsedPattern[]): CompiledIndex {
  const root = new PathNode();
  const byPath = new Map<string, PathIndex>();
  const paths: PathIndex[] = [];
  const fieldConditions: FieldCondition[] = [];
  const subRules: SubRuleInfo[] = [];
  const alwaysCheck: number[] = [];

  const pathIndex = (path: string): PathIndex => {
    let pi = byPath.get(path);
    if (pi) return pi;
    pi = new PathIndex(paths.length, path);
    byPath.set(path, pi);
    paths.push(pi);
    let node = root;
    for (const seg of path.split(".")) {
      if (!node.children) node.children = new Map();
      let next = node.children.get(seg);
      if (!next) node.children.set(seg, (next = new PathNode()));
      node = next;
    }
    node.index = pi;
    return pi;
  };

  patterns.forEach((pattern, rule) => {
    for (const sr of pattern.subRules) {
      const id = subRules.length;
      const fcs: FieldCondition[] = [];
      let need = 0;
      for (const field of sr.fields) {
        const optional = field.matchers.some((m) => m.kind === "absent");
        if (!optional) need++;
        const fc: FieldCondition = {
          id: fieldConditions.length,
          subRule: id,
          path: pathIndex(field.path),
          field,
          optional,
        };
        fieldConditions.push(fc);
        fcs.push(fc);
        for (const m of field.matchers) addMatcher(fc.path, m, fc.id);
      }
      subRules.push({ id, rule, fields: fcs, need });
      if (need === 0) alwaysCheck.push(id);
    }
  });
  finishNodes(root);
  return { root, paths, fieldConditions, subRules, alwaysCheck, ruleCount: patterns.length };
}

function finishNodes(node: PathNode): void {
  if (!node.children) return;
  if (node.children.size <= SMALL_CHILDREN) {
    const enc = new TextEncoder();
    node.childKeys = [];
    node.childNodes = [];
    for (const [k, child] of node.children) {
      node.childKeys.push(enc.encode(k));
      node.childNodes.push(child);
    }
  }
  for (const child of node.children.values()) finishNodes(child);
}

function push<K>(map: Map<K, number[]>, key: K, fc: number): void {
  const list = map.get(key);
  if (list) {
    if (list[list.length - 1] !== fc) list.push(fc);
  } else {
    map.set(key, [fc]);
  }
}

function pushList(list: number[] | null, fc: number): number[] {
  if (!list) return [fc];
  if (list[list.length - 1] !== fc) list.push(fc);
  return list;
}

function affix(a: Affix | null, value: string, fc: number): Affix {
  const out: Affix = a ?? { lengths: [], map: new Map() };
  if (!out.lengths.includes(value.length)) {
    out.lengths.push(value.length);
    out.lengths.sort((x, y) => x - y);
  }
  push(out.map, value, fc);
  return out;
}

function ignoreCase(ix: IgnoreCaseIndex | null, p: IgnoreCase, fc: number): IgnoreCaseIndex {
  const out: IgnoreCaseIndex = ix ?? { map: new Map(), lengths: [], complex: [] };
  if (!p.simple) {
    out.complex.push({ p, fc });
    return out;
  }
  const list = out.map.get(p.key);
  if (list) list.push({ p, fc });
  else out.map.set(p.key, [{ p, fc }]);
  if (!out.lengths.includes(p.lower.length)) {
    out.lengths.push(p.lower.length);
    out.lengths.sort((x, y) => x - y);
  }
  return out;
}

/** Conditions with the same operator and operand share one entry (and one test per value). */
function sharedEntry<T extends { fcs: number[] }>(
  list: T[] | null,
  same: (e: T) => boolean,
  make: () => T,
  fc: number,
): T[] {
  const out = list ?? [];
  const found = out.find(same);
  if (found) {
    if (found.fcs[found.fcs.length - 1] !== fc) found.fcs.push(fc);
  } else {
    const e = make();
    e.fcs.push(fc);
    out.push(e);
  }
  return out;
}

function addMatcher(pi: PathIndex, m: Matcher, fc: number): void {
  switch (m.kind) {
    case "exact":
      push((pi.exact ??= new Map()), m.value, fc);
      pi.strings = true;
      return;
    case "number":
      push((pi.numberValues ??= new Map()), m.value, fc);
      pi.numbers = true;
      return;
    case "literal":
      if (m.value === true) pi.litTrue = pushList(pi.litTrue, fc);
      else if (m.value === false) pi.litFalse = pushList(pi.litFalse, fc);
      else pi.litNull = pushList(pi.litNull, fc);
      pi.literals = true;
      return;
    case "ip":
      if (m.range.lo === m.range.hi) push((pi.ipExact ??= new Map()), m.range.lo, fc);
      else {
        const r = m.range;
        pi.ipRanges = sharedEntry(
          pi.ipRanges,
          (e) => e.range.lo === r.lo && e.range.hi === r.hi,
          () => ({ range: r, fcs: [] }),
          fc,
        );
      }
      pi.strings = true;
      return;
    case "prefix":
      pi.prefix = affix(pi.prefix, m.value, fc);
      pi.strings = true;
      return;
    case "suffix":
      pi.suffix = affix(pi.suffix, m.value, fc);
      pi.strings = true;
      return;
    case "equals-ignore-case":
      pi.equalsIc = ignoreCase(pi.equalsIc, m.value, fc);
      pi.strings = true;
      return;
    case "prefix-ignore-case":
      pi.prefixIc = ignoreCase(pi.prefixIc, m.value, fc);
      pi.strings = true;
      return;
    case "suffix-ignore-case":
      pi.suffixIc = ignoreCase(pi.suffixIc, m.value, fc);
      pi.strings = true;
      return;
    case "wildcard": {
      const w = m.value;
      pi.wildcards = sharedEntry(
        pi.wildcards,
        (e) => e.w.source === w.source,
        () => ({ w, fcs: [] }),
        fc,
      );
      pi.strings = true;
      return;
    }
    case "numeric":
      pi.ranges = sharedEntry(
        pi.ranges,
        (e) => e.lo === m.lo && e.hi === m.hi && e.loOpen === m.loOpen && e.hiOpen === m.hiOpen,
        () => ({ lo: m.lo, loOpen: m.loOpen, hi: m.hi, hiOpen: m.hiOpen, fcs: [] }),
        fc,
      );
      pi.numbers = true;
      return;
    case "exists":
      pi.exists = pushList(pi.exists, fc);
      pi.strings = pi.numbers = pi.literals = true;
      return;
    case "absent":
      return;
    default: {
      const k = anythingButKey(m);
      pi.anythingBut = sharedEntry(
        pi.anythingBut,
        (e) => anythingButKey(e.m) === k,
        () => ({
          m,
          fcs: [],
          strings: m.kind === "anything-but" ? new Set(m.values) : undefined,
          keys: m.kind === "anything-but-number" ? new Set(m.values) : undefined,
        }),
        fc,
      );
      pi.strings = pi.numbers = pi.literals = true;
    }
  }
}

const abKeys = new WeakMap<Matcher, string>();

function anythingButKey(m: Matcher): string {
  let k = abKeys.get(m);
  if (k !== undefined) return k;
  switch (m.kind) {
    case "anything-but":
    case "anything-but-prefix":
    case "anything-but-suffix":
      k = m.kind + JSON.stringify([...m.values].sort());
      break;
    case "anything-but-number":
      k = m.kind + JSON.stringify([...m.values].sort((a, b) => a - b));
      break;
    case "anything-but-ignore-case":
    case "anything-but-wildcard":
      k = m.kind + JSON.stringify(m.values.map((v) => v.source).sort());
      break;
    default:
      k = "";
  }
  abKeys.set(m, k);
  return k;
}
