/**
 * The one outbound HTTP client: every request to a URL a user supplied (SNS HTTP/S subscriptions, EventBridge API
 * destinations, webhooks of any kind) goes through it, so this is where server-side request forgery is stopped.
 * - only http: and https: URLs;
 * - the host is resolved once and the request connects to the address that was checked (no second lookup a
 *   rebinding DNS server could answer differently); a name with any refused address is refused;
 * - loopback, private, link-local and metadata addresses are refused unless allowed (dev mode allows loopback);
 *   unspecified (0.0.0.0, ::) and reserved ranges always are (classes in address.ts);
 * - a connect timeout (TCP, and TLS for https), a total timeout (DNS to last body byte), a cap on the response body;
 * - redirects are not followed by default; with maxRedirects each hop is checked like the first.
 */
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { classifyAddress, type AddressClass } from "./address.js";

export type AllowedClass = Exclude<AddressClass, "public" | "unspecified" | "reserved">;

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface HttpClientOptions {
  /** Address classes allowed besides public ones. Default none; Vigil in dev mode allows ["loopback"]. */
  allow?: readonly AllowedClass[];
  /** TCP connect, and the TLS handshake for https. Default 5 s. */
  connectTimeoutMs?: number;
  /** The whole exchange, DNS to the last byte of the body, across redirects. Default 15 s. */
  timeoutMs?: number;
  /** Default 1 MiB. */
  maxResponseBytes?: number;
  /** Default 0: a 3xx is returned as it is. */
  maxRedirects?: number;
  /** DNS resolution; default dns.lookup (the system resolver, /etc/hosts included) with every address. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** Extra CA certificates for https (tests). */
  ca?: string | Buffer;
  userAgent?: string;
}

export interface OutboundRequest {
  url: string;
  /** Default POST with a body, GET without. */
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Aborts the exchange (the engine's shutdown, a sender's own deadline). */
  signal?: AbortSignal;
}

export interface OutboundResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered (differs from the request's after redirects). */
  url: string;
  redirects: number;
}

export type OutboundErrorCode =
  | "InvalidUrl"
  | "AddressNotAllowed"
  | "DnsFailure"
  | "ConnectTimeout"
  | "Timeout"
  | "ConnectionFailure"
  | "TlsFailure"
  | "ResponseTooLarge"
  | "TooManyRedirects"
  | "Aborted";

/** Worth retrying: the same request may succeed later. A refused address or a bad URL will not. */
const RETRYABLE: ReadonlySet<OutboundErrorCode> = new Set([
  "DnsFailure",
  "ConnectTimeout",
  "Timeout",
  "ConnectionFailure",
  "TlsFailure",
  "Aborted",
]);

export class OutboundError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code: OutboundErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "OutboundError";
    this.retryable = RETRYABLE.has(code);
  }
}

export interface HttpClient {
  readonly options: Readonly<Required<Omit<HttpClientOptions, "resolve" | "ca" | "userAgent">>>;
  request(req: OutboundRequest): Promise<OutboundResponse>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const settings = {
    allow: [...(options.allow ?? [])],
    connectTimeoutMs: options.connectTimeoutMs ?? 5000,
    timeoutMs: options.timeoutMs ?? 15_000,
    maxResponseBytes: options.maxResponseBytes ?? 1024 * 1024,
    maxRedirects: options.maxRedirects ?? 0,
  };
  const resolve = options.resolve ?? systemResolve;
  const allowed = new Set<AddressClass>(["public", ...settings.allow]);

  /** The address to connect to: the host's, each of its addresses checked. */
  async function admit(url: URL, deadline: number, signal?: AbortSignal): Promise<ResolvedAddress> {
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    const literal = isIP(host);
    let addresses: ResolvedAddress[];
    if (literal) addresses = [{ address: host, family: literal as 4 | 6 }];
    else {
      try {
        addresses = await withDeadline(resolve(host), deadline, signal);
      } catch (e) {
        if (e instanceof OutboundError) throw e;
        throw new OutboundError("DnsFailure", `cannot resolve ${host}: ${(e as Error).message}`);
      }
      if (addresses.length === 0) throw new OutboundError("DnsFailure", `${host} has no address`);
    }
    for (const a of addresses) {
      const cls = classifyAddress(a.address);
      if (!allowed.has(cls)) {
        const what = literal ? a.address : `${host} (${a.address})`;
        throw new OutboundError("AddressNotAllowed", `${what} is a ${cls} address, which deliveries may not reach`);
      }
    }
    return addresses[0]!;
  }

  return {
    options: settings,
    async request(req) {
      const deadline = Date.now() + settings.timeoutMs;
      let url = parseUrl(req.url);
      let method = (req.method ?? (req.body === undefined ? "GET" : "POST")).toUpperCase();
      let body = req.body;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
      if (options.userAgent && !headers["user-agent"]) headers["user-agent"] = options.userAgent;
      for (let hop = 0; ; hop++) {
        const address = await admit(url, deadline, req.signal);
        const res = await exchange(url, address, method, withAuth(headers, url), body, deadline, req.signal);
        const location = res.headers.location;
        if (!REDIRECTS.has(res.status) || !location || settings.maxRedirects === 0)
          return { ...res, url: url.href, redirects: hop };
        if (hop >= settings.maxRedirects)
          throw new OutboundError("TooManyRedirects", `more than ${settings.maxRedirects} redirects`);
        const next = parseUrl(location, url);
        // As browsers do: 303 always, and 301/302 after a POST, continue with a GET without the body.
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
          method = "GET";
          body = undefined;
          delete headers["content-type"];
          delete headers["content-length"];
        }
        if (next.origin !== url.origin) delete headers.authorization;
        url = next;
      }
    },
  };

  function exchange(
    url: URL,
    address: ResolvedAddress,
    method: string,
    headers: Record<string, string>,
    body: string | Buffer | undefined,
    deadline: number,
    signal?: AbortSignal,
  ): Promise<Omit<OutboundResponse, "url" | "redirects">> {
    return new Promise((resolvePromise, reject) => {
      const secure = url.protocol === "https:";
      const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
      const timers: NodeJS.Timeout[] = [];
      let settled = false;
      const onAbort = () => fail(new OutboundError("Aborted", "the request was aborted"));
      const cleanup = () => {
        settled = true;
        timers.forEach(clearTimeout);
        signal?.removeEventListener("abort", onAbort);
      };
      const fail = (e: OutboundError) => {
        if (settled) return;
        cleanup();
        request.destroy();
        reject(e);
      };
      const request = (secure ? https : http).request({
        // The checked address, never the name: nothing is resolved again after admit().
        host: address.address,
        family: address.family,
        port: url.port ? Number(url.port) : secure ? 443 : 80,
        method,
        path: url.pathname + url.search,
        headers: { ...headers, host: url.host },
        agent: false,
        // TLS: SNI and the certificate check are for the name the user gave (SNI never carries an IP literal).
        ...(secure ? { servername: isIP(host) ? "" : host, ...(options.ca ? { ca: options.ca } : {}) } : {}),
      });
      timers.push(
        setTimeout(
          () => fail(new OutboundError("Timeout", `no complete answer within ${settings.timeoutMs} ms`)),
          Math.max(0, deadline - Date.now()),
        ),
      );
      request.on("socket", (socket) => {
        const t = setTimeout(
          () => fail(new OutboundError("ConnectTimeout", `no connection within ${settings.connectTimeoutMs} ms`)),
          settings.connectTimeoutMs,
        );
        timers.push(t);
        socket.once(secure ? "secureConnect" : "connect", () => clearTimeout(t));
      });
      request.on("error", (e) => fail(toOutboundError(e)));
      request.on("response", (res) => {
        const declared = Number(res.headers["content-length"]);
        const tooLarge = () =>
          new OutboundError("ResponseTooLarge", `the response body exceeds ${settings.maxResponseBytes} bytes`);
        if (declared > settings.maxResponseBytes) return fail(tooLarge());
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > settings.maxResponseBytes) fail(tooLarge());
          else chunks.push(chunk);
        });
        res.on("end", () => {
          if (settled) return;
          cleanup();
          resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on("error", (e) => fail(toOutboundError(e)));
        res.on("close", () => {
          if (!res.complete) fail(new OutboundError("ConnectionFailure", "the connection closed mid-response"));
        });
      });
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      request.end(body);
    });
  }
}

function parseUrl(s: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(s, base);
  } catch {
    throw new OutboundError("InvalidUrl", `not a URL: ${s}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new OutboundError("InvalidUrl", `only http and https URLs are allowed, not ${url.protocol}`);
  if (!url.hostname) throw new OutboundError("InvalidUrl", `no host in ${s}`);
  return url;
}

/** user:password in the URL becomes Basic authentication (SNS HTTP/S endpoints support it this way). */
function withAuth(headers: Record<string, string>, url: URL): Record<string, string> {
  if (!url.username || headers.authorization) return headers;
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return { ...headers, authorization: `Basic ${Buffer.from(credentials).toString("base64")}` };
}

function systemResolve(hostname: string): Promise<ResolvedAddress[]> {
  return dns.promises
    .lookup(hostname, { all: true, verbatim: true })
    .then((list) => list.map((a) => ({ address: a.address, family: a.family as 4 | 6 })));
}

function withDeadline<T>(p: Promise<T>, deadline: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new OutboundError("Timeout", "name resolution did not finish in time")),
      Math.max(0, deadline - Date.now()),
    );
    const onAbort = () => reject(new OutboundError("Aborted", "the request was aborted"));
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    });
  });
}

function toOutboundError(e: unknown): OutboundError {
  if (e instanceof OutboundError) return e;
  const err = e as NodeJS.ErrnoException;
  const code = String(err.code ?? "");
  if (
    /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/.test(code) ||
    /SSL|TLS/.test(err.message)
  )
    return new OutboundError("TlsFailure", `TLS failed: ${err.message}`);
  return new OutboundError("ConnectionFailure", `${code ? code + ": " : ""}${err.message}`);
}
