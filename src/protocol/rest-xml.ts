/**
 * The restXml protocol as S3 speaks it: operations found by method + the model's `http.requestUri` templates,
 * inputs bound from the URI, query string, headers and payload, outputs written to headers, status and an XML
 * (or raw) body, errors as S3's `<Error>` document.
 * Spec: https://smithy.io/2.0/aws/protocols/aws-restxml-protocol.html and the S3 API reference
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html for errors,
 *  https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html for aws-chunked bodies).
 */
import { createHash } from "node:crypto";
import { awsError, type AwsError } from "../errors/index.js";
import type { MemberRef, OperationModel, ServiceModel, Shape } from "./model.js";
import { shapeOf } from "./model.js";
import type { DecodedRequest, EncodeContext, ProtocolCodec, WireRequest, WireResponse } from "./types.js";
import { validateInput } from "./validate.js";
import {
  errorExtraXml,
  escapeXml,
  parseTimestamp,
  parseXml,
  readXmlShape,
  scalarText,
  writeXmlElementTo,
  XmlParseError,
  XmlSink,
  type TimestampFormat,
} from "./xml.js";

export const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

// ---------------------------------------------------------------------------------------------------
// Virtual-hosted buckets

/**
 * The bucket a Host header names, virtual-hosted style: `<bucket>.localhost[:port]`, `<bucket>.s3.<anything>`,
 * `<bucket>.s3-<region>.amazonaws.com`. Undefined for path-style hosts (`localhost`, `127.0.0.1`, `s3.<...>`).
 */
export function bucketFromHost(host: string | undefined): string | undefined {
  if (!host) return undefined;
  let h = host.toLowerCase();
  if (h.startsWith("[")) return undefined; // IPv6 literal
  const colon = h.lastIndexOf(":");
  if (colon !== -1) h = h.slice(0, colon);
  if (h.endsWith(".localhost")) return h.slice(0, -".localhost".length) || undefined;
  for (const marker of [".s3.", ".s3-"]) {
    const i = h.indexOf(marker);
    if (i > 0) return h.slice(0, i);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Routing

interface Segment {
  literal?: string;
  label?: string;
  greedy?: boolean;
}

interface Route {
  operation: string;
  op: OperationModel;
  method: string;
  segments: Segment[];
  literalPathChars: number;
  /** Query keys the template names (`?acl`, `?list-type=2`): all must be present, with the value if given. */
  literalQuery: [string, string | undefined][];
  requiredQuery: string[];
  requiredHeaders: string[];
  /** Deprecated operations and directory-bucket-only ones lose ties (GetBucketLifecycle, ListDirectoryBuckets). */
  secondary: boolean;
}

/** Served only on S3 Express endpoints; the same wire request on a general-purpose endpoint is the other operation. */
const DIRECTORY_BUCKET_ONLY = new Set(["ListDirectoryBuckets"]);

interface Router {
  byMethod: Map<string, Route[]>;
}

const routerCache = new WeakMap<ServiceModel, Router>();

function parseTemplate(operation: string, op: OperationModel, model: ServiceModel): Route {
  const [pathPart, queryPart] = op.http.requestUri.split("?", 2) as [string, string | undefined];
  const segments: Segment[] = [];
  let literalPathChars = 0;
  for (const seg of pathPart.split("/").slice(1)) {
    if (seg === "") continue;
    const m = /^\{([^}+]+)(\+)?\}$/.exec(seg);
    if (m) segments.push({ label: m[1]!, greedy: !!m[2] });
    else {
      segments.push({ literal: seg });
      literalPathChars += seg.length;
    }
  }
  const literalQuery: [string, string | undefined][] = [];
  if (queryPart) {
    for (const part of queryPart.split("&")) {
      if (part === "") continue;
      const eq = part.indexOf("=");
      literalQuery.push(eq === -1 ? [part, undefined] : [part.slice(0, eq), part.slice(eq + 1)]);
    }
  }
  const requiredQuery: string[] = [];
  const requiredHeaders: string[] = [];
  if (op.input) {
    const input = shapeOf(model, op.input.shape);
    for (const name of input.required ?? []) {
      const ref = input.members?.[name];
      if (ref?.location === "querystring") requiredQuery.push(ref.locationName ?? name);
      else if (ref?.location === "header") requiredHeaders.push((ref.locationName ?? name).toLowerCase());
    }
  }
  return {
    operation,
    op,
    method: op.http.method.toUpperCase(),
    segments,
    literalPathChars,
    literalQuery,
    requiredQuery,
    requiredHeaders,
    secondary: !!op.deprecated || DIRECTORY_BUCKET_ONLY.has(operation),
  };
}

function routerFor(model: ServiceModel): Router {
  let router = routerCache.get(model);
  if (!router) {
    router = { byMethod: new Map() };
    for (const [name, op] of Object.entries(model.operations)) {
      const route = parseTemplate(name, op, model);
      let list = router.byMethod.get(route.method);
      if (!list) router.byMethod.set(route.method, (list = []));
      list.push(route);
    }
    routerCache.set(model, router);
  }
  return router;
}

/** Matches raw path segments against a template; returns the raw (still percent-encoded) label values. */
function matchPath(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  let i = 0;
  for (const seg of segments) {
    if (seg.greedy) {
      const rest = parts.slice(i).join("/");
      if (rest === "") return undefined;
      labels[seg.label!] = rest;
      i = parts.length;
      break;
    }
    if (i >= parts.length || parts[i] === "") return undefined;
    if (seg.literal !== undefined) {
      if (parts[i] !== seg.literal) return undefined;
    } else labels[seg.label!] = parts[i]!;
    i++;
  }
  // A trailing slash after the last fixed segment is tolerated (`/bucket/`).
  if (i < parts.length && !(i === parts.length - 1 && parts[i] === "")) return undefined;
  return labels;
}

interface Match {
  route: Route;
  labels: Record<string, string>;
}

/**
 * The most specific route: more literal query keys, then a longer literal path, then more of the operation's
 * required query/header members present and fewer missing (PutObject vs CopyObject vs UploadPart), then the
 * JS SDK's `x-id` hint, then non-deprecated.
 */
function route(req: WireRequest, model: ServiceModel): Match | undefined {
  const candidates = routerFor(model).byMethod.get(req.method.toUpperCase());
  if (!candidates) return undefined;
  const path =
    req.hostBucket !== undefined ? "/" + encodeURIComponent(req.hostBucket) + ensureSlash(req.path) : req.path;
  const parts = path.split("/").slice(1);
  const xId = req.query.get("x-id");
  let best: Match | undefined;
  let bestScore: number[] | undefined;
  for (const r of candidates) {
    let ok = true;
    for (const [k, v] of r.literalQuery) {
      const got = req.query.get(k);
      if (got === null || (v !== undefined && got !== v)) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    const labels = matchPath(r.segments, parts);
    if (!labels) continue;
    let present = 0;
    for (const q of r.requiredQuery) if (req.query.has(q)) present++;
    for (const h of r.requiredHeaders) if (req.headers[h] !== undefined) present++;
    const missing = r.requiredQuery.length + r.requiredHeaders.length - present;
    const score = [
      r.literalQuery.length,
      r.literalPathChars,
      present,
      -missing,
      xId === r.operation ? 1 : 0,
      r.secondary ? 0 : 1,
    ];
    if (!bestScore || compareScores(score, bestScore) > 0) {
      best = { route: r, labels };
      bestScore = score;
    }
  }
  return best;
}

const ensureSlash = (p: string) => (p.startsWith("/") ? p : "/" + p);

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// aws-chunked bodies (SigV4 streaming uploads, the JS SDK's default for PutObject with checksums)

interface Dechunked {
  body: Buffer;
  trailers: Record<string, string>;
}

function isAwsChunked(headers: WireRequest["headers"]): boolean {
  const enc = headers["content-encoding"];
  if (enc && /(^|,)\s*aws-chunked\s*(,|$)/i.test(enc)) return true;
  return (headers["x-amz-content-sha256"] ?? "").startsWith("STREAMING-");
}

/** `<hex-size>[;chunk-signature=..]\r\n<bytes>\r\n ... 0[;..]\r\n[trailer: value\r\n]*\r\n`. */
export function decodeAwsChunked(raw: Buffer): Dechunked {
  const parts: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let pos = 0;
  const incomplete = () => awsError("IncompleteBody", "The request body terminated unexpectedly");
  for (;;) {
    const eol = raw.indexOf("\r\n", pos, "latin1");
    if (eol === -1) throw incomplete();
    const line = raw.toString("latin1", pos, eol);
    const sizeText = line.split(";", 1)[0]!.trim();
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText))
      throw awsError("InvalidRequest", "Invalid chunk size in aws-chunked body");
    const size = parseInt(sizeText, 16);
    pos = eol + 2;
    if (size === 0) break;
    if (pos + size > raw.length) throw incomplete();
    parts.push(raw.subarray(pos, pos + size));
    pos += size;
    if (raw.toString("latin1", pos, pos + 2) !== "\r\n") throw awsError("InvalidRequest", "Malformed aws-chunked body");
    pos += 2;
  }
  // Trailers (x-amz-checksum-crc32:..., x-amz-trailer-signature:...) until an empty line or the end.
  while (pos < raw.length) {
    let eol = raw.indexOf("\r\n", pos, "latin1");
    if (eol === -1) eol = raw.length;
    const line = raw.toString("latin1", pos, eol);
    pos = eol + 2;
    if (line === "") break;
    const colon = line.indexOf(":");
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { body: parts.length === 1 ? parts[0]! : Buffer.concat(parts), trailers };
}

// ---------------------------------------------------------------------------------------------------
// Request decoding

type Binder = (ctx: BindContext, out: Record<string, unknown>) => void;

interface BindContext {
  req: WireRequest;
  headers: Record<string, string | undefined>;
  body: Buffer;
  labels: Record<string, string>;
  errorCode: string;
  model: ServiceModel;
  boundQuery: Set<string>;
}

const binderCache = new WeakMap<OperationModel, Binder[]>();

function invalidArgument(errorCode: string, name: string, value: string, what: string): AwsError {
  return awsError(errorCode, `Invalid ${what} for ${name}: '${value}'`, 400, {
    ArgumentName: name,
    ArgumentValue: value,
  });
}

const INTEGER = /^[+-]?\d+$/;
const DOUBLE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^(NaN|-?Infinity)$/;

/** A header or query-string value as a scalar of the given shape. */
function scalarFromString(shape: Shape, text: string, name: string, errorCode: string, fmt: TimestampFormat): unknown {
  switch (shape.type) {
    case "integer":
    case "long":
    case "biginteger":
      if (!INTEGER.test(text.trim())) throw invalidArgument(errorCode, name, text, "integer");
      return Number(text.trim());
    case "float":
    case "double":
    case "bigdecimal":
      if (!DOUBLE.test(text.trim())) throw invalidArgument(errorCode, name, text, "number");
      return Number(text.trim());
    case "boolean": {
      const l = text.trim().toLowerCase();
      if (l === "true") return true;
      if (l === "false") return false;
      throw invalidArgument(errorCode, name, text, "boolean");
    }
    case "timestamp": {
      const d = parseTimestamp(text.trim(), fmt);
      if (!d) throw invalidArgument(errorCode, name, text, "date");
      return d;
    }
    case "blob":
      return Buffer.from(text, "base64");
    default:
      return text;
  }
}

/**
 * Header values arrive from node:http as latin1; S3 takes non-ASCII metadata as UTF-8 bytes or RFC 2047
 * encoded words, and stores the text.
 */
function headerText(value: string): string {
  if (value.startsWith("=?") && value.endsWith("?=")) {
    const m = /^=\?([^?]+)\?([bBqQ])\?([^?]*)\?=$/.exec(value);
    if (m && /^utf-?8$/i.test(m[1]!)) {
      if (m[2]!.toLowerCase() === "b") return Buffer.from(m[3]!, "base64").toString("utf8");
      const bytes = m[3]!
        .replace(/_/g, " ")
        .replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
      return Buffer.from(bytes, "latin1").toString("utf8");
    }
  }
  if (/[^\x00-\x7f]/.test(value)) {
    const utf8 = Buffer.from(value, "latin1").toString("utf8");
    if (!utf8.includes("\ufffd")) return utf8;
  }
  return value;
}

function compileBinders(model: ServiceModel, op: OperationModel): Binder[] {
  const binders: Binder[] = [];
  if (!op.input) return binders;
  const input = shapeOf(model, op.input.shape);
  let hasBodyMembers = false;
  for (const [key, ref] of Object.entries(input.members ?? {})) {
    const target = shapeOf(model, ref.shape);
    const wire = ref.locationName ?? key;
    switch (ref.location) {
      case "uri":
        binders.push((c, out) => {
          const raw = c.labels[wire];
          if (raw === undefined) return;
          try {
            out[key] = scalarFromString(target, decodeURIComponent(raw), wire, c.errorCode, "iso8601");
          } catch (e) {
            if (e instanceof URIError) throw awsError("InvalidURI", "Couldn't parse the specified URI.");
            throw e;
          }
        });
        break;
      case "querystring":
        binders.push(queryBinder(model, key, ref, target, wire));
        break;
      case "header": {
        const lower = wire.toLowerCase();
        const fmt = ref.timestampFormat ?? target.timestampFormat ?? "rfc822";
        if (target.type === "list") {
          const item = shapeOf(model, target.member!.shape);
          binders.push((c, out) => {
            const v = c.headers[lower];
            if (v === undefined) return;
            out[key] = v
              .split(",")
              .map((s) => s.trim())
              .filter((s) => s !== "")
              .map((s) => scalarFromString(item, s, wire, c.errorCode, fmt));
          });
        } else {
          binders.push((c, out) => {
            const v = c.headers[lower];
            if (v === undefined) return;
            out[key] = scalarFromString(target, target.type === "string" ? headerText(v) : v, wire, c.errorCode, fmt);
          });
        }
        break;
      }
      case "headers": {
        const prefix = wire.toLowerCase();
        binders.push((c, out) => {
          let map: Record<string, string> | undefined;
          for (const [name, v] of Object.entries(c.headers)) {
            if (v === undefined || !name.startsWith(prefix)) continue;
            (map ??= {})[name.slice(prefix.length)] = headerText(v);
          }
          if (map) out[key] = map;
        });
        break;
      }
      case "statusCode":
        break;
      default:
        if (input.payload === key) binders.push(payloadBinder(model, key, ref, target));
        else hasBodyMembers = true;
    }
  }
  if (!input.payload && hasBodyMembers) {
    // Members without a location travel as an XML document of the input structure (SelectObjectContent).
    const shapeName = op.input.shape;
    binders.push((c, out) => {
      if (c.body.length === 0) return;
      Object.assign(out, readXmlShape(c.model, shapeName, parseBody(c.body)) as Record<string, unknown>);
    });
  }
  return binders;
}

function queryBinder(model: ServiceModel, key: string, ref: MemberRef, target: Shape, wire: string): Binder {
  const fmt = ref.timestampFormat ?? target.timestampFormat ?? "iso8601";
  if (target.type === "map") {
    // A map bound to the query string takes every parameter no other member claimed.
    const value = shapeOf(model, target.value!.shape);
    return (c, out) => {
      const map: Record<string, unknown> = {};
      for (const [k, v] of c.req.query) {
        if (c.boundQuery.has(k)) continue;
        map[k] = value.type === "list" ? c.req.query.getAll(k) : v;
      }
      out[key] = map;
    };
  }
  if (target.type === "list") {
    const item = shapeOf(model, target.member!.shape);
    return (c, out) => {
      c.boundQuery.add(wire);
      const all = c.req.query.getAll(wire);
      if (all.length) out[key] = all.map((v) => scalarFromString(item, v, wire, c.errorCode, fmt));
    };
  }
  return (c, out) => {
    c.boundQuery.add(wire);
    const v = c.req.query.get(wire);
    if (v !== null) out[key] = scalarFromString(target, v, wire, c.errorCode, fmt);
  };
}

function payloadBinder(model: ServiceModel, key: string, ref: MemberRef, target: Shape): Binder {
  if (target.type === "blob") return (c, out) => void (out[key] = c.body);
  if (target.type === "string") return (c, out) => void (c.body.length > 0 && (out[key] = c.body.toString("utf8")));
  const shapeName = ref.shape;
  return (c, out) => {
    if (c.body.length === 0) return;
    out[key] = readXmlShape(c.model, shapeName, parseBody(c.body));
  };
}

function parseBody(body: Buffer) {
  return parseXml(body);
}

const malformedXml = () =>
  awsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");

function decode(req: WireRequest, model: ServiceModel, validationErrorCode: string): DecodedRequest {
  const match = route(req, model);
  if (!match) {
    const hasKey = req.hostBucket !== undefined ? req.path.length > 1 : req.path.split("/").filter(Boolean).length > 1;
    const hasBucket = req.hostBucket !== undefined || req.path.split("/").filter(Boolean).length > 0;
    throw awsError("MethodNotAllowed", "The specified method is not allowed against this resource.", 405, {
      Method: req.method.toUpperCase(),
      ResourceType: hasKey ? "OBJECT" : hasBucket ? "BUCKET" : "SERVICE",
    });
  }
  const { route: r, labels } = match;
  let headers = req.headers;
  let body = req.body;
  if (isAwsChunked(headers)) {
    const dechunked = decodeAwsChunked(body);
    body = dechunked.body;
    const declared = headers["x-amz-decoded-content-length"];
    if (declared !== undefined && Number(declared) !== body.length) {
      throw awsError(
        "IncompleteBody",
        "You did not provide the number of bytes specified by the Content-Length HTTP header",
      );
    }
    // The object's own Content-Encoding is what remains once aws-chunked is removed; trailers act as headers.
    const encoding = (headers["content-encoding"] ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "" && s.toLowerCase() !== "aws-chunked")
      .join(", ");
    headers = { ...headers, ...dechunked.trailers, "content-length": String(body.length) };
    if (encoding) headers["content-encoding"] = encoding;
    else delete headers["content-encoding"];
  }
  let binders = binderCache.get(r.op);
  if (!binders) binderCache.set(r.op, (binders = compileBinders(model, r.op)));
  const input: Record<string, unknown> = {};
  const ctx: BindContext = { req, headers, body, labels, errorCode: validationErrorCode, model, boundQuery: new Set() };
  try {
    for (const b of binders) b(ctx, input);
  } catch (e) {
    if (e instanceof XmlParseError) throw malformedXml();
    throw e;
  }
  validateInput(model, r.operation, input, validationErrorCode);
  return { operation: r.operation, input };
}

// ---------------------------------------------------------------------------------------------------
// Responses

/** Root element names of S3 outputs without a payload member (the Smithy model's @xmlName; botocore drops them). */
const S3_ROOTS: Record<string, string> = {
  CompleteMultipartUploadOutput: "CompleteMultipartUploadResult",
  CreateMultipartUploadOutput: "InitiateMultipartUploadResult",
  CreateSessionOutput: "CreateSessionResult",
  DeleteObjectsOutput: "DeleteResult",
  GetBucketAccelerateConfigurationOutput: "AccelerateConfiguration",
  GetBucketAclOutput: "AccessControlPolicy",
  GetBucketCorsOutput: "CORSConfiguration",
  GetBucketLifecycleOutput: "LifecycleConfiguration",
  GetBucketLifecycleConfigurationOutput: "LifecycleConfiguration",
  GetBucketLocationOutput: "LocationConstraint",
  GetBucketLoggingOutput: "BucketLoggingStatus",
  GetBucketRequestPaymentOutput: "RequestPaymentConfiguration",
  GetBucketTaggingOutput: "Tagging",
  GetBucketVersioningOutput: "VersioningConfiguration",
  GetBucketWebsiteOutput: "WebsiteConfiguration",
  GetObjectAclOutput: "AccessControlPolicy",
  GetObjectAttributesOutput: "GetObjectAttributesResponse",
  GetObjectTaggingOutput: "Tagging",
  ListBucketAnalyticsConfigurationsOutput: "ListBucketAnalyticsConfigurationResult",
  ListBucketInventoryConfigurationsOutput: "ListInventoryConfigurationsResult",
  ListBucketMetricsConfigurationsOutput: "ListMetricsConfigurationsResult",
  ListBucketsOutput: "ListAllMyBucketsResult",
  ListDirectoryBucketsOutput: "ListAllMyDirectoryBucketsResult",
  ListMultipartUploadsOutput: "ListMultipartUploadsResult",
  ListObjectsOutput: "ListBucketResult",
  ListObjectsV2Output: "ListBucketResult",
  ListObjectVersionsOutput: "ListVersionsResult",
  ListPartsOutput: "ListPartsResult",
  NotificationConfigurationDeprecated: "NotificationConfiguration",
};

type HeaderWriter = (value: unknown, headers: Record<string, string>) => void;

interface OutputPlan {
  headers: [string, HeaderWriter][];
  statusMember?: string;
  payload?: { key: string; kind: "blob" | "string" | "xml"; shape: string; root: string };
  /** The body document when there is no payload member but there are body members. */
  body?: { shape: string; root: string; textOnly?: string };
}

const outputCache = new WeakMap<OperationModel, OutputPlan>();

/** Header values must be visible ASCII; anything else goes as an RFC 2047 encoded word, as S3 does for metadata. */
function headerSafe(text: string): string {
  if (!/[^\x20-\x7e\t]/.test(text)) return text;
  return `=?UTF-8?B?${Buffer.from(text, "utf8").toString("base64")}?=`;
}

function headerValue(shape: Shape, value: unknown, fmt: TimestampFormat): string {
  return headerSafe(scalarText(shape, value, fmt));
}

function outputPlanFor(model: ServiceModel, op: OperationModel): OutputPlan {
  let plan = outputCache.get(op);
  if (plan) return plan;
  plan = { headers: [] };
  if (op.output) {
    const shapeName = op.output.shape;
    const output = shapeOf(model, shapeName);
    const bodyMembers: [string, MemberRef][] = [];
    for (const [key, ref] of Object.entries(output.members ?? {})) {
      const target = shapeOf(model, ref.shape);
      const wire = ref.locationName ?? key;
      if (ref.location === "header") {
        const fmt = ref.timestampFormat ?? target.timestampFormat ?? "rfc822";
        const name = wire.toLowerCase(); // one spelling, so the gateway's own headers merge predictably
        if (target.type === "list") {
          const item = shapeOf(model, target.member!.shape);
          plan.headers.push([
            key,
            (v, h) => void (h[name] = (v as unknown[]).map((x) => headerValue(item, x, fmt)).join(", ")),
          ]);
        } else plan.headers.push([key, (v, h) => void (h[name] = headerValue(target, v, fmt))]);
      } else if (ref.location === "headers") {
        const prefix = wire.toLowerCase();
        plan.headers.push([
          key,
          (v, h) => {
            for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
              if (x !== undefined && x !== null) h[prefix + k] = headerSafe(String(x));
            }
          },
        ]);
      } else if (ref.location === "statusCode") plan.statusMember = key;
      else if (ref.location) continue;
      else if (output.payload === key) {
        const kind = target.type === "blob" ? "blob" : target.type === "string" ? "string" : "xml";
        plan.payload = { key, kind, shape: ref.shape, root: ref.locationName ?? target.locationName ?? ref.shape };
      } else bodyMembers.push([key, ref]);
    }
    if (!plan.payload && bodyMembers.length > 0) {
      const root = S3_ROOTS[shapeName] ?? output.locationName ?? shapeName;
      const only = bodyMembers.length === 1 ? bodyMembers[0]! : undefined;
      // GetBucketLocation: the root element is the member itself, `<LocationConstraint xmlns=..>eu-west-1</..>`.
      const textOnly =
        only &&
        (only[1].locationName ?? only[0]) === root &&
        !["structure", "list", "map"].includes(shapeOf(model, only[1].shape).type)
          ? only[0]
          : undefined;
      plan.body = { shape: shapeName, root, textOnly };
    }
  }
  outputCache.set(op, plan);
  return plan;
}

/** S3's x-amz-id-2: an opaque host id; derived from the request id so one request always shows the same one. */
export function hostIdFor(requestId: string): string {
  return createHash("sha256").update(requestId).digest("base64");
}

function baseHeaders(ctx: EncodeContext): Record<string, string> {
  return { "x-amz-request-id": ctx.requestId, "x-amz-id-2": hostIdFor(ctx.requestId) };
}

/**
 * Encodes an output. Content-Length is the body's length, except for HEAD, where the member-bound value
 * stands (HeadObject reports the object's size) and the body is empty.
 */
function encodeOutput(model: ServiceModel, operation: string, output: unknown, ctx: EncodeContext): WireResponse {
  const op = model.operations[operation];
  if (!op) throw new Error(`${model.metadata.serviceId} has no operation ${operation}`);
  const plan = outputPlanFor(model, op);
  const headers = baseHeaders(ctx);
  let status = op.http.responseCode ?? 200;
  let body: Buffer | string = "";
  const out = (output ?? {}) as Record<string, unknown>;
  for (const [key, write] of plan.headers) {
    const v = out[key];
    if (v !== undefined && v !== null) write(v, headers);
  }
  if (plan.statusMember && typeof out[plan.statusMember] === "number") status = out[plan.statusMember] as number;
  // A status the model has no member for (GetObject/HeadObject 206 Partial Content for a Range).
  if (typeof out.$status === "number") status = out.$status;
  if (plan.payload) {
    const v = out[plan.payload.key];
    if (v !== undefined && v !== null) {
      if (plan.payload.kind === "blob") {
        body = Buffer.isBuffer(v)
          ? v
          : v instanceof Uint8Array
            ? Buffer.from(v.buffer, v.byteOffset, v.byteLength)
            : Buffer.from(String(v), "utf8");
      } else if (plan.payload.kind === "string") body = String(v);
      else {
        const sink = new XmlSink();
        sink.add(XML_DECLARATION);
        writeXmlElementTo(sink, model, plan.payload.shape, plan.payload.root, v, ` xmlns="${S3_NAMESPACE}"`);
        body = sink.toBuffer();
        headers["content-type"] ??= "application/xml";
      }
    }
  } else if (plan.body) {
    const { root, textOnly, shape } = plan.body;
    if (textOnly !== undefined) {
      const v = out[textOnly];
      body =
        XML_DECLARATION +
        (v === undefined || v === null || v === ""
          ? `<${root} xmlns="${S3_NAMESPACE}"/>`
          : `<${root} xmlns="${S3_NAMESPACE}">${escapeXml(String(v))}</${root}>`);
    } else {
      const sink = new XmlSink();
      sink.add(XML_DECLARATION);
      writeXmlElementTo(sink, model, shape, root, out, ` xmlns="${S3_NAMESPACE}"`);
      body = sink.toBuffer();
    }
    headers["content-type"] = "application/xml";
  }
  if (op.http.method.toUpperCase() === "HEAD") body = "";
  else headers["content-length"] = String(typeof body === "string" ? Buffer.byteLength(body) : body.length);
  return { status, headers, body };
}

function encodeError(
  model: ServiceModel,
  operation: string | undefined,
  error: AwsError,
  ctx: EncodeContext,
): WireResponse {
  const headers = baseHeaders(ctx);
  const head = operation !== undefined && model.operations[operation]?.http.method.toUpperCase() === "HEAD";
  // HEAD answers carry no body; nor does 304 Not Modified (conditional GetObject).
  if (head || error.httpStatus === 304) return { status: error.httpStatus, headers, body: "" };
  headers["content-type"] = "application/xml";
  const body =
    XML_DECLARATION +
    `<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>` +
    errorExtraXml(model, error.code, error.extra) +
    `<RequestId>${escapeXml(ctx.requestId)}</RequestId><HostId>${headers["x-amz-id-2"]}</HostId></Error>`;
  return { status: error.httpStatus, headers, body };
}

export const restXml: ProtocolCodec = { id: "restXml", decode, encode: encodeOutput, encodeError };
