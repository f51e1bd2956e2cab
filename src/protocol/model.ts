/** Botocore service models: the types of their JSON and a cached loader for the vendored copies in models/. */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

export type ShapeType =
  | "structure"
  | "list"
  | "map"
  | "string"
  | "integer"
  | "long"
  | "float"
  | "double"
  | "boolean"
  | "timestamp"
  | "blob"
  | "bigdecimal"
  | "biginteger";

export interface MemberRef {
  shape: string;
  location?: "header" | "headers" | "querystring" | "uri" | "statusCode";
  locationName?: string;
  queryName?: string;
  xmlNamespace?: { uri: string; prefix?: string };
  xmlAttribute?: boolean;
  flattened?: boolean;
  timestampFormat?: "iso8601" | "rfc822" | "unixTimestamp";
  jsonvalue?: boolean;
  idempotencyToken?: boolean;
  streaming?: boolean;
  hostLabel?: boolean;
  eventpayload?: boolean;
  deprecated?: boolean;
  documentation?: string;
}

export interface Shape {
  type: ShapeType;
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  sensitive?: boolean;
  flattened?: boolean;
  locationName?: string;
  payload?: string;
  exception?: boolean;
  fault?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  timestampFormat?: "iso8601" | "rfc822" | "unixTimestamp";
  streaming?: boolean;
  union?: boolean;
  eventstream?: boolean;
  event?: boolean;
  document?: boolean;
  xmlNamespace?: { uri: string; prefix?: string };
  documentation?: string;
}

export interface OperationModel {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: MemberRef;
  output?: MemberRef & { resultWrapper?: string };
  errors?: MemberRef[];
  documentation?: string;
  deprecated?: boolean;
  httpChecksum?: unknown;
}

export interface ServiceMetadata {
  apiVersion: string;
  endpointPrefix: string;
  protocol: string;
  protocols?: string[];
  jsonVersion?: string;
  targetPrefix?: string;
  serviceId: string;
  serviceFullName?: string;
  signingName?: string;
  xmlNamespace?: string;
  awsQueryCompatible?: Record<string, never>;
  globalEndpoint?: string;
}

export interface ServiceModel {
  metadata: ServiceMetadata;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

/** models/ at the project root: two levels above src/protocol/, one above the bundled dist/main.js. */
const modelsDir = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(dir, "models");
    if (existsSync(path.join(candidate, "SOURCES.md"))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error("cannot find the vendored models/ directory");
})();
const cache = new Map<string, ServiceModel>();

/** Loads models/<name>.json once per process. */
export function loadModel(name: string): ServiceModel {
  let model = cache.get(name);
  if (!model) {
    model = JSON.parse(readFileSync(path.join(modelsDir, `${name}.json`), "utf8")) as ServiceModel;
    cache.set(name, model);
  }
  return model;
}

/** Resolves a shape by name; a missing shape is a broken model, never user error. */
export function shapeOf(model: ServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`model ${model.metadata.serviceId} has no shape ${name}`);
  return shape;
}
