/** What a service contributes to the gateway: its model, protocols, error conventions and one handler per operation. */
import type { AwsError } from "../errors/index.js";
import type { ServiceModel } from "../protocol/model.js";
import type { ProtocolId, WireRequest } from "../protocol/types.js";
import type { Clock } from "../runtime/clock.js";
import type { Stores } from "../storage/types.js";
import type { Logger } from "pino";

/** Who is calling, as derived from SigV4 in dev mode. */
export interface Identity {
  accessKeyId: string;
  account: string;
  region: string;
  /** IAM user name Vigil derives for the key in dev mode. */
  userName: string;
  principalId: string;
  arn: string;
}

export interface RequestContext {
  requestId: string;
  identity: Identity;
  account: string;
  region: string;
  clock: Clock;
  stores: Stores;
  log: Logger;
  /** The endpoint as the client reached it, e.g. http://127.0.0.1:4566 (queue URLs, SigningCertURL). */
  endpoint: string;
  /** The wire protocol of the call (SQS words a few errors differently on Query). */
  protocol: ProtocolId;
  sourceIp: string;
  userAgent: string;
  /** Size of the request body as it arrived (before gzip was inflated): per-operation size limits. */
  requestBytes: number;
}

// Handlers receive input typed from the model at runtime; static types come per service as they are written.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (input: any, ctx: RequestContext) => Promise<unknown> | unknown;

export interface ServiceDef {
  /** Our key and the model file name in models/. */
  name: string;
  /** SigV4 credential-scope service name (logs, monitoring, events, ...). */
  signingName: string;
  /** CloudTrail eventSource, e.g. logs.amazonaws.com. */
  eventSource: string;
  /** Protocols this service answers on; the first is its default. */
  protocols: ProtocolId[];
  /** The error code the service uses for model-constraint violations. */
  validationErrorCode: string;
  /** Where the code depends on the operation (Logs' newer operations answer ValidationException). */
  validationErrorCodeFor?: (operation: string) => string;
  /** Implemented operations; every other model operation answers NotImplemented. */
  handlers: Record<string, Handler>;
  /** Global services (IAM) record awsRegion us-east-1 whatever region the client signed for. */
  global?: boolean;
  /** Operations CloudTrail records as data events (eventCategory Data), not management events. */
  dataEvents?: ReadonlySet<string>;
  /**
   * Where AWS answers some model-constraint violations with its own error (code and message) rather than the generic
   * "1 validation error detected: ...": sees each validation error the codec raises, returns it or its replacement.
   */
  rewriteValidationError?: (operation: string, error: AwsError) => AwsError;
  /** Input members that name a resource, and the CloudTrail resource type they name (LookupEvents ResourceType/Name). */
  resourceMembers?: Readonly<Record<string, string>>;
  /**
   * The model a protocol's codec reads and writes with, where it is not the vendored model itself (SQS's Query
   * wire names, which botocore's JSON model of SQS no longer carries). Operations and shapes stay the vendored ones.
   */
  modelFor?: (protocol: ProtocolId) => ServiceModel;
  /**
   * Runs before decoding: may complete or refuse the request from what only the service knows (SQS Query requests
   * sent to a queue URL name the queue by the path). Throws an AwsError to refuse.
   */
  prepareRequest?: (wire: WireRequest, protocol: ProtocolId, endpoint: string) => WireRequest;
}
