/**
 * Matching: what one event value does to one matcher (valueMatches, the reference semantics), and the engine that
 * runs a whole event against a compiled index in one pass. The engine lights field conditions value by value through
 * the index, counts lit fields per sub-rule, and confirms the candidates: directly when at most one of the sub-rule's
 * paths has values inside arrays of objects, otherwise with an array-consistent search in path order (event-ruler's
 * ACFinder: the values a sub-rule uses must not come from different elements of the same array, and `exists: false`
 * ignores values inconsistent with the ones chosen for earlier fields).
 */
import { ipToHex } from "./cidr.js";
import type {
  AnythingButEntry,
  CompiledIndex,
  FieldCondition,
  IgnoreCaseIndex,
  PathIndex,
  SubRuleInfo,
} from "./compile.js";
import { consistent, flattenObject, Frame, JsonScanner, Kind } from "./flatten.js";
import type { Sink } from "./flatten.js";
import { endsWithIgnoreCase, equalsIgnoreCase, foldKey, startsWithIgnoreCase } from "./ignore-case.js";
import type { Matcher } from "./types.js";
import { wildcardMatches } from "./wildcard.js";

/**
 * Does one event value satisfy one matcher? (`absent` is decided per path, never per value.)
 *
 * Numbers compare as IEEE-754 doubles over their whole range: event-ruler moved to this in 2024 (PR #188, "support
 * full range of float64"); the older limit AWS's docs still describe (-5.0e9..5.0e9, six decimals) no longer holds,
 * and event-ruler's citylots2 counts (numbers with 14 decimals compared with "=" and "<") need exact comparison.
 */
export function valueMatches(m: Matcher, kind: Kind, s: string, n: number): boolean {
  switch (m.kind) {
    case "exact":
      return kind === Kind.String && s === m.value;
    case "number":
      return kind === Kind.Number && n === m.value;
    case "literal":
      return m.value === true ? kind === Kind.True : m.value === false ? kind === Kind.False : kind === Kind.Null;
    case "ip": {
      if (kind !== Kind.String) return false;
      const hex = ipToHex(s);
      return hex !== undefined && inIpRange(hex, m.range.lo, m.range.hi);
    }
    case "prefix":
      return kind === Kind.String && s.startsWith(m.value);
    case "suffix":
      return kind === Kind.String && s.endsWith(m.value);
    case "equals-ignore-case":
      return kind === Kind.String && equalsIgnoreCase(m.value, s);
    case "prefix-ignore-case":
      return kind === Kind.String && startsWithIgnoreCase(m.value, s);
    case "suffix-ignore-case":
      return kind === Kind.String && endsWithIgnoreCase(m.value, s);
    case "wildcard":
      return kind === Kind.String && wildcardMatches(m.value, s);
    case "numeric":
      return kind === Kind.Number && inRange(n, m.lo, m.loOpen, m.hi, m.hiOpen);
    case "exists":
      return true;
    case "absent":
      return false;
    default:
      return !anythingButExcludes(m, kind, s, n);
  }
}

/**
 * An anything-but excludes only values of its own kind: a string list never excludes numbers, null or booleans (so
 * `{"anything-but": "x"}` matches `null`), a number list never excludes strings, and the prefix, suffix, wildcard and
 * ignore-case forms only exclude strings.
 */
function anythingButExcludes(
  m: Matcher,
  kind: Kind,
  s: string,
  n: number,
  strings?: ReadonlySet<string>,
  keys?: ReadonlySet<number>,
): boolean {
  switch (m.kind) {
    case "anything-but":
      return kind === Kind.String && (strings ? strings.has(s) : m.values.includes(s));
    case "anything-but-number":
      return kind === Kind.Number && (keys ? keys.has(n) : m.values.includes(n));
    case "anything-but-ignore-case":
      return kind === Kind.String && m.values.some((p) => equalsIgnoreCase(p, s));
    case "anything-but-prefix":
      return kind === Kind.String && m.values.some((v) => s.startsWith(v));
    case "anything-but-suffix":
      return kind === Kind.String && m.values.some((v) => s.endsWith(v));
    case "anything-but-wildcard":
      return kind === Kind.String && m.values.some((w) => wildcardMatches(w, s));
    default:
      return false;
  }
}

function inRange(key: number, lo: number, loOpen: boolean, hi: number, hiOpen: boolean): boolean {
  return (loOpen ? key > lo : key >= lo) && (hiOpen ? key < hi : key <= hi);
}

function inIpRange(hex: string, lo: string, hi: string): boolean {
  return hex.length === lo.length && hex >= lo && hex <= hi;
}

/** Steps the array-consistency search may take for one sub-rule and event; beyond it the sub-rule does not match. */
export const SEARCH_BUDGET = 100_000;

class BudgetExceeded extends Error {}

const scanner = new JsonScanner();

export class Engine implements Sink {
  private epoch = 0;
  private readonly fcEpoch: Uint32Array;
  private readonly srEpoch: Uint32Array;
  private readonly srCount: Int32Array;
  private readonly ruleEpoch: Uint32Array;
  private readonly pathEpoch: Uint32Array;
  private readonly pathFramed: Uint32Array;
  private readonly pathHead: Int32Array;
  private readonly fcSub: Int32Array;
  private readonly fcOptional: Uint8Array;
  private touched: number[] = [];
  private matched: number[] = [];
  private arrays = 0;
  private steps = 0;
  // the event's values
  private n = 0;
  private vKind = new Uint8Array(64);
  private vStr: string[] = new Array<string>(64).fill("");
  private vNum = new Float64Array(64);
  private vFrame: (Frame | null)[] = new Array<Frame | null>(64).fill(null);
  private vNext = new Int32Array(64);

  constructor(readonly ix: CompiledIndex) {
    const fcs = ix.fieldConditions.length;
    const srs = ix.subRules.length;
    this.fcEpoch = new Uint32Array(fcs);
    this.fcSub = new Int32Array(fcs);
    this.fcOptional = new Uint8Array(fcs);
    for (const fc of ix.fieldConditions) {
      this.fcSub[fc.id] = fc.subRule;
      this.fcOptional[fc.id] = fc.optional ? 1 : 0;
    }
    this.srEpoch = new Uint32Array(srs);
    this.srCount = new Int32Array(srs);
    this.ruleEpoch = new Uint32Array(ix.ruleCount);
    this.pathEpoch = new Uint32Array(ix.paths.length);
    this.pathFramed = new Uint32Array(ix.paths.length);
    this.pathHead = new Int32Array(ix.paths.length);
  }

  /** Rule indexes (ascending) that match a JavaScript event object. */
  match(event: unknown): number[] {
    this.begin();
    try {
      flattenObject(event, this.ix.root, this);
    } catch {
      // an object whose properties cannot be read (throwing getters, revoked proxies): nothing matches
      this.n = 0;
      return [];
    }
    return this.finish();
  }

  /** Rule indexes (ascending) that match an event given as JSON text or bytes; throws SyntaxError if malformed. */
  matchJson(json: string | Uint8Array): number[] {
    this.begin();
    scanner.load(json);
    scanner.scan(this.ix.root, this);
    return this.finish();
  }

  private begin(): void {
    if (++this.epoch === 0xffffffff) {
      for (const a of [this.fcEpoch, this.srEpoch, this.ruleEpoch, this.pathEpoch, this.pathFramed]) a.fill(0);
      this.epoch = 1;
    }
    this.n = 0;
    this.arrays = 0;
    this.touched.length = 0;
    this.matched.length = 0;
  }

  nextArrayId(): number {
    return this.arrays++;
  }

  value(pi: PathIndex, kind: Kind, s: string, n: number, frame: Frame | null): void {
    const vi = this.n++;
    if (vi === this.vKind.length) this.grow();
    this.vKind[vi] = kind;
    this.vStr[vi] = s;
    this.vNum[vi] = n;
    this.vFrame[vi] = frame;
    const pid = pi.id;
    const epoch = this.epoch;
    if (this.pathEpoch[pid] !== epoch) {
      this.pathEpoch[pid] = epoch;
      this.pathHead[pid] = -1;
    }
    this.vNext[vi] = this.pathHead[pid]!;
    this.pathHead[pid] = vi;
    if (frame !== null) this.pathFramed[pid] = epoch;
    if (kind === Kind.String) {
      if (pi.strings) this.evalString(pi, s);
    } else if (kind === Kind.Number) {
      if (pi.numbers) this.evalNumber(pi, n);
    } else if (pi.literals) {
      this.evalLiteral(pi, kind);
    }
  }

  private grow(): void {
    const size = this.vKind.length * 2;
    const kind = new Uint8Array(size);
    kind.set(this.vKind);
    this.vKind = kind;
    const num = new Float64Array(size);
    num.set(this.vNum);
    this.vNum = num;
    const next = new Int32Array(size);
    next.set(this.vNext);
    this.vNext = next;
    this.vStr.length = size;
    this.vFrame.length = size;
  }

  private hits(fcs: readonly number[]): void {
    const epoch = this.epoch;
    for (let i = 0; i < fcs.length; i++) {
      const fc = fcs[i]!;
      if (this.fcEpoch[fc] === epoch) continue;
      this.fcEpoch[fc] = epoch;
      const sr = this.fcSub[fc]!;
      if (this.srEpoch[sr] !== epoch) {
        this.srEpoch[sr] = epoch;
        this.srCount[sr] = 0;
        this.touched.push(sr);
      }
      if (this.fcOptional[fc] === 0) this.srCount[sr]!++;
    }
  }

  private hit(fc: number): void {
    const epoch = this.epoch;
    if (this.fcEpoch[fc] === epoch) return;
    this.fcEpoch[fc] = epoch;
    const sr = this.fcSub[fc]!;
    if (this.srEpoch[sr] !== epoch) {
      this.srEpoch[sr] = epoch;
      this.srCount[sr] = 0;
      this.touched.push(sr);
    }
    if (this.fcOptional[fc] === 0) this.srCount[sr]!++;
  }

  private evalString(pi: PathIndex, s: string): void {
    if (pi.exact !== null) {
      const l = pi.exact.get(s);
      if (l !== undefined) this.hits(l);
    }
    if (pi.prefix !== null) {
      const { lengths, map } = pi.prefix;
      for (let i = 0; i < lengths.length; i++) {
        const len = lengths[i]!;
        if (len > s.length) break;
        const l = map.get(len === s.length ? s : s.slice(0, len));
        if (l !== undefined) this.hits(l);
      }
    }
    if (pi.suffix !== null) {
      const { lengths, map } = pi.suffix;
      for (let i = 0; i < lengths.length; i++) {
        const len = lengths[i]!;
        if (len > s.length) break;
        const l = map.get(len === s.length ? s : s.slice(s.length - len));
        if (l !== undefined) this.hits(l);
      }
    }
    if (pi.equalsIc !== null) this.ignoreCase(pi.equalsIc, s, 0);
    if (pi.prefixIc !== null) this.ignoreCase(pi.prefixIc, s, 1);
    if (pi.suffixIc !== null) this.ignoreCase(pi.suffixIc, s, 2);
    if (pi.ipExact !== null || pi.ipRanges !== null) {
      const hex = ipToHex(s);
      if (hex !== undefined) {
        if (pi.ipExact !== null) {
          const l = pi.ipExact.get(hex);
          if (l !== undefined) this.hits(l);
        }
        if (pi.ipRanges !== null) {
          for (const e of pi.ipRanges) if (inIpRange(hex, e.range.lo, e.range.hi)) this.hits(e.fcs);
        }
      }
    }
    if (pi.wildcards !== null) {
      for (const e of pi.wildcards) if (wildcardMatches(e.w, s)) this.hits(e.fcs);
    }
    if (pi.exists !== null) this.hits(pi.exists);
    if (pi.anythingBut !== null) this.anythingBut(pi.anythingBut, Kind.String, s, 0);
  }

  /** mode 0: equals, 1: prefix, 2: suffix. */
  private ignoreCase(ix: IgnoreCaseIndex, s: string, mode: number): void {
    if (ix.map.size > 0) {
      if (mode === 0) {
        const l = ix.map.get(foldKey(s));
        if (l !== undefined) for (const e of l) if (equalsIgnoreCase(e.p, s)) this.hit(e.fc);
      } else {
        for (const len of ix.lengths) {
          if (len > s.length) break;
          const part = len === s.length ? s : mode === 1 ? s.slice(0, len) : s.slice(s.length - len);
          const l = ix.map.get(foldKey(part));
          if (l === undefined) continue;
          for (const e of l) if (mode === 1 ? startsWithIgnoreCase(e.p, s) : endsWithIgnoreCase(e.p, s)) this.hit(e.fc);
        }
      }
    }
    for (const e of ix.complex) {
      const ok =
        mode === 0 ? equalsIgnoreCase(e.p, s) : mode === 1 ? startsWithIgnoreCase(e.p, s) : endsWithIgnoreCase(e.p, s);
      if (ok) this.hit(e.fc);
    }
  }

  private evalNumber(pi: PathIndex, n: number): void {
    if (pi.numberValues !== null) {
      const l = pi.numberValues.get(n);
      if (l !== undefined) this.hits(l);
    }
    if (pi.ranges !== null) {
      const ranges = pi.ranges;
      for (let i = 0; i < ranges.length; i++) {
        const e = ranges[i]!;
        if (inRange(n, e.lo, e.loOpen, e.hi, e.hiOpen)) this.hits(e.fcs);
      }
    }
    if (pi.exists !== null) this.hits(pi.exists);
    if (pi.anythingBut !== null) this.anythingBut(pi.anythingBut, Kind.Number, "", n);
  }

  private evalLiteral(pi: PathIndex, kind: Kind): void {
    const l = kind === Kind.True ? pi.litTrue : kind === Kind.False ? pi.litFalse : pi.litNull;
    if (l !== null) this.hits(l);
    if (pi.exists !== null) this.hits(pi.exists);
    if (pi.anythingBut !== null) this.anythingBut(pi.anythingBut, kind, "", 0);
  }

  private anythingBut(list: readonly AnythingButEntry[], kind: Kind, s: string, n: number): void {
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (!anythingButExcludes(e.m, kind, s, n, e.strings, e.keys)) this.hits(e.fcs);
    }
  }

  private finish(): number[] {
    const ix = this.ix;
    const epoch = this.epoch;
    const touched = this.touched;
    for (let i = 0; i < touched.length; i++) {
      const sr = touched[i]!;
      const info = ix.subRules[sr]!;
      if (this.srCount[sr] === info.need) this.confirm(info);
    }
    for (const sr of ix.alwaysCheck) {
      if (this.srEpoch[sr] !== epoch) this.confirm(ix.subRules[sr]!);
    }
    const out = this.matched;
    if (out.length > 1) out.sort((a, b) => a - b);
    return out; // reused by the next call: callers copy
  }

  private confirm(sr: SubRuleInfo): void {
    const epoch = this.epoch;
    if (this.ruleEpoch[sr.rule] === epoch) return;
    const fields = sr.fields;
    let framed = 0;
    for (let i = 0; i < fields.length; i++) if (this.pathFramed[fields[i]!.path.id] === epoch) framed++;
    let ok: boolean;
    if (framed >= 2) {
      this.steps = 0;
      try {
        ok = this.search(fields, 0, []);
      } catch (e) {
        if (!(e instanceof BudgetExceeded)) throw e;
        ok = false;
      }
    } else {
      ok = true;
      for (let i = 0; i < fields.length; i++) {
        const fc = fields[i]!;
        if (this.fcEpoch[fc.id] === epoch) continue;
        if (fc.optional && this.pathEpoch[fc.path.id] !== epoch) continue;
        ok = false;
        break;
      }
    }
    if (ok) {
      this.ruleEpoch[sr.rule] = epoch;
      this.matched.push(sr.rule);
    }
  }

  /** The array-consistent search over the sub-rule's fields in path order. */
  private search(fields: readonly FieldCondition[], i: number, chosen: Frame[]): boolean {
    if (i === fields.length) return true;
    const fc = fields[i]!;
    const pid = fc.path.id;
    let present = false;
    if (this.pathEpoch[pid] === this.epoch) {
      for (let vi = this.pathHead[pid]!; vi >= 0; vi = this.vNext[vi]!) {
        if (++this.steps > SEARCH_BUDGET) throw new BudgetExceeded();
        const frame = this.vFrame[vi]!;
        let ok = true;
        if (frame !== null)
          for (const c of chosen)
            if (!consistent(c, frame)) {
              ok = false;
              break;
            }
        if (!ok) continue;
        present = true;
        if (!this.valueMatchesField(fc, vi)) continue;
        if (frame !== null) chosen.push(frame);
        const found = this.search(fields, i + 1, chosen);
        if (frame !== null) chosen.pop();
        if (found) return true;
      }
    }
    return fc.optional && !present && this.search(fields, i + 1, chosen);
  }

  private valueMatchesField(fc: FieldCondition, vi: number): boolean {
    const kind = this.vKind[vi]! as Kind;
    const s = this.vStr[vi]!;
    const n = this.vNum[vi]!;
    for (const m of fc.field.matchers) if (valueMatches(m, kind, s, n)) return true;
    return false;
  }
}
