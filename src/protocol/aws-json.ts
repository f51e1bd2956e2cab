/**
 * The awsJson1_0 and awsJson1_1 protocols (https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html):
 * POST with `X-Amz-Target: <targetPrefix>.<Operation>` and a JSON document body, answered with a JSON document.
 * Timestamps travel as epoch seconds, blobs as base64, non-finite floats as the strings "NaN"/"Infinity".
 * Errors: `{"__type": code, "message": ...}`; services migrated from Query (SQS, CloudWatch) also answer
 * `x-amzn-query-error: <QueryCode>;Sender` when the client sent `x-amzn-query-mode: true`.
 */
import { type AwsError, serializationError, unknownOperation } from "../errors/index.js";
import type { MemberRef, ServiceModel } from "./model.js";
import {
  epochSeconds,
  httpDate,
  inputReader,
  isoDate,
  messageKey,
  perModel,
  queryErrorHeader,
  toDate,
  wireErrorCodes,
  compiled,
} from "./shape-values.js";
import type { DecodedRequest, EncodeContext, ProtocolCodec, WireRequest, WireResponse } from "./types.js";
import { validateInput } from "./validate.js";

/**
 * Turns a value of one shape into its JSON form (timestamps to epoch seconds, blobs to base64, members outside
 * the shape dropped); undefined means "leave it out". One JSON.stringify over the result is about twice as fast
 * as concatenating JSON text member by member.
 */
type Normalize = (v: unknown) => unknown;

const normalizerCaches = new WeakMap<ServiceModel, Map<string, Normalize>>();

/** The JSON normalizer of a shape, compiled once per model and shape. */
export function jsonNormalizer(model: ServiceModel, shapeName: string): Normalize {
  return normalizerFor(
    model,
    perModel(normalizerCaches, model, () => new Map()),
    shapeName,
  );
}

function normalizerFor(model: ServiceModel, cache: Map<string, Normalize>, shapeName: string): Normalize {
  return compiled(cache, shapeName, () => buildNormalizer(model, cache, shapeName));
}

function refNormalizer(model: ServiceModel, cache: Map<string, Normalize>, ref: MemberRef): Normalize {
  const shape = model.shapes[ref.shape];
  if (shape?.type === "timestamp") {
    const format = ref.timestampFormat ?? shape.timestampFormat;
    if (format === "iso8601") return isoTimestamp;
    if (format === "rfc822") return httpTimestamp;
  }
  return normalizerFor(model, cache, ref.shape);
}

const string: Normalize = (v) => (typeof v === "string" ? v : v == null ? undefined : String(v));

const integer: Normalize = (v) => {
  if (typeof v === "number") return Number.isFinite(v) ? Math.trunc(v) : undefined;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Math.trunc(Number(v));
  return undefined;
};

/** awsJson writes non-finite floats as the strings "NaN", "Infinity" and "-Infinity". */
const double: Normalize = (v) => {
  const n = typeof v === "number" ? v : typeof v === "bigint" || typeof v === "string" ? Number(v) : undefined;
  if (n === undefined || Number.isFinite(n)) return n;
  return Number.isNaN(n) ? "NaN" : n > 0 ? "Infinity" : "-Infinity";
};

const boolean: Normalize = (v) => (typeof v === "boolean" ? v : undefined);

const timestamp: Normalize = (v) => epochSeconds(v);

const isoTimestamp: Normalize = (v) => {
  const d = toDate(v);
  return d ? isoDate(d) : undefined;
};

const httpTimestamp: Normalize = (v) => {
  const d = toDate(v);
  return d ? httpDate(d) : undefined;
};

const blob: Normalize = (v) => {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64");
  if (typeof v === "string") return Buffer.from(v, "utf8").toString("base64");
  return undefined;
};

/** Untyped values (documents, error extras without a shape): Dates as epoch seconds, blobs as base64. */
function jsonReplacer(this: unknown, key: string, v: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Date) return raw.getTime() / 1000;
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("base64");
  if (typeof raw === "bigint") return Number(raw);
  return v;
}
const document: Normalize = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v, jsonReplacer)));

function buildNormalizer(model: ServiceModel, cache: Map<string, Normalize>, shapeName: string): Normalize {
  const shape = model.shapes[shapeName];
  if (!shape) throw new Error(`model ${model.metadata.serviceId} has no shape ${shapeName}`);
  if (shape.document) return document;
  switch (shape.type) {
    case "structure": {
      const members = Object.entries(shape.members ?? {}).map(([name, ref]) => ({
        name,
        normalize: refNormalizer(model, cache, ref),
      }));
      return (v) => {
        if (typeof v !== "object" || v === null) return undefined;
        const obj = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const m of members) {
          const x = obj[m.name];
          if (x == null) continue;
          const y = m.normalize(x);
          if (y !== undefined) out[m.name] = y;
        }
        return out;
      };
    }
    case "list": {
      const item = refNormalizer(model, cache, shape.member!);
      return (v) => {
        if (!Array.isArray(v)) return undefined;
        const out: unknown[] = [];
        for (const x of v) {
          if (x == null) continue;
          const y = item(x);
          if (y !== undefined) out.push(y);
        }
        return out;
      };
    }
    case "map": {
      const value = refNormalizer(model, cache, shape.value!);
      return (v) => {
        if (typeof v !== "object" || v === null) return undefined;
        const out: Record<string, unknown> = {};
        const entries = v instanceof Map ? v.entries() : Object.entries(v as Record<string, unknown>);
        for (const [k, x] of entries) {
          if (x == null) continue;
          const y = value(x);
          if (y === undefined) continue;
          const key = String(k);
          if (key === "__proto__")
            Object.defineProperty(out, key, { value: y, enumerable: true, writable: true, configurable: true });
          else out[key] = y;
        }
        return out;
      };
    }
    case "string":
      return string;
    case "boolean":
      return boolean;
    case "timestamp":
      return shape.timestampFormat === "iso8601"
        ? isoTimestamp
        : shape.timestampFormat === "rfc822"
          ? httpTimestamp
          : timestamp;
    case "blob":
      return blob;
    case "integer":
    case "long":
    case "biginteger":
      return integer;
    case "float":
    case "double":
    case "bigdecimal":
      return double;
    default:
      return document;
  }
}

/** Finds the operation named by X-Amz-Target; anything else is UnknownOperationException, as AWS answers. */
function operationOf(req: WireRequest, model: ServiceModel): string {
  const target = req.headers["x-amz-target"];
  if (!target) throw unknownOperation();
  const dot = target.lastIndexOf(".");
  const prefix = target.slice(0, dot);
  const full = model.metadata.targetPrefix ?? "";
  // CloudTrail's full prefix is a Smithy namespace; the JS SDK v3 sends only its last segment, which AWS accepts.
  if (dot <= 0 || (prefix !== full && !full.endsWith(`.${prefix}`))) throw unknownOperation();
  const operation = target.slice(dot + 1);
  if (!Object.hasOwn(model.operations, operation)) throw unknownOperation();
  return operation;
}

function parseBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw serializationError("The request body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null) throw serializationError("Expected a JSON object.");
  if (Array.isArray(parsed)) throw serializationError("Start of list found where not expected");
  return parsed as Record<string, unknown>;
}

function makeCodec(version: "1.0" | "1.1"): ProtocolCodec {
  const contentType = `application/x-amz-json-${version}`;
  const emptyBody = Buffer.from("{}");

  return {
    id: version === "1.0" ? "awsJson1_0" : "awsJson1_1",

    decode(req: WireRequest, model: ServiceModel, validationErrorCode: string): DecodedRequest {
      const operation = operationOf(req, model);
      const raw = parseBody(req.body);
      const inputShape = model.operations[operation]!.input?.shape;
      const input = inputShape ? (inputReader(model, inputShape, "json")(raw) as Record<string, unknown>) : {};
      validateInput(model, operation, input, validationErrorCode);
      return { operation, input };
    },

    encode(model: ServiceModel, operation: string, output: unknown, ctx: EncodeContext): WireResponse {
      const outputShape = model.operations[operation]?.output?.shape;
      const json = outputShape && output != null ? jsonNormalizer(model, outputShape)(output) : undefined;
      return {
        status: 200,
        headers: { "content-type": contentType, "x-amzn-requestid": ctx.requestId },
        body: json === undefined ? emptyBody : JSON.stringify(json),
      };
    },

    encodeError(
      model: ServiceModel,
      _operation: string | undefined,
      error: AwsError,
      ctx: EncodeContext,
    ): WireResponse {
      const codes = wireErrorCodes(model, error.code);
      const body: Record<string, unknown> = { __type: codes.code };
      if (error.message) body[messageKey(codes.shape)] = error.message;
      if (error.extra) {
        const members = codes.shape?.members ?? {};
        const cache = perModel(normalizerCaches, model, () => new Map());
        for (const [k, v] of Object.entries(error.extra)) {
          if (v == null || k === "__type" || k === "message" || k === "Message" || k === "__proto__") continue;
          const ref = members[k];
          const y = ref ? refNormalizer(model, cache, ref)(v) : document(v);
          if (y !== undefined) body[k] = y;
        }
      }
      const headers: Record<string, string> = { "content-type": contentType, "x-amzn-requestid": ctx.requestId };
      if (ctx.queryCompatible && model.metadata.awsQueryCompatible) {
        headers["x-amzn-query-error"] = queryErrorHeader(codes, error);
      }
      return { status: error.httpStatus, headers, body: JSON.stringify(body) };
    },
  };
}

export const awsJson1_0: ProtocolCodec = makeCodec("1.0");
export const awsJson1_1: ProtocolCodec = makeCodec("1.1");
