/** The contract between the gateway, the protocol codecs and the operation handlers. */
import type { AwsError } from "../errors/index.js";
import type { ServiceModel } from "./model.js";

export type ProtocolId = "awsJson1_0" | "awsJson1_1" | "awsQuery" | "rpcv2Cbor" | "restXml";

/** A request as the gateway hands it to a codec: body already read, size-capped and decompressed. */
export interface WireRequest {
  method: string;
  /** Raw path without the query string, percent-encoding kept. */
  path: string;
  /** Decoded query-string parameters. */
  query: URLSearchParams;
  /** Header names lower-case. */
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** For restXml: the bucket named by a virtual-hosted Host header, if any. */
  hostBucket?: string;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

export interface DecodedRequest {
  operation: string;
  /** Input members by their model names, typed from the shapes (Date for timestamps, Buffer for blobs). */
  input: Record<string, unknown>;
}

/** Facts a codec needs about the call being answered. */
export interface EncodeContext {
  requestId: string;
  /** SQS and CloudWatch on JSON: the x-amzn-query-mode header was sent. */
  queryCompatible?: boolean;
}

/**
 * One per wire protocol, generic over the model's shapes. decode() finds the operation (target header,
 * Action parameter, CBOR path or REST route), parses the body and validates it against the model;
 * every failure is thrown as the AwsError the protocol's services answer.
 */
export interface ProtocolCodec {
  readonly id: ProtocolId;
  decode(req: WireRequest, model: ServiceModel, validationErrorCode: string): DecodedRequest;
  encode(model: ServiceModel, operation: string, output: unknown, ctx: EncodeContext): WireResponse;
  encodeError(model: ServiceModel, operation: string | undefined, error: AwsError, ctx: EncodeContext): WireResponse;
}
