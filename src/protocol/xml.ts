/**
 * XML for the awsQuery and restXml protocols: a writer compiled once per shape from the botocore model
 * (locationName, flattened, xmlNamespace, xmlAttribute, list member and map entry names, timestamp formats),
 * and a safe reader for the few XML request bodies (S3 configuration documents): no DTDs, no entities
 * beyond XML's five and character references, bounded size.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { MemberRef, ServiceModel, Shape } from "./model.js";
import { shapeOf } from "./model.js";

export type TimestampFormat = "iso8601" | "rfc822" | "unixTimestamp";

// ---------------------------------------------------------------------------------------------------
// Scalars

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\r": "&#xD;",
  "\n": "&#xA;",
  "\t": "&#x9;",
};
const NEEDS_ESCAPE = /[&<>"'\u0000-\u001f]/;
const ESCAPE_ALL = /[&<>"'\u0000-\u001f]/g;
const escapeChar = (c: string) => ESCAPES[c] ?? `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`;

/**
 * Escapes text and attribute values the way AWS does: the five XML specials as named entities, and CR, LF,
 * tab and other control characters as character references (`\r` -> `&#xD;`), so parsers cannot normalize them away.
 */
export function escapeXml(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE_ALL, escapeChar) : s;
}

/**
 * A timestamp in the given wire format. Accepts a Date, epoch milliseconds (a number, as Date.now() gives)
 * or an already formatted string (passed through).
 */
export function formatTimestamp(value: unknown, format: TimestampFormat): string {
  if (typeof value === "string") return value;
  const ms = value instanceof Date ? value.getTime() : Number(value);
  if (format === "iso8601") return isoString(ms);
  if (format === "rfc822") return new Date(ms).toUTCString();
  return String(ms / 1000);
}

const PAD2 = Array.from({ length: 100 }, (_, i) => (i < 10 ? "0" : "") + i);
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

/**
 * Date#toISOString by arithmetic (days to civil date, H. Hinnant's algorithm): several times faster than
 * the builtin, which dominates large outputs (GetMetricData, ListObjects).
 */
export function isoString(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rem = ms - days * 86_400_000;
  if (!(rem >= 0 && rem < 86_400_000) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const h = Math.floor(rem / 3_600_000);
  rem -= h * 3_600_000;
  const mi = Math.floor(rem / 60_000);
  rem -= mi * 60_000;
  const s = Math.floor(rem / 1000);
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 1000 || y > 9999) return new Date(ms).toISOString();
  return `${y}-${PAD2[m]}-${PAD2[d]}T${PAD2[h]}:${PAD2[mi]}:${PAD2[s]}.${PAD3[rem - s * 1000]}Z`;
}

function toBase64(value: unknown): string {
  if (typeof value === "string") return Buffer.from(value, "utf8").toString("base64");
  if (Buffer.isBuffer(value)) return value.toString("base64");
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
  return Buffer.from(String(value), "utf8").toString("base64");
}

/** The unescaped text of a scalar of the given shape (for XML text, headers and query values). */
export function scalarText(shape: Shape, value: unknown, format: TimestampFormat): string {
  switch (shape.type) {
    case "boolean":
      return value === true || value === "true" ? "true" : "false";
    case "timestamp":
      return formatTimestamp(value, format);
    case "blob":
      return toBase64(value);
    default:
      // Numbers: String() already gives AWS's NaN / Infinity / -Infinity spellings.
      return typeof value === "string" ? value : String(value);
  }
}

// ---------------------------------------------------------------------------------------------------
// Writer

/**
 * Collects output text. Large documents are flushed to UTF-8 buffers every few KB, so the strings built
 * while writing die young instead of accumulating as one long rope (which made GC dominate 1 MB outputs).
 */
export class XmlSink {
  private s = "";
  private chunks: Buffer[] | undefined;

  add(text: string): void {
    this.s += text;
    if (this.s.length > 16_384) {
      (this.chunks ??= []).push(Buffer.from(this.s, "utf8"));
      this.s = "";
    }
  }

  toBuffer(): Buffer {
    if (!this.chunks) return Buffer.from(this.s, "utf8");
    if (this.s !== "") this.chunks.push(Buffer.from(this.s, "utf8"));
    this.s = "";
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
  }

  toString(): string {
    return this.chunks ? this.toBuffer().toString("utf8") : this.s;
  }
}

/** Writes one element (or, for a flattened list or map, its repeated elements) named `name`. */
type Writer = (out: XmlSink, name: string, attrs: string, value: unknown) => void;

const writerCache = new WeakMap<ServiceModel, Map<string, Writer>>();

function nsAttr(ns: { uri: string; prefix?: string } | undefined): string {
  if (!ns) return "";
  return ns.prefix ? ` xmlns:${ns.prefix}="${escapeXml(ns.uri)}"` : ` xmlns="${escapeXml(ns.uri)}"`;
}

const isFlattened = (ref: MemberRef, shape: Shape) => !!(ref.flattened || shape.flattened);

/** Timestamps in XML bodies default to ISO-8601 in both awsQuery and restXml. */
const BODY_TIMESTAMPS: TimestampFormat = "iso8601";

function writerFor(model: ServiceModel, ref: MemberRef): Writer {
  const shape = shapeOf(model, ref.shape);
  const flat = isFlattened(ref, shape);
  const fmt = ref.timestampFormat ?? shape.timestampFormat ?? BODY_TIMESTAMPS;
  const key = `${ref.shape}|${flat ? "f" : ""}|${shape.type === "timestamp" ? fmt : ""}`;
  let cache = writerCache.get(model);
  if (!cache) writerCache.set(model, (cache = new Map()));
  const cached = cache.get(key);
  if (cached) return cached;
  // Recursive shapes reach this entry while it compiles: they get a trampoline to the finished one.
  cache.set(key, (o, n, a, v) => compiled(o, n, a, v));
  const compiled: Writer = compileWriter(model, shape, flat, fmt);
  cache.set(key, compiled);
  return compiled;
}

/**
 * The element name of a structure member, resolved as botocore resolves it: a flattened list is named by its member's
 * locationName (SQS `<Message>` for `Messages`), else the member's locationName, else the target shape's, else the
 * member name.
 */
export function xmlMemberName(ref: MemberRef, target: Shape, key: string): string {
  if (target.type === "list" && isFlattened(ref, target) && target.member?.locationName)
    return target.member.locationName;
  return ref.locationName ?? target.locationName ?? key;
}

interface MemberPlan {
  key: string;
  name: string;
  attrs: string;
  write: Writer;
  text: (v: unknown) => string;
}

interface StructWriter {
  /** The xmlAttribute members, each as ` name="value"`. */
  attrs: (obj: Record<string, unknown>) => string;
  /** Whether any member element would be written. */
  hasBody: (obj: Record<string, unknown>) => boolean;
  /** Writes the member elements. */
  body: (out: XmlSink, obj: Record<string, unknown>) => void;
}

const structCache = new WeakMap<Shape, StructWriter>();

const present = (v: unknown) => v !== undefined && v !== null;

function structWriterFor(model: ServiceModel, shape: Shape): StructWriter {
  const cached = structCache.get(shape);
  if (cached) return cached;
  const plans: MemberPlan[] = [];
  const attrPlans: MemberPlan[] = [];
  // Registered before the members compile, so a recursive shape finds it (its plans fill in below).
  const writer: StructWriter = {
    attrs: (obj) => {
      let s = "";
      for (const p of attrPlans) {
        const v = obj[p.key];
        if (present(v)) s += " " + p.name + '="' + p.text(v) + '"';
      }
      return s;
    },
    hasBody: (obj) => {
      for (const p of plans) if (present(obj[p.key])) return true;
      return false;
    },
    body: (out, obj) => {
      for (const p of plans) {
        const v = obj[p.key];
        if (present(v)) p.write(out, p.name, p.attrs, v);
      }
    },
  };
  structCache.set(shape, writer);
  for (const [key, ref] of Object.entries(shape.members ?? {})) {
    if (ref.location) continue; // bound to the URI, headers or status code, never the body
    const target = shapeOf(model, ref.shape);
    const tfmt = ref.timestampFormat ?? target.timestampFormat ?? BODY_TIMESTAMPS;
    const plan: MemberPlan = {
      key,
      name: xmlMemberName(ref, target, key),
      attrs: nsAttr(ref.xmlNamespace) + nsAttr(target.xmlNamespace),
      write: writerFor(model, ref),
      text: (v) => escapeXml(scalarText(target, v, tfmt)),
    };
    (ref.xmlAttribute ? attrPlans : plans).push(plan);
  }
  return writer;
}

function compileWriter(model: ServiceModel, shape: Shape, flat: boolean, fmt: TimestampFormat): Writer {
  switch (shape.type) {
    case "structure": {
      const struct = structWriterFor(model, shape);
      return (out, name, attrs, value) => {
        const obj = value as Record<string, unknown>;
        const open = "<" + name + attrs + struct.attrs(obj);
        if (!struct.hasBody(obj)) return out.add(open + "/>");
        out.add(open + ">");
        struct.body(out, obj);
        out.add("</" + name + ">");
      };
    }
    case "list": {
      const mref = shape.member!;
      const mshape = shapeOf(model, mref.shape);
      const item = writerFor(model, mref);
      const itemAttrs = nsAttr(mref.xmlNamespace) + nsAttr(mshape.xmlNamespace);
      if (flat) {
        return (out, name, attrs, value) => {
          for (const v of value as unknown[]) if (present(v)) item(out, name, attrs + itemAttrs, v);
        };
      }
      const memberName = mref.locationName ?? "member";
      return (out, name, attrs, value) => {
        const list = value as unknown[];
        if (!list.some(present)) return out.add("<" + name + attrs + "/>");
        out.add("<" + name + attrs + ">");
        for (const v of list) if (present(v)) item(out, memberName, itemAttrs, v);
        out.add("</" + name + ">");
      };
    }
    case "map": {
      const kref = shape.key!;
      const vref = shape.value!;
      const keyOpen = "<" + (kref.locationName ?? "key") + ">";
      const keyClose = "</" + (kref.locationName ?? "key") + ">";
      const valueName = vref.locationName ?? "value";
      const kshape = shapeOf(model, kref.shape);
      const vwrite = writerFor(model, vref);
      const entry = (out: XmlSink, open: string, close: string, k: string, v: unknown) => {
        out.add(open + keyOpen + escapeXml(scalarText(kshape, k, BODY_TIMESTAMPS)) + keyClose);
        vwrite(out, valueName, "", v);
        out.add(close);
      };
      if (flat) {
        return (out, name, attrs, value) => {
          const open = "<" + name + attrs + ">";
          const close = "</" + name + ">";
          for (const [k, v] of entriesOf(value)) if (present(v)) entry(out, open, close, k, v);
        };
      }
      return (out, name, attrs, value) => {
        const entries = [...entriesOf(value)].filter((e) => present(e[1]));
        if (entries.length === 0) return out.add("<" + name + attrs + "/>");
        out.add("<" + name + attrs + ">");
        for (const [k, v] of entries) entry(out, "<entry>", "</entry>", k, v);
        out.add("</" + name + ">");
      };
    }
    default:
      return scalarWriter(shape, fmt);
  }
}

/** Numbers, booleans, base64 and formatted timestamps never need escaping; only text does. */
function scalarWriter(shape: Shape, fmt: TimestampFormat): Writer {
  switch (shape.type) {
    case "string":
      return (out, name, attrs, value) =>
        out.add(
          "<" + name + attrs + ">" + escapeXml(typeof value === "string" ? value : String(value)) + "</" + name + ">",
        );
    case "timestamp":
      return (out, name, attrs, value) => {
        const text = typeof value === "string" ? escapeXml(value) : formatTimestamp(value, fmt);
        out.add("<" + name + attrs + ">" + text + "</" + name + ">");
      };
    case "integer":
    case "long":
    case "float":
    case "double":
      return (out, name, attrs, value) => {
        const text = typeof value === "number" ? String(value) : escapeXml(String(value));
        out.add("<" + name + attrs + ">" + text + "</" + name + ">");
      };
    default:
      return (out, name, attrs, value) =>
        out.add("<" + name + attrs + ">" + escapeXml(scalarText(shape, value, fmt)) + "</" + name + ">");
  }
}

function entriesOf(value: unknown): Iterable<[string, unknown]> {
  return value instanceof Map ? (value as Map<string, unknown>) : Object.entries(value as Record<string, unknown>);
}

/**
 * Writes the element `<name attrs>...</name>` for a value of the named shape. Structure members bound to a
 * location (uri, querystring, header, headers, statusCode) are left out: they travel outside the body.
 */
export function writeXmlElementTo(
  out: XmlSink,
  model: ServiceModel,
  shapeName: string,
  name: string,
  value: unknown,
  attrs = "",
): void {
  writerFor(model, { shape: shapeName })(out, name, attrs, value);
}

/** writeXmlElementTo, as a string. */
export function writeXmlElement(
  model: ServiceModel,
  shapeName: string,
  name: string,
  value: unknown,
  attrs = "",
): string {
  const out = new XmlSink();
  writeXmlElementTo(out, model, shapeName, name, value, attrs);
  return out.toString();
}

/**
 * The member elements of a structure value, without an enclosing element (located members left out);
 * keys that are not members of the shape are ignored.
 */
export function writeXmlMembers(model: ServiceModel, shapeName: string, value: Record<string, unknown>): string {
  const out = new XmlSink();
  structWriterFor(model, shapeOf(model, shapeName)).body(out, value);
  return out.toString();
}

/**
 * An error's extra members (AwsError.extra) as elements: through the error shape when the model has one of
 * that name, otherwise as plain text elements (arrays repeat the element, Dates are ISO-8601).
 */
export function errorExtraXml(model: ServiceModel, code: string, extra: Record<string, unknown> | undefined): string {
  if (!extra) return "";
  const shape = Object.hasOwn(model.shapes, code) ? model.shapes[code] : undefined;
  let known: Record<string, unknown> | undefined;
  let rest = "";
  for (const [k, v] of Object.entries(extra)) {
    if (shape?.type === "structure" && shape.members?.[k]) (known ??= {})[k] = v;
    else rest += plainElement(k, v);
  }
  return (known ? writeXmlMembers(model, code, known) : "") + rest;
}

function plainElement(name: string, value: unknown): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map((v) => plainElement(name, v)).join("");
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `<${name}>${escapeXml(text)}</${name}>`;
}

/** The attribute string for an element's namespace (` xmlns="uri"` or ` xmlns:p="uri"`). */
export const xmlnsAttr = nsAttr;

// ---------------------------------------------------------------------------------------------------
// Safe parser

export class XmlParseError extends Error {}

/** A parsed element: local name (namespace prefix dropped), attributes by their full names, children, text. */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

export const DEFAULT_MAX_XML_BYTES = 4 * 1024 * 1024;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  processEntities: false, // we decode the five XML entities and character references ourselves
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: "#cdata",
  commentPropName: false,
});

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9._-]*);?/g;

function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(ENTITY, (m, body: string) => {
    if (!m.endsWith(";")) throw new XmlParseError("malformed entity reference");
    if (body[0] === "#") {
      const cp = body[1] === "x" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!(cp >= 0 && cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff))
        throw new XmlParseError("invalid character reference");
      return String.fromCodePoint(cp);
    }
    const named = NAMED[body];
    if (named === undefined) throw new XmlParseError(`undefined entity &${body};`);
    return named;
  });
}

type RawNode = Record<string, unknown>;

function convert(raw: RawNode, depth: number): XmlNode {
  if (depth > 64) throw new XmlParseError("document nested too deeply");
  let tag = "";
  for (const k of Object.keys(raw)) if (k !== ":@") tag = k;
  const attrs: Record<string, string> = {};
  const rawAttrs = raw[":@"] as Record<string, string> | undefined;
  if (rawAttrs) for (const [k, v] of Object.entries(rawAttrs)) attrs[k] = decodeEntities(String(v));
  const node: XmlNode = { name: tag.slice(tag.indexOf(":") + 1), attrs, children: [], text: "" };
  for (const child of (raw[tag] as RawNode[]) ?? []) {
    if ("#text" in child) node.text += decodeEntities(String(child["#text"]));
    else if ("#cdata" in child) for (const c of child["#cdata"] as RawNode[]) node.text += String(c["#text"] ?? "");
    else node.children.push(convert(child, depth + 1));
  }
  return node;
}

/**
 * Parses an XML request body into its root element. Rejects DOCTYPE and ENTITY declarations outright
 * (no billion laughs, no external entities), more than `maxBytes`, and anything not well-formed.
 */
export function parseXml(input: Buffer | string, maxBytes = DEFAULT_MAX_XML_BYTES): XmlNode {
  const size = typeof input === "string" ? Buffer.byteLength(input) : input.length;
  if (size > maxBytes) throw new XmlParseError(`XML document larger than ${maxBytes} bytes`);
  let text = typeof input === "string" ? input : input.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlParseError("DOCTYPE and ENTITY declarations are not allowed");
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlParseError(valid.err.msg);
  let raw: RawNode[];
  try {
    raw = parser.parse(text) as RawNode[];
  } catch (e) {
    throw new XmlParseError((e as Error).message);
  }
  const roots = raw.filter((n) => !("#text" in n && String(n["#text"]).trim() === ""));
  if (roots.length !== 1 || "#text" in roots[0]! || "#cdata" in roots[0]!) {
    throw new XmlParseError("an XML document must have exactly one root element");
  }
  return convert(roots[0]!, 0);
}

// ---------------------------------------------------------------------------------------------------
// Reader: parsed XML -> typed values from the model

type Reader = (node: XmlNode) => unknown;
const readerCache = new WeakMap<ServiceModel, Map<string, Reader>>();

function readerFor(model: ServiceModel, ref: MemberRef): Reader {
  const shape = shapeOf(model, ref.shape);
  const fmt = ref.timestampFormat ?? shape.timestampFormat ?? "iso8601";
  const key = `${ref.shape}|${shape.type === "timestamp" ? fmt : ""}`;
  let cache = readerCache.get(model);
  if (!cache) readerCache.set(model, (cache = new Map()));
  const cached = cache.get(key);
  if (cached) return cached;
  // Recursive shapes reach this entry while it compiles: they get a trampoline to the finished one.
  cache.set(key, (n) => compiled(n));
  const compiled: Reader = compileReader(model, shape, fmt);
  cache.set(key, compiled);
  return compiled;
}

interface ReadPlan {
  key: string;
  /** A flattened list: each occurrence of the element is one item. A flattened map: one entry. */
  kind: "single" | "flatList" | "flatMap";
  read: Reader;
  attribute: boolean;
  text: (s: string) => unknown;
}

function compileReader(model: ServiceModel, shape: Shape, fmt: TimestampFormat): Reader {
  switch (shape.type) {
    case "structure": {
      const byName = new Map<string, ReadPlan>();
      const attrPlans: [string, ReadPlan][] = [];
      for (const [key, ref] of Object.entries(shape.members ?? {})) {
        if (ref.location) continue;
        const target = shapeOf(model, ref.shape);
        const flat = isFlattened(ref, target);
        let plan: ReadPlan;
        if (flat && target.type === "list") {
          plan = {
            key,
            kind: "flatList",
            read: readerFor(model, target.member!),
            attribute: false,
            text: () => undefined,
          };
        } else if (flat && target.type === "map") {
          plan = { key, kind: "flatMap", read: mapEntryReader(model, target), attribute: false, text: () => undefined };
        } else {
          const tfmt = ref.timestampFormat ?? target.timestampFormat ?? "iso8601";
          plan = {
            key,
            kind: "single",
            read: readerFor(model, ref),
            attribute: !!ref.xmlAttribute,
            text: (s) => parseScalar(target, s, tfmt, key),
          };
        }
        const name = xmlMemberName(ref, target, key);
        if (plan.attribute) attrPlans.push([name, plan]);
        else byName.set(name, plan);
      }
      return (node) => {
        const out: Record<string, unknown> = {};
        for (const [name, plan] of attrPlans) {
          const v = node.attrs[name];
          if (v !== undefined) out[plan.key] = plan.text(v);
        }
        for (const child of node.children) {
          const plan = byName.get(child.name);
          if (!plan) continue; // AWS ignores elements it does not know
          if (plan.kind === "single") out[plan.key] = plan.read(child);
          else if (plan.kind === "flatList") ((out[plan.key] ??= []) as unknown[]).push(plan.read(child));
          else {
            const [k, v] = plan.read(child) as [string, unknown];
            ((out[plan.key] ??= {}) as Record<string, unknown>)[k] = v;
          }
        }
        return out;
      };
    }
    case "list": {
      const item = readerFor(model, shape.member!);
      const memberName = shape.member!.locationName ?? "member";
      return (node) => node.children.filter((c) => c.name === memberName).map(item);
    }
    case "map": {
      const entry = mapEntryReader(model, shape);
      return (node) => {
        const out: Record<string, unknown> = {};
        for (const c of node.children) {
          if (c.name !== "entry") continue;
          const [k, v] = entry(c) as [string, unknown];
          out[k] = v;
        }
        return out;
      };
    }
    default:
      return (node) => parseScalar(shape, node.text, fmt, node.name);
  }
}

function mapEntryReader(model: ServiceModel, shape: Shape): Reader {
  const keyName = shape.key!.locationName ?? "key";
  const valueName = shape.value!.locationName ?? "value";
  const value = readerFor(model, shape.value!);
  return (node) => {
    let k: string | undefined;
    let v: unknown;
    for (const c of node.children) {
      if (c.name === keyName) k = c.text;
      else if (c.name === valueName) v = value(c);
    }
    if (k === undefined) throw new XmlParseError(`map entry without ${keyName}`);
    return [k, v];
  };
}

const INTEGER = /^[+-]?\d+$/;
const DOUBLE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^(NaN|-?Infinity)$/;

/** Parses a scalar from its wire text; throws XmlParseError naming `where` on a malformed value. */
function parseScalar(shape: Shape, text: string, fmt: TimestampFormat, where: string): unknown {
  switch (shape.type) {
    case "string":
      return text;
    case "integer":
    case "long":
    case "biginteger": {
      const t = text.trim();
      if (!INTEGER.test(t)) throw new XmlParseError(`${where}: '${text}' is not an integer`);
      return Number(t);
    }
    case "float":
    case "double":
    case "bigdecimal": {
      const t = text.trim();
      if (!DOUBLE.test(t)) throw new XmlParseError(`${where}: '${text}' is not a number`);
      return Number(t);
    }
    case "boolean": {
      const t = text.trim().toLowerCase();
      if (t === "true") return true;
      if (t === "false") return false;
      throw new XmlParseError(`${where}: '${text}' is not a boolean`);
    }
    case "timestamp": {
      const d = parseTimestamp(text.trim(), fmt);
      if (!d) throw new XmlParseError(`${where}: '${text}' is not a timestamp`);
      return d;
    }
    case "blob":
      return Buffer.from(text.trim(), "base64");
    default:
      return text;
  }
}

const EPOCH = /^[+-]?\d+(\.\d+)?$/;

/** Parses ISO-8601, RFC 822/1123 or epoch seconds, whichever the text is; undefined when none fits. */
export function parseTimestamp(text: string, _fmt?: TimestampFormat): Date | undefined {
  if (text === "") return undefined;
  const ms = EPOCH.test(text) ? Number(text) * 1000 : Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/** Reads a parsed element as a value of the named shape (its children and attributes; the element's own name is not checked). */
export function readXmlShape(model: ServiceModel, shapeName: string, node: XmlNode): unknown {
  return readerFor(model, { shape: shapeName })(node);
}
