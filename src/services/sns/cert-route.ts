/** GET /_vigil/sns/SimpleNotificationService-<id>.pem: the signing certificate, for anyone (no admin check). */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Stores } from "../../storage/types.js";
import { CERT_PATH_PREFIX } from "./signing.js";
import { maybeSigner } from "./state.js";

/** Answers and returns true when `path` is the certificate's; false for every other path. */
export function snsCertificateResponse(
  stores: Stores,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): boolean {
  if (!path.startsWith(CERT_PATH_PREFIX)) return false;
  const signer = maybeSigner(stores);
  const method = req.method ?? "GET";
  if (!signer || path !== `${CERT_PATH_PREFIX}${signer.certId}.pem` || (method !== "GET" && method !== "HEAD")) {
    res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
    return true;
  }
  res.writeHead(200, {
    "content-type": "application/x-pem-file",
    "content-length": String(Buffer.byteLength(signer.certificatePem)),
  });
  res.end(method === "HEAD" ? undefined : signer.certificatePem);
  return true;
}
