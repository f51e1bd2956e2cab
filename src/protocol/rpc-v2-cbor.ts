/**
 * Smithy RPC v2 CBOR (https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html):
 * `POST [prefix]/service/<ServiceShape>/operation/<Operation>` with `smithy-protocol: rpc-v2-cbor` and a CBOR map
 * body. Timestamps are tag 1 epoch seconds, blobs byte strings, floats native (NaN and infinities included).
 * Requests are decoded with cbor-x; responses are written by a shape-driven encoder (below) so that doubles stay
 * floats, timestamps are tag 1 + float64, and maps and arrays have minimal definite lengths.
 */
import { Decoder } from "cbor-x";
import { type AwsError, serializationError, unknownOperation } from "../errors/index.js";
import type { MemberRef, ServiceModel } from "./model.js";
import {
  compiled,
  epochSeconds,
  inputReader,
  messageKey,
  perModel,
  queryErrorHeader,
  wireErrorCodes,
} from "./shape-values.js";
import type { DecodedRequest, EncodeContext, ProtocolCodec, WireRequest, WireResponse } from "./types.js";
import { validateInput } from "./validate.js";

const decoder = new Decoder({ mapsAsObjects: true, useRecords: false });

// ---- a minimal CBOR writer (RFC 8949) ----

/** Grows one buffer per encode; the module keeps a scratch buffer between calls (encoding is synchronous). */
class CborWriter {
  buf: Buffer;
  pos = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** A major type with its argument, in the shortest form. */
  head(major: number, n: number): void {
    const m = major << 5;
    this.ensure(9);
    const b = this.buf;
    if (n < 24) b[this.pos++] = m | n;
    else if (n < 0x100) {
      b[this.pos++] = m | 24;
      b[this.pos++] = n;
    } else if (n < 0x10000) {
      b[this.pos++] = m | 25;
      b.writeUInt16BE(n, this.pos);
      this.pos += 2;
    } else if (n < 0x100000000) {
      b[this.pos++] = m | 26;
      b.writeUInt32BE(n, this.pos);
      this.pos += 4;
    } else {
      b[this.pos++] = m | 27;
      b.writeBigUInt64BE(BigInt(n), this.pos);
      this.pos += 8;
    }
  }

  integer(n: number): void {
    if (n >= 0) this.head(0, n);
    else this.head(1, -1 - n);
  }

  bigint(n: bigint): void {
    if (n >= 0n && n < 0x10000000000000000n) {
      this.ensure(9);
      this.buf[this.pos++] = 0x1b;
      this.buf.writeBigUInt64BE(n, this.pos);
      this.pos += 8;
    } else if (n < 0n && n >= -0x10000000000000000n) {
      this.ensure(9);
      this.buf[this.pos++] = 0x3b;
      this.buf.writeBigUInt64BE(-1n - n, this.pos);
      this.pos += 8;
    } else this.float(Number(n));
  }

  float(n: number): void {
    this.ensure(9);
    this.buf[this.pos++] = 0xfb;
    this.buf.writeDoubleBE(n, this.pos);
    this.pos += 8;
  }

  string(s: string): void {
    // ASCII-heavy strings are the norm: reserve the worst case, write, then fix the head if it was oversized.
    const max = s.length * 3;
    this.ensure(max + 9);
    if (max < 24) {
      const start = this.pos++;
      const len = this.buf.write(s, this.pos, "utf8");
      this.buf[start] = 0x60 | len;
      this.pos += len;
      return;
    }
    const len = Buffer.byteLength(s, "utf8");
    this.head(3, len);
    this.buf.write(s, this.pos, "utf8");
    this.pos += len;
  }

  bytes(b: Uint8Array): void {
    this.head(2, b.byteLength);
    this.ensure(b.byteLength);
    this.buf.set(b, this.pos);
    this.pos += b.byteLength;
  }

  byte(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  timestamp(seconds: number): void {
    this.byte(0xc1);
    this.float(seconds);
  }

  /** Reserves room for a container head able to hold `max` items; returns the reservation. */
  open(max: number): [number, number] {
    const size = headSize(max);
    this.ensure(size);
    const at = this.pos;
    this.pos += size;
    return [at, size];
  }

  /** Writes the container head for the `count` items written, shifting the content if the head came out smaller. */
  close(major: number, [at, reserved]: [number, number], count: number): void {
    const size = headSize(count);
    if (size < reserved) {
      this.buf.copy(this.buf, at + size, at + reserved, this.pos);
      this.pos -= reserved - size;
    }
    const end = this.pos;
    this.pos = at;
    this.head(major, count);
    this.pos = end;
  }

  result(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

const headSize = (n: number): number => (n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x100000000 ? 5 : 9);

let scratch = new CborWriter(16 * 1024);
function freshWriter(): CborWriter {
  if (scratch.buf.length > 4 * 1024 * 1024) scratch = new CborWriter(16 * 1024);
  scratch.pos = 0;
  return scratch;
}

/** Writes one value of a shape; false means "nothing written" (the member or item is left out). */
type CborWrite = (v: unknown, w: CborWriter) => boolean;

/** Untyped values: error extras without a shape and documents. */
const writeAny: CborWrite = (v, w) => {
  switch (typeof v) {
    case "string":
      w.string(v);
      return true;
    case "number":
      if (Number.isSafeInteger(v)) w.integer(v);
      else w.float(v);
      return true;
    case "bigint":
      w.bigint(v);
      return true;
    case "boolean":
      w.byte(v ? 0xf5 : 0xf4);
      return true;
    case "object": {
      if (v === null) return false;
      if (v instanceof Date) {
        const s = epochSeconds(v);
        if (s === undefined) return false;
        w.timestamp(s);
        return true;
      }
      if (v instanceof Uint8Array) {
        w.bytes(v);
        return true;
      }
      if (Array.isArray(v)) {
        const r = w.open(v.length);
        let n = 0;
        for (const x of v) if (writeAny(x, w)) n++;
        w.close(4, r, n);
        return true;
      }
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
      const r = w.open(entries.length);
      let n = 0;
      for (const [k, x] of entries) {
        const mark = w.pos;
        w.string(String(k));
        if (writeAny(x, w)) n++;
        else w.pos = mark;
      }
      w.close(5, r, n);
      return true;
    }
    default:
      return false;
  }
};

const writeString: CborWrite = (v, w) => {
  if (typeof v === "string") w.string(v);
  else if (v == null) return false;
  else w.string(String(v));
  return true;
};

const writeInteger: CborWrite = (v, w) => {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return false;
    w.integer(Math.trunc(v));
  } else if (typeof v === "bigint") w.bigint(v);
  else if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) w.integer(Math.trunc(Number(v)));
  else return false;
  return true;
};

const writeDouble: CborWrite = (v, w) => {
  const n = typeof v === "number" ? v : typeof v === "bigint" || typeof v === "string" ? Number(v) : undefined;
  if (n === undefined) return false;
  w.float(n);
  return true;
};

const writeBoolean: CborWrite = (v, w) => {
  if (typeof v !== "boolean") return false;
  w.byte(v ? 0xf5 : 0xf4);
  return true;
};

const writeTimestamp: CborWrite = (v, w) => {
  const s = epochSeconds(v);
  if (s === undefined) return false;
  w.timestamp(s);
  return true;
};

const writeBlob: CborWrite = (v, w) => {
  if (v instanceof Uint8Array) w.bytes(v);
  else if (typeof v === "string") w.bytes(Buffer.from(v, "utf8"));
  else return false;
  return true;
};

const writerCaches = new WeakMap<ServiceModel, Map<string, CborWrite>>();

/** The CBOR writer of a shape, compiled once per model and shape. */
function cborWriter(model: ServiceModel, shapeName: string): CborWrite {
  return writerFor(
    model,
    perModel(writerCaches, model, () => new Map()),
    shapeName,
  );
}

function writerFor(model: ServiceModel, cache: Map<string, CborWrite>, shapeName: string): CborWrite {
  return compiled(cache, shapeName, () => buildWriter(model, cache, shapeName));
}

function buildWriter(model: ServiceModel, cache: Map<string, CborWrite>, shapeName: string): CborWrite {
  const shape = model.shapes[shapeName];
  if (!shape) throw new Error(`model ${model.metadata.serviceId} has no shape ${shapeName}`);
  if (shape.document) return writeAny;
  const ref = (r: MemberRef) => writerFor(model, cache, r.shape);
  switch (shape.type) {
    case "structure": {
      const members = Object.entries(shape.members ?? {}).map(([name, r]) => ({ name, write: ref(r) }));
      return (v, w) => {
        if (typeof v !== "object" || v === null) return false;
        const obj = v as Record<string, unknown>;
        const r = w.open(members.length);
        let n = 0;
        for (const m of members) {
          const x = obj[m.name];
          if (x == null) continue;
          const mark = w.pos;
          w.string(m.name);
          if (m.write(x, w)) n++;
          else w.pos = mark;
        }
        w.close(5, r, n);
        return true;
      };
    }
    case "list": {
      const item = ref(shape.member!);
      return (v, w) => {
        if (!Array.isArray(v)) return false;
        const r = w.open(v.length);
        let n = 0;
        for (const x of v) if (x != null && item(x, w)) n++;
        w.close(4, r, n);
        return true;
      };
    }
    case "map": {
      const value = ref(shape.value!);
      return (v, w) => {
        if (typeof v !== "object" || v === null) return false;
        const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as Record<string, unknown>);
        const r = w.open(entries.length);
        let n = 0;
        for (const [k, x] of entries) {
          if (x == null) continue;
          const mark = w.pos;
          w.string(String(k));
          if (value(x, w)) n++;
          else w.pos = mark;
        }
        w.close(5, r, n);
        return true;
      };
    }
    case "string":
      return writeString;
    case "boolean":
      return writeBoolean;
    case "timestamp":
      return writeTimestamp;
    case "blob":
      return writeBlob;
    case "integer":
    case "long":
    case "biginteger":
      return writeInteger;
    case "float":
    case "double":
    case "bigdecimal":
      return writeDouble;
    default:
      return writeAny;
  }
}

/** Encodes a value of a shape to CBOR bytes (exported for tests and for the gateway's own uses). */
export function encodeCbor(model: ServiceModel, shapeName: string | undefined, value: unknown): Buffer {
  const w = freshWriter();
  const written = value != null && (shapeName ? cborWriter(model, shapeName)(value, w) : writeAny(value, w));
  if (!written) return Buffer.from([0xa0]);
  return w.result();
}

// ---- the codec ----

const SERVICE = "/service/";

/** `[prefix]/service/<Service>/operation/<Operation>`: any service segment, the operation must be the model's. */
function operationOf(path: string, model: ServiceModel): string {
  const at = path.lastIndexOf(SERVICE);
  if (at < 0) throw unknownOperation();
  const rest = path.slice(at + SERVICE.length).split("/");
  if (rest.length !== 3 || rest[0] === "" || rest[1] !== "operation") throw unknownOperation();
  const operation = rest[2]!;
  if (!Object.hasOwn(model.operations, operation)) throw unknownOperation();
  return operation;
}

function parseBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = decoder.decode(body);
  } catch {
    throw serializationError("The request body is not valid CBOR.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || parsed instanceof Uint8Array) {
    throw serializationError("Expected a CBOR map.");
  }
  return parsed as Record<string, unknown>;
}

function baseHeaders(ctx: EncodeContext): Record<string, string> {
  return { "smithy-protocol": "rpc-v2-cbor", "content-type": "application/cbor", "x-amzn-requestid": ctx.requestId };
}

export const rpcv2Cbor: ProtocolCodec = {
  id: "rpcv2Cbor",

  decode(req: WireRequest, model: ServiceModel, validationErrorCode: string): DecodedRequest {
    const operation = operationOf(req.path, model);
    const raw = parseBody(req.body);
    const inputShape = model.operations[operation]!.input?.shape;
    const input = inputShape ? (inputReader(model, inputShape, "cbor")(raw) as Record<string, unknown>) : {};
    validateInput(model, operation, input, validationErrorCode);
    return { operation, input };
  },

  encode(model: ServiceModel, operation: string, output: unknown, ctx: EncodeContext): WireResponse {
    const outputShape = model.operations[operation]?.output?.shape;
    return {
      status: 200,
      headers: baseHeaders(ctx),
      body: encodeCbor(model, outputShape, outputShape ? output : undefined),
    };
  },

  encodeError(model: ServiceModel, _operation: string | undefined, error: AwsError, ctx: EncodeContext): WireResponse {
    const codes = wireErrorCodes(model, error.code);
    const w = freshWriter();
    const members = codes.shape?.members ?? {};
    const extras = Object.entries(error.extra ?? {}).filter(
      ([k, v]) => v != null && k !== "__type" && k !== "message" && k !== "Message",
    );
    const r = w.open(2 + extras.length);
    let n = 1;
    w.string("__type");
    w.string(codes.code);
    if (error.message) {
      w.string(messageKey(codes.shape));
      w.string(error.message);
      n++;
    }
    for (const [k, v] of extras) {
      const mark = w.pos;
      w.string(k);
      const ref = members[k];
      if ((ref ? cborWriter(model, ref.shape) : writeAny)(v, w)) n++;
      else w.pos = mark;
    }
    w.close(5, r, n);
    const headers = baseHeaders(ctx);
    if (ctx.queryCompatible && model.metadata.awsQueryCompatible) {
      headers["x-amzn-query-error"] = queryErrorHeader(codes, error);
    }
    return { status: error.httpStatus, headers, body: w.result() };
  },
};
