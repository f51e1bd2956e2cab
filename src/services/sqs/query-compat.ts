/**
 * SQS on its two protocols. The codecs read and write with the vendored JSON model, adjusted in three ways:
 * - on both protocols, QueueAttributeName loses its enum: SQS checks attribute names itself and answers
 *   InvalidAttributeName "Unknown Attribute X." (recorded), and ReceiveMessage's deprecated AttributeNames carries
 *   message system attribute names (SenderId, ...) that the enum does not list;
 * - message bodies are sensitive, so the CloudTrail record of a call shows HIDDEN_DUE_TO_SECURITY_REASONS in their
 *   place, as CloudTrail's SQS data events do (SQS Developer Guide, "Logging ... using CloudTrail", SendMessage);
 * - on Query, the wire names of query-overlay.ts (`Attribute.N.Name`, `<Message>`, ...), result wrappers and namespace.
 * Query requests sent to a queue URL (`POST /<account>/<queue>`, as old clients do) name their queue by the path.
 */
import { awsError, type AwsError } from "../../errors/index.js";
import { loadModel, type ServiceModel } from "../../protocol/model.js";
import type { ProtocolId, WireRequest } from "../../protocol/types.js";
import { SQS_QUERY_NAMESPACE, SQS_QUERY_TRAITS } from "./query-overlay.js";

let jsonModel: ServiceModel | undefined;
let queryModel: ServiceModel | undefined;

/** Message bodies, which CloudTrail records as HIDDEN_DUE_TO_SECURITY_REASONS in SQS data events (SQS Developer Guide). */
const BODY_MEMBERS: [string, string][] = [
  ["SendMessageRequest", "MessageBody"],
  ["SendMessageBatchRequestEntry", "MessageBody"],
  ["Message", "Body"],
];

function adjustedModel(): ServiceModel {
  const m = structuredClone(loadModel("sqs"));
  delete m.shapes.QueueAttributeName!.enum;
  m.shapes.MessageBodyString = { type: "string", sensitive: true };
  for (const [shape, member] of BODY_MEMBERS) m.shapes[shape]!.members![member]!.shape = "MessageBodyString";
  return m;
}

/** The vendored model with the Query traits applied; throws if the overlay names a shape the model lacks. */
export function buildQueryModel(): ServiceModel {
  const m = adjustedModel();
  for (const [name, t] of Object.entries(SQS_QUERY_TRAITS)) {
    const shape = m.shapes[name];
    if (!shape) throw new Error(`sqs query overlay: the model has no shape ${name}`);
    if (t.locationName !== undefined) shape.locationName = t.locationName;
    if (t.flattened !== undefined) shape.flattened = t.flattened;
    if (t.member) Object.assign(shape.member!, t.member);
    if (t.key) Object.assign(shape.key!, t.key);
    if (t.value) Object.assign(shape.value!, t.value);
    for (const [member, traits] of Object.entries(t.members ?? {})) {
      const ref = shape.members?.[member];
      if (!ref) throw new Error(`sqs query overlay: ${name} has no member ${member}`);
      Object.assign(ref, traits);
    }
  }
  for (const [name, op] of Object.entries(m.operations)) {
    if (op.output) op.output.resultWrapper = `${name}Result`;
  }
  m.metadata.protocol = "query";
  m.metadata.protocols = ["query"];
  m.metadata.xmlNamespace = SQS_QUERY_NAMESPACE;
  return m;
}

export function sqsModelFor(protocol: ProtocolId): ServiceModel {
  if (protocol === "awsQuery") return (queryModel ??= buildQueryModel());
  return (jsonModel ??= adjustedModel());
}

/** A queue URL's path. */
const QUEUE_PATH = /^\/\d{12}\/[^/]+$/;
/** Actions that name no queue, refused on a queue URL (recorded: "The action ListQueues is not valid for this endpoint."). */
const NOT_ON_A_QUEUE = new Set(["CreateQueue", "ListQueues"]);

/** Query requests to a queue URL: the path names the queue unless the parameters do. */
export function prepareSqsRequest(wire: WireRequest, protocol: ProtocolId, endpoint: string): WireRequest {
  if (protocol !== "awsQuery" || !QUEUE_PATH.test(wire.path)) return wire;
  const params = new URLSearchParams(wire.query);
  const ct = wire.headers["content-type"];
  if (wire.body.length > 0 && (ct === undefined || ct.toLowerCase().startsWith("application/x-www-form-urlencoded"))) {
    for (const [k, v] of new URLSearchParams(wire.body.toString("utf8"))) params.set(k, v);
  }
  const action = params.get("Action");
  if (action && NOT_ON_A_QUEUE.has(action))
    throw awsError("InvalidAction", `The action ${action} is not valid for this endpoint.`);
  if (params.has("QueueUrl")) return wire;
  const query = new URLSearchParams(wire.query);
  let path = wire.path;
  try {
    path = decodeURI(path);
  } catch {
    // kept as sent
  }
  query.set("QueueUrl", endpoint + path);
  return { ...wire, query };
}

/** "Value null at 'x'", or "Value at 'x'" for a sensitive member (the message bodies). */
const NULL_MEMBER = /Value (?:null )?at '([^']+)' failed to satisfy constraint: Member must not be null/;
const INVALID_ACTION = /^The action (.*) is not valid for this web service\.$/;

const wireName = (path: string) =>
  path
    .split(".")
    .filter((p) => p !== "member")
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join(".");

/**
 * SQS answers a missing required parameter with MissingParameter "The request must contain the parameter X." (recorded
 * for MessageBody), and an unknown Query action with "... is not valid for this endpoint." (recorded).
 */
export function rewriteSqsValidationError(_operation: string, error: AwsError): AwsError {
  const missing = NULL_MEMBER.exec(error.message);
  if (missing) return awsError("MissingParameter", `The request must contain the parameter ${wireName(missing[1]!)}.`);
  const action = error.code === "InvalidAction" ? INVALID_ACTION.exec(error.message) : null;
  if (action) return awsError("InvalidAction", `The action ${action[1]} is not valid for this endpoint.`);
  return error;
}
