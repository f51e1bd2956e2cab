/**
 * The awsQuery protocol (STS, SNS, IAM, CloudWatch, SQS's legacy form): form-encoded `Action=...` requests,
 * XML `<OpResponse><OpResult>` answers and `<ErrorResponse>` errors.
 * Spec: https://smithy.io/2.0/aws/protocols/aws-query-protocol.html; request keys as botocore's QuerySerializer
 * and the JS SDK's QueryShapeSerializer write them, responses as both their XML parsers read them.
 */
import querystring from "node:querystring";
import { awsError, type AwsError } from "../errors/index.js";
import type { MemberRef, ServiceModel, Shape } from "./model.js";
import { shapeOf } from "./model.js";
import type { DecodedRequest, EncodeContext, ProtocolCodec, WireRequest, WireResponse } from "./types.js";
import { validateInput, lowerFirst } from "./validate.js";
import { errorExtraXml, escapeXml, parseTimestamp, writeXmlElementTo, XmlSink } from "./xml.js";
import { wireErrorCodes } from "./shape-values.js";

// ---------------------------------------------------------------------------------------------------
// Request: the flat key/value form turned into a tree, then read shape by shape

/** One segment of the dotted parameter names: `MetricData.member.1.Dimensions.member.2.Name`. */
interface QNode {
  v?: string;
  c?: Map<string, QNode>;
}

function buildTree(params: Iterable<[string, string]>): QNode {
  const root: QNode = {};
  for (const [key, value] of params) {
    let node = root;
    let start = 0;
    for (;;) {
      const dot = key.indexOf(".", start);
      const seg = dot === -1 ? key.slice(start) : key.slice(start, dot);
      const c = (node.c ??= new Map());
      let next = c.get(seg);
      if (!next) c.set(seg, (next = {}));
      node = next;
      if (dot === -1) break;
      start = dot + 1;
    }
    node.v = value;
  }
  return root;
}

const INDEX = /^[1-9]\d*$/;

/** The children named 1, 2, 3... in numeric order (AWS numbers list items and map entries from 1). */
function indexed(node: QNode | undefined): QNode[] {
  if (!node?.c) return [];
  const items: [number, QNode][] = [];
  for (const [k, n] of node.c) if (INDEX.test(k)) items.push([Number(k), n]);
  items.sort((a, b) => a[0] - b[0]);
  return items.map((i) => i[1]);
}

/** Reads a node as a value of one shape; `path` is the validation path (lower-camel members, `.N.member` items). */
type Decoder = (node: QNode, path: string, errorCode: string) => unknown;

const decoderCache = new WeakMap<ServiceModel, Map<string, Decoder>>();

function decoderFor(model: ServiceModel, ref: MemberRef): Decoder {
  const shape = shapeOf(model, ref.shape);
  const flat = !!(ref.flattened || shape.flattened);
  const key = flat ? ref.shape + "|f" : ref.shape;
  let cache = decoderCache.get(model);
  if (!cache) decoderCache.set(model, (cache = new Map()));
  const cached = cache.get(key);
  if (cached) return cached;
  // Recursive shapes reach this entry while it compiles: they get a trampoline to the finished one.
  cache.set(key, (n, p, e) => compiled(n, p, e));
  const compiled: Decoder = compileDecoder(model, shape, flat);
  cache.set(key, compiled);
  return compiled;
}

function typeError(errorCode: string, value: string, path: string, what: string): AwsError {
  return awsError(
    errorCode,
    `1 validation error detected: Value '${value}' at '${path}' failed to satisfy constraint: Member must be ${what}`,
  );
}

const INTEGER = /^[+-]?\d+$/;
const DOUBLE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^(NaN|-?Infinity)$/;
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

function compileDecoder(model: ServiceModel, shape: Shape, flat: boolean): Decoder {
  switch (shape.type) {
    case "structure": {
      const plans: { key: string; names: string[]; path: string; decode: Decoder }[] = [];
      for (const [key, ref] of Object.entries(shape.members ?? {})) {
        const names = [ref.locationName ?? key];
        // botocore names a flattened list by its member's locationName (`AttributeName.1`); the JS SDK by the member.
        const target = shapeOf(model, ref.shape);
        if (target.type === "list" && (ref.flattened || target.flattened) && target.member?.locationName) {
          names.push(target.member.locationName);
        }
        // A shape-level locationName names the member when the member has none (SQS TagQueue's `Tag.N.Key`).
        if (!ref.locationName && target.locationName) names.push(target.locationName);
        if (ref.queryName) names.push(ref.queryName);
        plans.push({ key, names, path: lowerFirst(key), decode: decoderFor(model, ref) });
      }
      return (node, path, e) => {
        if (!node.c) return undefined;
        const out: Record<string, unknown> = {};
        for (const p of plans) {
          let child: QNode | undefined;
          for (const n of p.names) if ((child = node.c.get(n))) break;
          if (!child) continue;
          const v = p.decode(child, path ? path + "." + p.path : p.path, e);
          if (v !== undefined) out[p.key] = v;
        }
        return out;
      };
    }
    case "list": {
      const item = decoderFor(model, shape.member!);
      const memberName = shape.member!.locationName ?? "member";
      // `Name=` (empty) is how both SDKs send an empty list.
      return (node, path, e) => {
        const items = indexed(flat ? node : node.c?.get(memberName));
        const out: unknown[] = [];
        for (let i = 0; i < items.length; i++) {
          const v = item(items[i]!, `${path}.${i + 1}.member`, e);
          if (v !== undefined) out.push(v);
        }
        return out;
      };
    }
    case "map": {
      const keyName = shape.key!.locationName ?? "key";
      const valueName = shape.value!.locationName ?? "value";
      const value = decoderFor(model, shape.value!);
      return (node, path, e) => {
        const out: Record<string, unknown> = {};
        for (const entry of indexed(flat ? node : node.c?.get("entry"))) {
          const k = entry.c?.get(keyName)?.v;
          const vnode = entry.c?.get(valueName);
          if (k === undefined || !vnode) continue;
          const v = value(vnode, `${path}.${k}.member`, e);
          if (v !== undefined) {
            if (k === "__proto__")
              Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
            else out[k] = v;
          }
        }
        return out;
      };
    }
    case "string":
      return (node) => node.v;
    case "integer":
    case "long":
    case "biginteger":
      return (node, path, e) => {
        const v = node.v;
        if (v === undefined) return undefined;
        if (!INTEGER.test(v)) throw typeError(e, v, path, "a number");
        return Number(v);
      };
    case "float":
    case "double":
    case "bigdecimal":
      return (node, path, e) => {
        const v = node.v;
        if (v === undefined) return undefined;
        if (!DOUBLE.test(v)) throw typeError(e, v, path, "a number");
        return Number(v);
      };
    case "boolean":
      return (node, path, e) => {
        const v = node.v;
        if (v === undefined) return undefined;
        const l = v.toLowerCase();
        if (l === "true") return true;
        if (l === "false") return false;
        throw typeError(e, v, path, "a boolean");
      };
    case "timestamp":
      // ISO-8601 is the protocol's format; epoch seconds are accepted too, as AWS does.
      return (node, path, e) => {
        const v = node.v;
        if (v === undefined) return undefined;
        const d = parseTimestamp(v);
        if (!d) throw typeError(e, v, path, "a timestamp");
        return d;
      };
    case "blob":
      return (node, path, e) => {
        const v = node.v;
        if (v === undefined) return undefined;
        if (!BASE64.test(v)) throw typeError(e, v, path, "base64-encoded binary data");
        return Buffer.from(v, "base64");
      };
    default:
      return (node) => node.v;
  }
}

const PLUS = /\+/g;

function unescapeForm(s: string): string {
  if (s.indexOf("%") === -1) return s.indexOf("+") === -1 ? s : s.replace(PLUS, " ");
  const t = s.replace(PLUS, " ");
  try {
    return decodeURIComponent(t);
  } catch {
    return querystring.unescape(t); // malformed escapes are kept as sent, as URLSearchParams does
  }
}

/** `a=1&b=2` pairs, form-decoded (`+` is a space). Faster than URLSearchParams for bodies of thousands of pairs. */
function parseForm(text: string, into: Map<string, string>): void {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("&", start);
    if (end === -1) end = text.length;
    if (end > start) {
      const eq = text.indexOf("=", start);
      if (eq === -1 || eq > end) into.set(unescapeForm(text.slice(start, end)), "");
      else into.set(unescapeForm(text.slice(start, eq)), unescapeForm(text.slice(eq + 1, end)));
    }
    start = end + 1;
  }
}

/** The request's parameters: the query string, then a form body (the body wins where both name a key). */
function formParams(req: WireRequest): Map<string, string> {
  const params = new Map<string, string>(req.query);
  const ct = req.headers["content-type"];
  const formBody =
    req.body.length > 0 && (ct === undefined || ct.toLowerCase().startsWith("application/x-www-form-urlencoded"));
  if (formBody) parseForm(req.body.toString("utf8"), params);
  return params;
}

function decode(req: WireRequest, model: ServiceModel, validationErrorCode: string): DecodedRequest {
  const params = formParams(req);
  const action = params.get("Action");
  if (action === undefined || action === "") {
    throw awsError("MissingAction", "The request is missing an action or a required parameter.");
  }
  const op = Object.hasOwn(model.operations, action) ? model.operations[action] : undefined;
  if (!op) throw awsError("InvalidAction", `The action ${action} is not valid for this web service.`);
  let input: Record<string, unknown> = {};
  if (op.input) {
    const tree = buildTree(params);
    input = (decoderFor(model, op.input)(tree, "", validationErrorCode) as Record<string, unknown> | undefined) ?? {};
  }
  validateInput(model, action, input, validationErrorCode);
  return { operation: action, input };
}

// ---------------------------------------------------------------------------------------------------
// Responses

const namespaceCache = new WeakMap<ServiceModel, string>();

/** The response namespace; the SQS JSON model has lost its Query namespace, so it is supplied here. */
export function queryNamespace(model: ServiceModel): string {
  let ns = namespaceCache.get(model);
  if (ns === undefined) {
    const m = model.metadata;
    ns =
      m.xmlNamespace ??
      (m.endpointPrefix === "sqs"
        ? "http://queue.amazonaws.com/doc/2012-11-05/"
        : `https://${m.endpointPrefix}.amazonaws.com/doc/${m.apiVersion}/`);
    namespaceCache.set(model, ns);
  }
  return ns;
}

/**
 * The code an error carries on the Query wire: an error shape's `error.code` when the thrown code names that
 * shape (SNS `NotFoundException` -> `NotFound`), SQS's legacy codes, otherwise the code as thrown.
 */
export const queryErrorCode = (model: ServiceModel, code: string): string => wireErrorCodes(model, code).queryCode;

function encode(model: ServiceModel, operation: string, output: unknown, ctx: EncodeContext): WireResponse {
  const op = model.operations[operation];
  if (!op) throw new Error(`${model.metadata.serviceId} has no operation ${operation}`);
  const out = new XmlSink();
  out.add(`<${operation}Response xmlns="${queryNamespace(model)}">`);
  if (op.output) {
    // The JS SDK always reads `<OpResult>`; botocore reads the model's resultWrapper. They agree wherever the
    // model has one; SQS's JSON model has none, and its Query answers use `<OpResult>`.
    const wrapper = op.output.resultWrapper ?? `${operation}Result`;
    writeXmlElementTo(out, model, op.output.shape, wrapper, output ?? {});
  }
  out.add(
    `<ResponseMetadata><RequestId>${escapeXml(ctx.requestId)}</RequestId></ResponseMetadata></${operation}Response>`,
  );
  const body = out.toBuffer();
  return { status: 200, headers: { "content-type": "text/xml", "x-amzn-RequestId": ctx.requestId }, body };
}

function encodeError(
  model: ServiceModel,
  _operation: string | undefined,
  error: AwsError,
  ctx: EncodeContext,
): WireResponse {
  const code = queryErrorCode(model, error.code);
  const type = error.fault === "server" ? "Receiver" : "Sender";
  const body =
    `<ErrorResponse xmlns="${queryNamespace(model)}"><Error><Type>${type}</Type>` +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(error.message)}</Message>` +
    errorExtraXml(model, error.code, error.extra) +
    `</Error><RequestId>${escapeXml(ctx.requestId)}</RequestId></ErrorResponse>`;
  return {
    status: error.httpStatus,
    headers: { "content-type": "text/xml", "x-amzn-RequestId": ctx.requestId },
    body,
  };
}

export const awsQuery: ProtocolCodec = { id: "awsQuery", decode, encode, encodeError };
