/**
 * The plain HTTP target: POSTs the payload to a URL through the guarded client. The base that SNS HTTP/S subscriptions
 * and EventBridge API destinations build on (each adds its own headers and body), and the target the engine's tests
 * and the server's "http" kind use. Error codes follow EventBridge's dead-letter ERROR_CODE values where one fits.
 */
import { OutboundError, type HttpClient, type OutboundResponse } from "../http.js";
import { delivered, permanent, retryable, type Outcome, type Sender } from "../engine.js";

export interface HttpTarget {
  url: string;
  /** Default POST. */
  method?: string;
  headers?: Record<string, string>;
}

export const HTTP_KIND = "http";

export function httpSender(client: HttpClient): Sender<HttpTarget> {
  return async (delivery, signal) => {
    try {
      const res = await client.request({
        url: delivery.target.url,
        method: delivery.target.method ?? "POST",
        headers: delivery.target.headers,
        body: delivery.payload,
        signal,
      });
      return responseOutcome(res);
    } catch (err) {
      return errorOutcome(err);
    }
  };
}

/** 2xx delivered; 429 and 5xx worth retrying; anything else (3xx not followed, 4xx) will not improve. */
export function responseOutcome(res: Pick<OutboundResponse, "status">): Outcome {
  const s = res.status;
  if (s >= 200 && s < 300) return delivered;
  if (s === 429) return retryable("THROTTLING", "the endpoint answered 429 Too Many Requests");
  if (s >= 500) return retryable("HTTP_SERVER_ERROR", `the endpoint answered ${s}`);
  return permanent("HTTP_CLIENT_ERROR", `the endpoint answered ${s}`);
}

export function errorOutcome(err: unknown): Outcome {
  if (!(err instanceof OutboundError)) return retryable("UNKNOWN", err instanceof Error ? err.message : String(err));
  const code =
    err.code === "Timeout" || err.code === "ConnectTimeout"
      ? "TIMEOUT"
      : err.code === "AddressNotAllowed"
        ? "NO_PERMISSIONS"
        : err.code === "ConnectionFailure" || err.code === "DnsFailure" || err.code === "TlsFailure"
          ? "CONNECTION_FAILURE"
          : err.code === "InvalidUrl"
            ? "INVALID_URL"
            : err.code.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
  return err.retryable ? retryable(code, err.message) : permanent(code, err.message);
}
