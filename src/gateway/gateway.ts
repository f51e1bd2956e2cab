/**
 * The request pipeline: read the body within caps, find service and protocol, decode and validate from the model,
 * run the operation's handler, record the call in the audit history (answering only after it committed), encode.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { VigilConfig } from "../config.js";
import { awsError, internalFailure, isAwsError, notImplemented, type AwsError } from "../errors/index.js";
import { CODECS } from "../protocol/index.js";
import { bucketFromHost } from "../protocol/rest-xml.js";
import type { ProtocolId, WireRequest, WireResponse } from "../protocol/types.js";
import type { Clock } from "../runtime/clock.js";
import { eventId as newEventId, requestId as newRequestId } from "../runtime/ids.js";
import { isKnownRegion } from "../runtime/regions.js";
import { modelOf, SERVICES } from "../services/registry.js";
import type { Handler, RequestContext, ServiceDef } from "../services/types.js";
import type { Stores } from "../storage/types.js";
import { buildAuditRow } from "../audit/record.js";
import type { AuditRecorder } from "../audit/recorder.js";
import { BadEncoding, BodyTooLarge, decodeContent, readBody } from "./body.js";
import { anonymousIdentity, devIdentity } from "./identity.js";
import { queryServiceByVersion, route } from "./route.js";
import { parseAuth } from "./sigv4.js";

export interface GatewayDeps {
  config: VigilConfig;
  clock: Clock;
  stores: Stores;
  recorder: AuditRecorder;
  log: Logger;
  /** Test seam: handlers that replace or add to a service's table, by service name then operation. */
  handlerOverrides?: Record<string, Record<string, Handler>>;
}

/** Errors about the request itself (signature, region, size), named as each protocol family names them. */
function frameworkError(protocol: ProtocolId, kind: "signature" | "region" | "tooLarge" | "encoding", message: string) {
  const query = protocol === "awsQuery";
  const s3 = protocol === "restXml";
  switch (kind) {
    case "signature":
      return s3
        ? awsError("AuthorizationHeaderMalformed", message)
        : awsError(query ? "IncompleteSignature" : "IncompleteSignatureException", message);
    case "region":
      return s3
        ? awsError("AuthorizationHeaderMalformed", message)
        : awsError(query ? "SignatureDoesNotMatch" : "InvalidSignatureException", message, 403);
    case "tooLarge":
      return s3 ? awsError("EntityTooLarge", message) : awsError("RequestEntityTooLarge", message, 413);
    case "encoding":
      return s3 ? awsError("InvalidRequest", message) : awsError("SerializationException", message);
  }
}

/** Where each protocol names the operation, for auditing calls that failed before decoding finished. */
function operationHint(protocol: ProtocolId, wire: WireRequest): string | undefined {
  switch (protocol) {
    case "awsJson1_0":
    case "awsJson1_1": {
      const t = wire.headers["x-amz-target"] ?? "";
      return t.slice(t.lastIndexOf(".") + 1);
    }
    case "rpcv2Cbor":
      return wire.path.slice(wire.path.lastIndexOf("/") + 1);
    case "awsQuery":
      return wire.query.get("Action") ?? new URLSearchParams(wire.body.toString("latin1")).get("Action") ?? undefined;
    default:
      return undefined;
  }
}

const LOOPBACK_V4_MAPPED = /^::ffff:/;

export function createGateway(deps: GatewayDeps) {
  const { config, clock, stores, recorder, log } = deps;

  function send(res: ServerResponse, req: IncomingMessage, requestId: string, wire: WireResponse, close = false) {
    const headers: Record<string, string> = { ...wire.headers };
    if (!("x-amzn-requestid" in headers) && !("x-amz-request-id" in headers)) headers["x-amzn-RequestId"] = requestId;
    if (close) headers.connection = "close";
    const body = req.method === "HEAD" ? undefined : wire.body;
    if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
    res.writeHead(wire.status, headers);
    res.end(body);
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = newRequestId();
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const qi = url.indexOf("?");
    const path = qi < 0 ? url : url.slice(0, qi);
    const query = new URLSearchParams(qi < 0 ? "" : url.slice(qi + 1));
    const headers = req.headers as Record<string, string | undefined>;

    const auth = parseAuth(
      headers.authorization,
      query,
      Boolean(headers["x-amz-date"] || headers.date || query.has("X-Amz-Date")),
    );
    const r = route(method, path, query, headers, auth.kind === "sigv4" ? auth.scope.service : undefined);
    const codec = CODECS[r.protocol];
    let def: ServiceDef | undefined = r.def;
    const fallbackModel = () => modelOf(def ?? SERVICES.find((s) => s.protocols.includes(r.protocol)) ?? SERVICES[0]!);
    const encodeCtx = { requestId, queryCompatible: headers["x-amzn-query-mode"] === "true" };

    let body: Buffer;
    let wireBytes = 0;
    const limit = r.protocol === "restXml" ? config.maxObjectBytes : config.maxRequestBytes;
    try {
      if (headers.expect?.toLowerCase() === "100-continue") {
        const declared = Number(headers["content-length"]);
        if (!(declared > limit)) res.writeContinue();
      }
      body = await readBody(req, limit);
      wireBytes = body.length;
      // An S3 object's Content-Encoding belongs to the object; only the RPC protocols' bodies are inflated here.
      if (r.protocol !== "restXml") {
        body = await decodeContent(body, headers["content-encoding"], config.maxDecompressedBytes);
      }
    } catch (err) {
      let e: AwsError;
      if (err instanceof BodyTooLarge) {
        e = frameworkError(
          r.protocol,
          "tooLarge",
          `Request size ${err.size ?? "over " + err.limit} bytes exceeds the limit of ${err.limit} bytes.`,
        );
      } else if (err instanceof BadEncoding) {
        e = frameworkError(r.protocol, "encoding", err.message);
      } else {
        req.destroy();
        return;
      }
      send(res, req, requestId, codec.encodeError(fallbackModel(), undefined, e, encodeCtx), true);
      return;
    }

    if (r.protocol === "awsQuery" && !def) def = queryServiceByVersion(body);
    const wire: WireRequest = { method, path, query, headers, body, hostBucket: bucketFromHost(headers.host) };
    if (!def) {
      const action = operationHint("awsQuery", wire) ?? "";
      const e = awsError("InvalidAction", `The action ${action} is not valid for this web service.`);
      send(res, req, requestId, codec.encodeError(fallbackModel(), undefined, e, encodeCtx));
      return;
    }
    const model = def.modelFor?.(r.protocol) ?? modelOf(def);

    if (auth.kind === "malformed") {
      send(
        res,
        req,
        requestId,
        codec.encodeError(model, undefined, frameworkError(r.protocol, "signature", auth.reason), encodeCtx),
      );
      return;
    }
    let region = auth.kind === "sigv4" ? auth.scope.region : config.defaultRegion;
    if (!config.allowUnknownRegions && !isKnownRegion(region)) {
      const e = frameworkError(r.protocol, "region", `Credential should be scoped to a valid region, not '${region}'.`);
      send(res, req, requestId, codec.encodeError(model, undefined, e, encodeCtx));
      return;
    }
    const identity =
      auth.kind === "sigv4"
        ? devIdentity(auth.scope.accessKeyId, region, config.defaultAccount)
        : anonymousIdentity(region, config.defaultAccount);
    if (def.global) region = "us-east-1";

    const ctx: RequestContext = {
      requestId,
      identity,
      account: identity.account,
      region,
      clock,
      stores,
      log,
      endpoint: `http://${headers.host ?? `${config.host}:${config.port}`}`,
      protocol: r.protocol,
      sourceIp: (req.socket.remoteAddress ?? "").replace(LOOPBACK_V4_MAPPED, ""),
      userAgent: headers["user-agent"] ?? "",
      requestBytes: wireBytes,
    };

    let operation: string | undefined;
    let input: Record<string, unknown> | undefined;
    let output: unknown;
    let error: AwsError | undefined;
    try {
      const hint = def.validationErrorCodeFor ? operationHint(r.protocol, wire) : undefined;
      const validationCode = hint ? def.validationErrorCodeFor!(hint) : def.validationErrorCode;
      let decoded;
      try {
        const prepared = def.prepareRequest ? def.prepareRequest(wire, r.protocol, ctx.endpoint) : wire;
        decoded = codec.decode(prepared, model, validationCode);
      } catch (err) {
        const rewrite = def.rewriteValidationError;
        throw rewrite && isAwsError(err) ? rewrite(hint ?? operationHint(r.protocol, wire) ?? "", err) : err;
      }
      operation = decoded.operation;
      input = decoded.input;
      const handler = deps.handlerOverrides?.[def.name]?.[operation] ?? def.handlers[operation];
      if (!handler) throw notImplemented(def.name, operation);
      output = await handler(input, ctx);
    } catch (err) {
      if (isAwsError(err)) error = err;
      else {
        log.error({ err, requestId, service: def.name, operation }, "unhandled error");
        error = internalFailure();
      }
    }

    operation ??= operationHint(r.protocol, wire);
    if (operation && model.operations[operation]) {
      const row = buildAuditRow({
        def,
        model,
        operation,
        input,
        output,
        error,
        identity,
        region,
        eventTime: clock.now(),
        eventId: newEventId(),
        requestId,
        sourceIp: ctx.sourceIp,
        userAgent: ctx.userAgent,
        signed: auth.kind === "sigv4",
        requestBytes: body.length,
      });
      try {
        await recorder.record(row);
      } catch (err) {
        // Never acknowledge a call whose audit record is not committed.
        log.error({ err, requestId }, "audit record not committed");
        error = internalFailure();
      }
    }

    let out: WireResponse;
    try {
      out = error
        ? codec.encodeError(model, operation, error, encodeCtx)
        : codec.encode(model, operation!, output, encodeCtx);
    } catch (err) {
      log.error({ err, requestId, service: def.name, operation }, "response encoding failed");
      out = codec.encodeError(model, operation, internalFailure(), encodeCtx);
    }
    send(res, req, requestId, out);
    if (log.isLevelEnabled("debug")) {
      log.debug(
        { requestId, service: def.name, operation, status: out.status, ms: +(performance.now() - started).toFixed(2) },
        "request",
      );
    }
  };
}
