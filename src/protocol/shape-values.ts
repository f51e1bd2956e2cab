/**
 * Shape-driven value conversion shared by the document protocols (awsJson1_0/1_1, rpcv2Cbor): input readers
 * that turn parsed wire values into typed values (Date, Buffer, numbers) and the error-code mapping of the
 * services that migrated from Query. Readers are compiled once per (model, shape, wire) and cached.
 * Type mismatches are SerializationExceptions worded as AWS's Coral/Jackson servers word them.
 */
import { type AwsError, serializationError } from "../errors/index.js";
import type { MemberRef, ServiceModel, Shape } from "./model.js";

export type Wire = "json" | "cbor";
export type Reader = (v: unknown) => unknown;

/** Per-model compiled state, keyed by the model object so reloading a model never sees stale converters. */
/**
 * A per-shape function compiled once and cached. A forwarding stub is cached first, so recursive shapes reach
 * the finished function through it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function compiled<F extends (...args: any[]) => unknown>(
  cache: Map<string, F>,
  shapeName: string,
  build: () => F,
): F {
  const cached = cache.get(shapeName);
  if (cached) return cached;
  cache.set(shapeName, ((...args: Parameters<F>) => impl(...args)) as F);
  const impl = build();
  cache.set(shapeName, impl);
  return impl;
}

export function perModel<T>(cache: WeakMap<ServiceModel, T>, model: ServiceModel, make: () => T): T {
  let v = cache.get(model);
  if (v === undefined) {
    v = make();
    cache.set(model, v);
  }
  return v;
}

// ---- timestamps ----

/** Epoch seconds (fraction kept to the millisecond) of a Date, an epoch-millisecond number or a parseable string. */
export function epochSeconds(v: unknown): number | undefined {
  let ms: number;
  if (v instanceof Date) ms = v.getTime();
  else if (typeof v === "number") ms = v;
  else if (typeof v === "bigint") ms = Number(v);
  else if (typeof v === "string") ms = Date.parse(v);
  else return undefined;
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}

/** A Date from what handlers return: Date, epoch milliseconds or an ISO string. */
export function toDate(v: unknown): Date | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v;
  const s = epochSeconds(v);
  return s === undefined ? undefined : new Date(Math.round(s * 1000));
}

/** RFC 822 / IMF-fixdate as the rfc822 timestampFormat wants. */
export const httpDate = (d: Date): string => d.toUTCString();

/** ISO 8601 as AWS writes it: milliseconds only when present. */
export function isoDate(d: Date): string {
  const s = d.toISOString();
  return s.endsWith(".000Z") ? `${s.slice(0, -5)}Z` : s;
}

/** The timestamp format a member serializes with: member trait, then shape trait, then the protocol default. */
export function timestampFormatOf(ref: MemberRef, shape: Shape): "iso8601" | "rfc822" | "unixTimestamp" | undefined {
  return ref.timestampFormat ?? shape.timestampFormat;
}

// ---- input readers ----

/** Java class names Coral reports for a JSON value of the wrong type (dynalite's recordings of DynamoDB). */
function javaClassOf(v: unknown): string {
  if (typeof v === "boolean") return "java.lang.Boolean";
  if (typeof v === "string") return "java.lang.String";
  if (typeof v === "number") {
    if (!Number.isInteger(v)) return "java.lang.Double";
    if (v >= -32768 && v <= 32767) return "java.lang.Short";
    if (v >= -2147483648 && v <= 2147483647) return "java.lang.Integer";
    return "java.lang.Long";
  }
  if (typeof v === "bigint") return "java.math.BigInteger";
  if (v instanceof Uint8Array) return "java.nio.ByteBuffer";
  if (v instanceof Date) return "java.util.Date";
  return "java.lang.Object";
}

/** The error for a structure, map or list found where a scalar or another aggregate was expected. */
function aggregateMismatch(v: object): AwsError {
  return Array.isArray(v)
    ? serializationError("Start of list found where not expected")
    : serializationError("Start of structure or map found where not expected.");
}

function cannotConvert(v: unknown, javaType: string): AwsError {
  if (typeof v === "object" && v !== null && !(v instanceof Uint8Array) && !(v instanceof Date)) {
    return aggregateMismatch(v);
  }
  // Sic: Coral writes "an" before every type name ("an String").
  return serializationError(`class ${javaClassOf(v)} can not be converted to an ${javaType}`);
}

const JAVA_NUMBER: Record<string, string> = {
  integer: "Integer",
  long: "Long",
  float: "Float",
  double: "Double",
  bigdecimal: "BigDecimal",
  biginteger: "BigInteger",
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function readBlobJson(v: unknown): Buffer {
  if (typeof v !== "string") {
    if (typeof v === "object" && v !== null) throw aggregateMismatch(v);
    throw serializationError(`class ${javaClassOf(v)} can not be converted to a Blob`);
  }
  if (v.length % 4 !== 0) {
    throw serializationError(
      `'${v}' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: ${v.length}`,
    );
  }
  if (!BASE64.test(v)) {
    const bad = /[^A-Za-z0-9+/=]|=[^=]/.exec(v)!;
    throw serializationError(`'${v}' can not be converted to a Blob: Invalid Base64 character: '${bad[0][0]}'`);
  }
  return Buffer.from(v, "base64");
}

function readBlobCbor(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (typeof v === "string") return Buffer.from(v, "utf8");
  if (typeof v === "object" && v !== null) throw aggregateMismatch(v);
  throw serializationError(`class ${javaClassOf(v)} can not be converted to a Blob`);
}

function readTimestamp(v: unknown): Date {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw serializationError("Invalid timestamp");
    return v;
  }
  if (typeof v === "number" || typeof v === "bigint") {
    const ms = Math.round(Number(v) * 1000);
    if (!Number.isFinite(ms)) throw serializationError(`Invalid timestamp: ${String(v)}`);
    return new Date(ms);
  }
  if (typeof v === "string") {
    // Epoch seconds as a string or ISO 8601 / RFC 822 dates.
    const n = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
    if (!Number.isFinite(n)) throw serializationError(`Unable to parse date '${v}'`);
    return new Date(Math.round(n));
  }
  throw cannotConvert(v, "Date");
}

function readString(v: unknown): string {
  if (typeof v === "string") return v;
  throw cannotConvert(v, "String");
}

function readBoolean(v: unknown): boolean {
  if (typeof v === "boolean") return v;
  throw cannotConvert(v, "Boolean");
}

function makeNumberReader(type: string, wire: Wire): Reader {
  const javaType = JAVA_NUMBER[type] ?? "Double";
  const floating = type === "float" || type === "double" || type === "bigdecimal";
  const limit = type === "integer" ? 2147483647 : Number.MAX_SAFE_INTEGER;
  return (v) => {
    let n: number;
    if (typeof v === "number") n = v;
    else if (typeof v === "bigint") n = Number(v);
    else if (floating && typeof v === "string" && (v === "NaN" || v === "Infinity" || v === "-Infinity")) {
      // awsJson writes non-finite floats as strings; CBOR carries them natively but accept the strings too.
      return Number(v);
    } else throw cannotConvert(v, javaType);
    if (floating) return n;
    if (!Number.isFinite(n)) throw cannotConvert(v, javaType);
    // Jackson truncates a fractional number read into an int/long (ACCEPT_FLOAT_AS_INT), as Coral services do.
    if (!Number.isInteger(n)) n = Math.trunc(n);
    if (n > limit || n < -limit - (type === "integer" ? 1 : 0)) {
      throw serializationError(
        `Numeric value (${wire === "json" ? String(v) : n}) out of range of ${type === "integer" ? "int" : "long"}`,
      );
    }
    return n;
  };
}

interface ReaderCache {
  json: Map<string, Reader>;
  cbor: Map<string, Reader>;
}
const readerCaches = new WeakMap<ServiceModel, ReaderCache>();

/** Object keys a map may carry that must not go through plain assignment. */
function setKey(out: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__")
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

/**
 * The reader for values of `shapeName` arriving on `wire`: checks types, converts timestamps and blobs,
 * drops nulls and members the shape does not have (AWS ignores unknown members).
 */
export function inputReader(model: ServiceModel, shapeName: string, wire: Wire): Reader {
  const cache = perModel(readerCaches, model, () => ({ json: new Map(), cbor: new Map() }))[wire];
  return readerFor(model, cache, shapeName, wire);
}

function readerFor(model: ServiceModel, cache: Map<string, Reader>, shapeName: string, wire: Wire): Reader {
  return compiled(cache, shapeName, () => buildReader(model, cache, shapeName, wire));
}

function buildReader(model: ServiceModel, cache: Map<string, Reader>, shapeName: string, wire: Wire): Reader {
  const shape = model.shapes[shapeName];
  if (!shape) throw new Error(`model ${model.metadata.serviceId} has no shape ${shapeName}`);
  if (shape.document) return (v) => v;
  switch (shape.type) {
    case "structure": {
      const members = new Map<string, Reader>();
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        members.set(name, readerFor(model, cache, ref.shape, wire));
      }
      return (v) => {
        if (typeof v !== "object" || v === null) throw serializationError("Expected null");
        if (Array.isArray(v) || v instanceof Uint8Array || v instanceof Date) {
          throw Array.isArray(v) ? aggregateMismatch(v) : serializationError("Expected null");
        }
        const obj = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const k in obj) {
          const read = members.get(k);
          if (read === undefined) continue;
          const x = obj[k];
          if (x == null) continue;
          out[k] = read(x);
        }
        return out;
      };
    }
    case "list": {
      const item = readerFor(model, cache, shape.member!.shape, wire);
      return (v) => {
        if (!Array.isArray(v)) {
          if (typeof v === "object" && v !== null && !(v instanceof Uint8Array) && !(v instanceof Date)) {
            throw serializationError("Start of structure or map found where not expected.");
          }
          throw serializationError("Expected list or null");
        }
        const out = new Array<unknown>(v.length);
        let n = 0;
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (x != null) out[n++] = item(x);
        }
        out.length = n;
        return out;
      };
    }
    case "map": {
      const key = readerFor(model, cache, shape.key!.shape, wire);
      const value = readerFor(model, cache, shape.value!.shape, wire);
      return (v) => {
        if (typeof v !== "object" || v === null || v instanceof Uint8Array || v instanceof Date) {
          throw serializationError("Expected map or null");
        }
        if (Array.isArray(v)) throw aggregateMismatch(v);
        const out: Record<string, unknown> = {};
        const entries = v instanceof Map ? v.entries() : Object.entries(v as Record<string, unknown>);
        for (const [k, x] of entries) {
          if (x == null) continue;
          setKey(out, key(k) as string, value(x));
        }
        return out;
      };
    }
    case "string":
      return readString;
    case "boolean":
      return readBoolean;
    case "timestamp":
      return readTimestamp;
    case "blob":
      return wire === "json" ? readBlobJson : readBlobCbor;
    case "integer":
    case "long":
    case "float":
    case "double":
    case "bigdecimal":
    case "biginteger":
      return makeNumberReader(shape.type, wire);
    default:
      return (v) => v;
  }
}

// ---- error codes of Query-compatible services ----

/**
 * Query error codes of the SQS error shapes (Smithy's awsQueryError trait), which botocore's JSON model of SQS
 * no longer carries. CloudWatch's model keeps them in `error.code`.
 */
const QUERY_CODES: Record<string, Record<string, string>> = {
  SQS: {
    BatchEntryIdsNotDistinct: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
    BatchRequestTooLong: "AWS.SimpleQueueService.BatchRequestTooLong",
    EmptyBatchRequest: "AWS.SimpleQueueService.EmptyBatchRequest",
    InvalidBatchEntryId: "AWS.SimpleQueueService.InvalidBatchEntryId",
    KmsAccessDenied: "KMS.AccessDeniedException",
    KmsDisabled: "KMS.DisabledException",
    KmsInvalidKeyUsage: "KMS.InvalidKeyUsageException",
    KmsInvalidState: "KMS.InvalidStateException",
    KmsNotFound: "KMS.NotFoundException",
    KmsOptInRequired: "KMS.OptInRequired",
    KmsThrottled: "KMS.ThrottlingException",
    MessageNotInflight: "AWS.SimpleQueueService.MessageNotInflight",
    PurgeQueueInProgress: "AWS.SimpleQueueService.PurgeQueueInProgress",
    QueueDeletedRecently: "AWS.SimpleQueueService.QueueDeletedRecently",
    QueueDoesNotExist: "AWS.SimpleQueueService.NonExistentQueue",
    QueueNameExists: "QueueAlreadyExists",
    TooManyEntriesInBatchRequest: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
    UnsupportedOperation: "AWS.SimpleQueueService.UnsupportedOperation",
  },
};

/**
 * Coral's framework exceptions that have no error shape in the models, with the code the Query protocol uses for
 * them (SQS and CloudWatch recordings: ValidationException answers as ValidationError on Query, ...).
 */
const FRAMEWORK_QUERY_CODES: Record<string, string> = {
  ValidationException: "ValidationError",
  InvalidParameterValueException: "InvalidParameterValue",
  InvalidParameterCombinationException: "InvalidParameterCombination",
  MissingRequiredParameterException: "MissingParameter",
};

export interface WireErrorCodes {
  /** The code JSON and CBOR carry in __type: the error shape's name where the model has one. */
  code: string;
  /** The code the Query protocol and the x-amzn-query-error header carry. */
  queryCode: string;
  /** The model's error shape, when there is one. */
  shape?: Shape;
}

interface ErrorIndex {
  byCode: Map<string, WireErrorCodes>;
}
const errorIndexes = new WeakMap<ServiceModel, ErrorIndex>();

function errorIndex(model: ServiceModel): ErrorIndex {
  return perModel(errorIndexes, model, () => {
    const byCode = new Map<string, WireErrorCodes>();
    const table = QUERY_CODES[model.metadata.serviceId] ?? {};
    const byQuery = new Map<string, WireErrorCodes>();
    for (const [name, shape] of Object.entries(model.shapes)) {
      if (!shape.exception) continue;
      const entry = { code: name, queryCode: shape.error?.code ?? table[name] ?? name, shape };
      byCode.set(name, entry);
      if (!byQuery.has(entry.queryCode)) byQuery.set(entry.queryCode, entry);
    }
    // Handlers may throw either name; the shape's own name wins where both exist (CloudWatch ResourceNotFound).
    for (const [q, entry] of byQuery) if (!byCode.has(q)) byCode.set(q, entry);
    for (const [code, queryCode] of Object.entries(FRAMEWORK_QUERY_CODES)) {
      if (!byCode.has(code)) byCode.set(code, { code, queryCode });
      if (!byCode.has(queryCode)) byCode.set(queryCode, { code, queryCode });
    }
    return { byCode };
  });
}

/**
 * The wire codes of an error thrown with `code`, which may be the model's shape name (QueueDoesNotExist) or its
 * Query code (AWS.SimpleQueueService.NonExistentQueue): both resolve to the same pair.
 */
export function wireErrorCodes(model: ServiceModel, code: string): WireErrorCodes {
  return errorIndex(model).byCode.get(code) ?? { code, queryCode: code };
}

/** The x-amzn-query-error header value: `<QueryCode>;Sender` or `;Receiver` for server faults. */
export function queryErrorHeader(codes: WireErrorCodes, error: AwsError): string {
  return `${codes.queryCode};${error.fault === "server" ? "Receiver" : "Sender"}`;
}

/** The member name the error shape uses for its message: AWS models mix `message` and `Message`. */
export function messageKey(shape: Shape | undefined): string {
  if (shape?.members && "Message" in shape.members && !("message" in shape.members)) return "Message";
  return "message";
}
