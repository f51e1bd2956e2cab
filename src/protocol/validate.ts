/**
 * Input validation against the model's constraints (required, length, range, enum, pattern), reporting
 * violations the way AWS's Coral/Java servers do:
 *   "2 validation errors detected: Value 'x' at 'name' failed to satisfy constraint: Member must ...; Value ..."
 * Formats follow real AWS answers (conformance/aws-recordings and public error reports):
 * - paths use member names with the first letter lower-cased; list elements `entries.1.member.id`,
 *   map values `messageAttributes.attr1.member.dataType`;
 * - a list or map whose scalar elements break their constraints is reported once, at the collection's path,
 *   as `Member must satisfy constraint: [<every constraint of the element shape>]` (lists) or
 *   `Map value must satisfy constraint: [...]` / `Map keys must satisfy constraint: [...]` (maps),
 *   the constraints listed max length, min length, pattern, enum (as Lambda, ACM and CodePipeline answer);
 * - values are rendered with Java's toString: lists `[a, b]`, maps `{k=v}`, structures
 *   `ShapeName(memberA=value, memberB=null)` with every member of the shape in model order (or the order
 *   AWS was recorded printing, see AWS_RENDERED_MEMBERS); strings inside are unquoted;
 * - a sensitive member's value is never echoed: AWS writes `Value at 'password' failed ...`; inside a rendered
 *   structure a sensitive value is written `***` (AWS's exact placeholder there is unrecorded).
 * - at most 10 violations are listed, in member order (dynalite's observation of DynamoDB).
 */
import { RE2JS } from "re2js";
import { awsError } from "../errors/index.js";
import type { Shape, ServiceModel, ShapeType } from "./model.js";

const MAX_ERRORS = 10;

/**
 * Enum value sets in the order AWS prints them, where recordings show it differs from the model's order
 * (the servers keep enum values in a hash set, so the order cannot be derived). Keyed `<serviceId>/<shape>`.
 */
const AWS_ENUM_ORDER: Record<string, string[]> = {
  "CloudWatch/StateValue": ["INSUFFICIENT_DATA", "ALARM", "OK"],
  "CloudWatch Logs/OutputFormat": ["w3c", "raw", "json", "plain", "parquet"],
  "EventBridge/ApiDestinationHttpMethod": ["HEAD", "POST", "PATCH", "DELETE", "PUT", "GET", "OPTIONS"],
};

/**
 * Structures whose rendering on AWS differs from the model (member order, members newer than the vendored model),
 * as recorded: the lower-camel member names AWS prints, in its order. Names the model lacks render as null.
 */
const AWS_RENDERED_MEMBERS: Record<string, string[]> = {
  "CloudWatch Logs/MetricTransformation": [
    "metricName",
    "metricNamespace",
    "metricValue",
    "defaultValue",
    "unit",
    "dimensions",
  ],
  "EventBridge/PutEventsRequestEntry": [
    "time",
    "source",
    "resources",
    "detailType",
    "detail",
    "eventBusName",
    "traceHeader",
    "kmsKeyIdentifier",
    "internalMetadata",
  ],
};

interface MemberNode {
  /** Name as the decoded input carries it (the model's member name). */
  name: string;
  /** Name in paths and rendered structures: first letter lower-cased. */
  pathName: string;
  shapeName: string;
  required: boolean;
  node?: Node;
}

interface Node {
  name: string;
  type: ShapeType;
  sensitive: boolean;
  minLen?: number;
  maxLen?: number;
  minVal?: number;
  maxVal?: number;
  pattern?: string;
  regex?: RE2JS;
  enumSet?: Set<string>;
  enumText?: string;
  /** The element shape's constraints in AWS's `[...]` list form, for scalar list members and map values/keys. */
  constraintList?: string;
  members?: MemberNode[];
  /** How the structure renders in messages: member names in AWS's order (undefined: model order). */
  rendered?: { pathName: string; member?: MemberNode }[];
  elementName?: string;
  element?: Node;
  keyName?: string;
  key?: Node;
  /** Whether the shape has constraints of its own (length, range, pattern, enum). */
  hasOwn?: boolean;
  /** Whether this shape or anything below it can produce a violation; false lets whole subtrees be skipped. */
  deep?: boolean;
  /** Structure members worth visiting: required ones and those that can fail below. */
  checked?: MemberNode[];
}

interface Compiled {
  model: ServiceModel;
  nodes: Map<string, Node>;
}

const compiledModels = new WeakMap<ServiceModel, Compiled>();
const regexCache = new Map<string, RE2JS | null>();

function compiledFor(model: ServiceModel): Compiled {
  let c = compiledModels.get(model);
  if (!c) {
    c = { model, nodes: new Map() };
    compiledModels.set(model, c);
  }
  return c;
}

/** Compiles a model pattern with re2js (linear time); patterns re2js cannot express (lookarounds, ...) are skipped. */
export function compilePattern(pattern: string): RE2JS | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(javaUnicodeEscapes(pattern));
    } catch {
      re = null;
    }
    regexCache.set(pattern, re);
  }
  return re;
}

/**
 * Java regexes write characters as \\uXXXX (exactly four hex digits; a surrogate pair of escapes is one code
 * point); RE2 spells them \\x{...}. Escapes preceded by an escaped backslash are left alone.
 */
function javaUnicodeEscapes(pattern: string): string {
  if (!pattern.includes("\\u")) return pattern;
  return pattern.replace(
    /(\\*)\\u([0-9a-fA-F]{4})(?:\\u([0-9a-fA-F]{4}))?/g,
    (all, slashes: string, a: string, b?: string) => {
      if (slashes.length % 2 === 1) return all;
      const hi = parseInt(a, 16);
      if (b !== undefined) {
        const lo = parseInt(b, 16);
        if (hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) {
          const cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
          return `${slashes}\\x{${cp.toString(16)}}`;
        }
        return `${slashes}\\x{${a}}\\x{${b}}`;
      }
      return `${slashes}\\x{${a}}`;
    },
  );
}

export const lowerFirst = (s: string): string => (s.length === 0 ? s : s[0]!.toLowerCase() + s.slice(1));

function nodeFor(c: Compiled, shapeName: string): Node {
  let node = c.nodes.get(shapeName);
  if (node) return node;
  const shape: Shape | undefined = c.model.shapes[shapeName];
  if (!shape) throw new Error(`model ${c.model.metadata.serviceId} has no shape ${shapeName}`);
  node = { name: shapeName, type: shape.type, sensitive: shape.sensitive === true };
  c.nodes.set(shapeName, node);
  switch (shape.type) {
    case "structure": {
      const required = new Set(shape.required ?? []);
      node.members = Object.entries(shape.members ?? {}).map(([name, ref]) => ({
        name,
        pathName: lowerFirst(name),
        shapeName: ref.shape,
        required: required.has(name),
      }));
      const order = AWS_RENDERED_MEMBERS[`${c.model.metadata.serviceId}/${shapeName}`];
      if (order) {
        const byPath = new Map(node.members.map((m) => [m.pathName, m]));
        node.rendered = order.map((pathName) => ({ pathName, member: byPath.get(pathName) }));
      }
      break;
    }
    case "list":
      node.minLen = shape.min;
      node.maxLen = shape.max;
      node.elementName = shape.member?.shape;
      break;
    case "map":
      node.minLen = shape.min;
      node.maxLen = shape.max;
      node.elementName = shape.value?.shape;
      node.keyName = shape.key?.shape;
      break;
    case "string": {
      node.minLen = shape.min;
      node.maxLen = shape.max;
      if (shape.pattern !== undefined) {
        const re = compilePattern(shape.pattern);
        if (re) {
          node.pattern = shape.pattern;
          node.regex = re;
        }
      }
      if (shape.enum) {
        node.enumSet = new Set(shape.enum);
        const order = AWS_ENUM_ORDER[`${c.model.metadata.serviceId}/${shapeName}`] ?? shape.enum;
        node.enumText = `[${order.join(", ")}]`;
      }
      break;
    }
    case "blob":
      node.minLen = shape.min;
      node.maxLen = shape.max;
      break;
    case "integer":
    case "long":
    case "float":
    case "double":
    case "bigdecimal":
    case "biginteger":
      node.minVal = shape.min;
      node.maxVal = shape.max;
      break;
    default:
      break;
  }
  node.constraintList = constraintList(node);
  node.hasOwn = hasOwnConstraints(node);
  return node;
}

function memberNode(c: Compiled, m: MemberNode): Node {
  return (m.node ??= nodeFor(c, m.shapeName));
}

function elementNode(c: Compiled, n: Node): Node | undefined {
  if (n.element === undefined && n.elementName !== undefined) n.element = nodeFor(c, n.elementName);
  return n.element;
}

function keyNode(c: Compiled, n: Node): Node | undefined {
  if (n.key === undefined && n.keyName !== undefined) n.key = nodeFor(c, n.keyName);
  return n.key;
}

const hasOwnConstraints = (n: Node): boolean =>
  n.minLen !== undefined ||
  n.maxLen !== undefined ||
  n.minVal !== undefined ||
  n.maxVal !== undefined ||
  n.regex !== undefined ||
  n.enumSet !== undefined;

/** Whether validating a value of this shape can ever fail; computed once, cycles count as "yes". */
function isDeep(c: Compiled, n: Node, visiting = new Set<Node>()): boolean {
  if (n.deep !== undefined) return n.deep;
  if (visiting.has(n)) return true;
  visiting.add(n);
  let deep = hasOwnConstraints(n);
  if (!deep && n.members) {
    for (const m of n.members) {
      if (m.required || isDeep(c, memberNode(c, m), visiting)) {
        deep = true;
        break;
      }
    }
  }
  if (!deep) {
    const el = elementNode(c, n);
    const key = keyNode(c, n);
    deep = (el !== undefined && isDeep(c, el, visiting)) || (key !== undefined && isDeep(c, key, visiting));
  }
  visiting.delete(n);
  n.deep = deep;
  return deep;
}

/** The `[...]` list AWS prints for an element shape: every constraint of the shape, not only the broken one. */
function constraintList(n: Node): string | undefined {
  const parts: string[] = [];
  if (n.maxLen !== undefined) parts.push(`Member must have length less than or equal to ${n.maxLen}`);
  if (n.minLen !== undefined) parts.push(`Member must have length greater than or equal to ${n.minLen}`);
  if (n.maxVal !== undefined) parts.push(`Member must have value less than or equal to ${n.maxVal}`);
  if (n.minVal !== undefined) parts.push(`Member must have value greater than or equal to ${n.minVal}`);
  if (n.pattern !== undefined) parts.push(`Member must satisfy regular expression pattern: ${n.pattern}`);
  if (n.enumText !== undefined) parts.push(`Member must satisfy enum value set: ${n.enumText}`);
  return parts.length ? `[${parts.join(", ")}]` : undefined;
}

function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function lengthOf(n: Node, v: unknown): number | undefined {
  if (typeof v === "string") return n.type === "string" ? codePointLength(v) : undefined;
  if (Array.isArray(v)) return v.length;
  if (v instanceof Uint8Array) return v.byteLength;
  if (v instanceof Map) return v.size;
  if (typeof v === "object" && v !== null && n.type === "map") return Object.keys(v).length;
  return undefined;
}

/** Messages for the constraints of `n` itself that `v` breaks, in AWS's order: pattern, length, enum, range. */
function ownViolations(n: Node, v: unknown, out: string[]): void {
  if (n.regex !== undefined && typeof v === "string" && !n.regex.testExact(v)) {
    out.push(`Member must satisfy regular expression pattern: ${n.pattern}`);
  }
  if (n.minLen !== undefined || n.maxLen !== undefined) {
    const len = lengthOf(n, v);
    if (len !== undefined) {
      if (n.minLen !== undefined && len < n.minLen) {
        out.push(`Member must have length greater than or equal to ${n.minLen}`);
      }
      if (n.maxLen !== undefined && len > n.maxLen) {
        out.push(`Member must have length less than or equal to ${n.maxLen}`);
      }
    }
  }
  if (n.enumSet !== undefined && typeof v === "string" && !n.enumSet.has(v)) {
    out.push(`Member must satisfy enum value set: ${n.enumText}`);
  }
  if (n.minVal !== undefined || n.maxVal !== undefined) {
    if (typeof v === "number" || typeof v === "bigint") {
      if (n.minVal !== undefined && v < n.minVal)
        out.push(`Member must have value greater than or equal to ${n.minVal}`);
      if (n.maxVal !== undefined && v > n.maxVal) out.push(`Member must have value less than or equal to ${n.maxVal}`);
    }
  }
}

/** Cheap check that `v` satisfies the node's own constraints; false means "run the exact check". */
function quickOk(n: Node, v: unknown): boolean {
  if (typeof v === "number") {
    return (n.minVal === undefined || v >= n.minVal) && (n.maxVal === undefined || v <= n.maxVal);
  }
  if (Array.isArray(v)) {
    return (n.minLen === undefined || v.length >= n.minLen) && (n.maxLen === undefined || v.length <= n.maxLen);
  }
  if (typeof v !== "string" || n.type !== "string") return false;
  // Code points lie in [ceil(units / 2), units], so most strings need no code-point scan.
  const units = v.length;
  if (n.maxLen !== undefined && units > n.maxLen) return false;
  if (n.minLen !== undefined && (units + 1) >> 1 < n.minLen) return false;
  if (n.enumSet !== undefined && !n.enumSet.has(v)) return false;
  if (n.regex !== undefined && !n.regex.testExact(v)) return false;
  return true;
}

/**
 * Walks a value collecting violations. The path is kept as a stack of segments (member names, list indices) and
 * only joined into a string when a violation is reported, so valid input costs no string building.
 */
class Walker {
  readonly errors: string[] = [];
  private readonly scratch: string[] = [];
  private readonly segments: (string | number)[] = [];
  constructor(private readonly c: Compiled) {}

  full(): boolean {
    return this.errors.length >= MAX_ERRORS;
  }

  private path(): string {
    let p = "";
    for (const s of this.segments) {
      const seg = typeof s === "number" ? String(s + 1) : s;
      p = p === "" ? seg : `${p}.${seg}`;
    }
    return p;
  }

  private report(n: Node, v: unknown, constraint: string): void {
    if (this.full()) return;
    const shown = n.sensitive ? "" : v == null ? " null" : ` '${renderValue(this.c, n, v)}'`;
    this.errors.push(`Value${shown} at '${this.path()}' failed to satisfy constraint: ${constraint}`);
  }

  /** Checks a present value of shape `n` at the current path, then what lies below it. */
  value(n: Node, v: unknown): void {
    if (this.full()) return;
    if (n.hasOwn && !quickOk(n, v)) {
      const found = this.scratch;
      found.length = 0;
      ownViolations(n, v, found);
      for (const msg of found) this.report(n, v, msg);
    }
    switch (n.type) {
      case "structure":
        if (typeof v === "object" && v !== null && !Array.isArray(v)) this.structure(n, v as Record<string, unknown>);
        break;
      case "list":
        if (Array.isArray(v)) this.list(n, v);
        break;
      case "map":
        if (typeof v === "object" && v !== null) this.map(n, v as Record<string, unknown>);
        break;
      default:
        break;
    }
  }

  structure(n: Node, obj: Record<string, unknown>): void {
    const members = (n.checked ??= n.members!.filter((m) => isDeep(this.c, memberNode(this.c, m)) || m.required));
    const segs = this.segments;
    for (const m of members) {
      if (this.full()) return;
      const v = obj[m.name];
      if (v == null) {
        if (m.required) {
          segs.push(m.pathName);
          this.report(memberNode(this.c, m), null, "Member must not be null");
          segs.pop();
        }
        continue;
      }
      const child = m.node!;
      if (child.deep === true) {
        segs.push(m.pathName);
        this.value(child, v);
        segs.pop();
      }
    }
  }

  private list(n: Node, items: unknown[]): void {
    const el = elementNode(this.c, n);
    if (!el || !isDeep(this.c, el)) return;
    if (isScalar(el.type)) {
      // One violation for the whole list, listing the element shape's constraints (AWS's form).
      if (!el.hasOwn) return;
      const found = this.scratch;
      for (const item of items) {
        if (item == null || quickOk(el, item)) continue;
        found.length = 0;
        ownViolations(el, item, found);
        if (found.length) {
          this.report(n, items, `Member must satisfy constraint: ${el.constraintList}`);
          return;
        }
      }
      return;
    }
    const segs = this.segments;
    for (let i = 0; i < items.length; i++) {
      if (this.full()) return;
      const item = items[i];
      if (item == null) continue;
      segs.push(i, "member");
      this.value(el, item);
      segs.pop();
      segs.pop();
    }
  }

  private map(n: Node, obj: Record<string, unknown>): void {
    const key = keyNode(this.c, n);
    const el = elementNode(this.c, n);
    const entries = obj instanceof Map ? [...(obj as Map<string, unknown>).entries()] : Object.entries(obj);
    const found = this.scratch;
    if (key && key.hasOwn) {
      for (const [k] of entries) {
        if (quickOk(key, k)) continue;
        found.length = 0;
        ownViolations(key, k, found);
        if (found.length) {
          this.report(n, obj, `Map keys must satisfy constraint: ${key.constraintList}`);
          break;
        }
      }
    }
    if (!el || !isDeep(this.c, el)) return;
    if (isScalar(el.type)) {
      if (!el.hasOwn) return;
      for (const [, v] of entries) {
        if (v == null || quickOk(el, v)) continue;
        found.length = 0;
        ownViolations(el, v, found);
        if (found.length) {
          this.report(n, obj, `Map value must satisfy constraint: ${el.constraintList}`);
          return;
        }
      }
      return;
    }
    const segs = this.segments;
    for (const [k, v] of entries) {
      if (this.full()) return;
      if (v == null) continue;
      segs.push(k, "member");
      this.value(el, v);
      segs.pop();
      segs.pop();
    }
  }
}

const isScalar = (t: ShapeType): boolean => t !== "structure" && t !== "list" && t !== "map";

/**
 * Validates a decoded input against the operation's input shape and throws `awsError(errorCode, ...)` listing
 * every violation found (up to 10). Operations without input accept anything.
 */
export function validateInput(
  model: ServiceModel,
  operation: string,
  input: Record<string, unknown>,
  errorCode: string,
): void {
  const op = model.operations[operation];
  const inputShape = op?.input?.shape;
  if (!inputShape) return;
  const c = compiledFor(model);
  const root = nodeFor(c, inputShape);
  if (!isDeep(c, root)) return;
  const w = new Walker(c);
  w.structure(root, input);
  if (w.errors.length) {
    const n = w.errors.length;
    throw awsError(errorCode, `${n} validation error${n > 1 ? "s" : ""} detected: ${w.errors.join("; ")}`);
  }
}

// ---- Java-style rendering of values ----

function renderValue(c: Compiled, n: Node | undefined, v: unknown): string {
  if (v == null) return "null";
  if (n?.sensitive) return "***";
  if (typeof v === "string") return v;
  if (typeof v === "number") {
    return n && (n.type === "double" || n.type === "float") ? javaDouble(v) : String(v);
  }
  if (typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (v instanceof Date) return javaDate(v);
  if (v instanceof Uint8Array) return `java.nio.HeapByteBuffer[pos=0 lim=${v.byteLength} cap=${v.byteLength}]`;
  if (Array.isArray(v)) {
    const el = n?.type === "list" ? elementNode(c, n) : undefined;
    return `[${v.map((x) => renderValue(c, el, x)).join(", ")}]`;
  }
  if (n?.type === "structure" && typeof v === "object") {
    const obj = v as Record<string, unknown>;
    const parts = (n.rendered ?? n.members!.map((m) => ({ pathName: m.pathName, member: m }))).map(
      ({ pathName, member }) =>
        member ? `${pathName}=${renderValue(c, memberNode(c, member), obj[member.name])}` : `${pathName}=null`,
    );
    return `${n.name}(${parts.join(", ")})`;
  }
  if (typeof v === "object") {
    const el = n?.type === "map" ? elementNode(c, n) : undefined;
    const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as Record<string, unknown>);
    return `{${entries.map(([k, x]) => `${String(k)}=${renderValue(c, el, x)}`).join(", ")}}`;
  }
  return String(v);
}

/** Java's Double.toString: plain decimal with at least one fraction digit in [1e-3, 1e7), else d.dddE±n. */
export function javaDouble(d: number): string {
  if (Number.isNaN(d)) return "NaN";
  if (d === Infinity) return "Infinity";
  if (d === -Infinity) return "-Infinity";
  if (d === 0) return Object.is(d, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes(".") ? s : `${s}.0`;
  }
  const [mant, exp] = d.toExponential().split("e") as [string, string];
  const m = mant.includes(".") ? mant : `${mant}.0`;
  return `${m}E${exp.startsWith("+") ? exp.slice(1) : exp}`;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** java.util.Date#toString in UTC: "Tue Nov 14 22:13:20 UTC 2023". */
function javaDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return "null";
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad2(d.getUTCDate())} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  );
}
