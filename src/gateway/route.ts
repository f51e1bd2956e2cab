/**
 * Finds the service and protocol of a request from what arrives before the body: the X-Amz-Target header (JSON),
 * the smithy-protocol header or /service/<S>/operation/<O> path (RPC v2 CBOR), a form body or Action= parameter
 * (Query), and otherwise S3 (REST-XML). The SigV4 credential scope decides between services that share a protocol.
 */
import type { ProtocolId } from "../protocol/types.js";
import {
  byApiVersion,
  byCborServiceName,
  byName,
  bySigningName,
  byTargetPrefix,
  SERVICES,
} from "../services/registry.js";
import type { ServiceDef } from "../services/types.js";

export interface Route {
  protocol: ProtocolId;
  /** Unset for Query requests until the body's Version parameter is read. */
  def?: ServiceDef;
}

const CBOR_PATH = /\/service\/([^/]+)\/operation\/[^/]+$/;
/** An SQS queue URL's path, `/<account>/<queue>`: old clients send Query requests there, often unsigned and without Version. */
const QUEUE_PATH = /^\/\d{12}\/[^/]+$/;

const jsonProtocol = (def: ServiceDef): ProtocolId =>
  def.protocols.find((p) => p === "awsJson1_0" || p === "awsJson1_1") ?? "awsJson1_1";

export function route(
  method: string,
  path: string,
  query: URLSearchParams,
  headers: Record<string, string | string[] | undefined>,
  signingName: string | undefined,
): Route {
  const signed = signingName ? bySigningName.get(signingName) : undefined;
  if (signingName === "s3") return { protocol: "restXml", def: signed };

  const target = headers["x-amz-target"];
  if (typeof target === "string") {
    const dot = target.lastIndexOf(".");
    const def = (dot > 0 ? byTargetPrefix.get(target.slice(0, dot)) : undefined) ?? signed;
    if (def) return { protocol: jsonProtocol(def), def };
    // An unknown target answers UnknownOperationException in JSON; the content type tells which JSON version.
    const ct = String(headers["content-type"] ?? "");
    return { protocol: ct.includes("1.0") ? "awsJson1_0" : "awsJson1_1", def: SERVICES[0] };
  }

  const cbor = CBOR_PATH.exec(path);
  if (headers["smithy-protocol"] === "rpc-v2-cbor" || (cbor && method === "POST")) {
    const def = (cbor ? byCborServiceName.get(decodeURIComponent(cbor[1]!)) : undefined) ?? signed;
    return {
      protocol: "rpcv2Cbor",
      def: def?.protocols.includes("rpcv2Cbor") ? def : byCborServiceName.values().next().value,
    };
  }

  const ct = String(headers["content-type"] ?? "");
  if ((method === "POST" && ct.startsWith("application/x-www-form-urlencoded")) || query.has("Action")) {
    const version = query.get("Version");
    const def =
      (signed?.protocols.includes("awsQuery") ? signed : undefined) ??
      (version ? byApiVersion.get(version) : undefined) ??
      byName.get(UNVERSIONED_ACTIONS[query.get("Action") ?? ""] ?? "") ??
      (QUEUE_PATH.test(path) ? byName.get("sqs") : undefined);
    return { protocol: "awsQuery", def };
  }

  return { protocol: "restXml", def: bySigningName.get("s3") };
}

/**
 * Query actions that arrive unsigned and without Version, and belong to one service: SNS's SubscribeURL and
 * UnsubscribeURL (`/?Action=ConfirmSubscription&TopicArn=...&Token=...`), which recipients fetch as they are.
 */
const UNVERSIONED_ACTIONS: Record<string, string> = { ConfirmSubscription: "sns", Unsubscribe: "sns" };

/** For unsigned Query requests: the service named by the form's Version parameter. */
export function queryServiceByVersion(body: Buffer): ServiceDef | undefined {
  const version = new URLSearchParams(body.toString("latin1")).get("Version");
  return version ? byApiVersion.get(version) : undefined;
}
