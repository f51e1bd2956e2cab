/**
 * The load generator: N concurrent closed-loop clients sharing an undici Pool of N keep-alive connections. Each client
 * sends its next request when the previous response has been read to the end, so the offered load adapts to the
 * server, and every server gets the same generator, the same requests and the same concurrency.
 *
 * Why undici: the generator runs on the same two cores as the server, so its cost per request matters. Against a
 * trivial node:http server on this machine, undici sent 18,500 requests/s using half a core, node:http's client
 * 9,000 using a whole one. And why not autocannon (which is cheaper still): it writes the next request onto a
 * connection the server has just closed, which moto's development server does after every response
 * (`Connection: close`); those requests hang until autocannon's 10 s timeout, and moto measured 8 requests/s instead
 * of ~200. undici honours `Connection: close` and reconnects, and reuses the connection otherwise, as SDKs do.
 *
 * Every loop is bounded: by the deadline, by the abort signal, and each request by its own timeouts.
 */
import http from "node:http";
import net from "node:net";
import { performance } from "node:perf_hooks";
import { Pool } from "undici";
import type { HttpRequestSpec } from "./aws.js";

export interface Target {
  host: string;
  port: number;
}

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it; the server binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request on a connection of its own (no agent, no keep-alive): what the cold-start probe uses. */
export function oneShot(target: Target, spec: HttpRequestSpec, timeoutMs = 5000, agent?: http.Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.host,
        port: target.port,
        method: spec.method,
        path: spec.path,
        headers: { ...spec.headers, "content-length": String(spec.body.length) },
        agent: agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(spec.body);
  });
}

export interface LoadOptions {
  target: Target;
  connections: number;
  durationMs: number;
  /** The request each client sends next; called once per request (a static spec can be returned every time). */
  next: (client: number, seq: number) => HttpRequestSpec;
  /** Per request; a request still unanswered then counts as a timeout and its connection is dropped. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface LoadResult {
  /** The measured window in seconds (deadline - start, or shorter when aborted). */
  seconds: number;
  /** Responses with a 2xx status that completed inside the window. */
  ok: number;
  /** Latencies of those responses, in milliseconds. */
  latenciesMs: Float64Array;
  /** Responses with another status, by status. */
  statuses: Record<number, number>;
  /** Connection errors and resets. */
  errors: number;
  timeouts: number;
  /** First few distinct error messages and non-2xx bodies, for diagnosing. */
  samples: string[];
  /** TCP connections the clients opened (1 per client when the server keeps connections alive). */
  connectionsOpened: number;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const pool = new Pool(`http://${o.target.host}:${o.target.port}`, {
    connections: o.connections,
    pipelining: 1,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connectTimeout: timeoutMs,
  });
  let connectionsOpened = 0;
  pool.on("connect", () => void connectionsOpened++);
  let latencies = new Float64Array(1 << 16);
  let ok = 0;
  let errors = 0;
  let timeouts = 0;
  const statuses: Record<number, number> = {};
  const samples = new Set<string>();
  const sample = (s: string) => void (samples.size < 5 && samples.add(s.slice(0, 300)));

  const start = performance.now();
  const deadline = start + o.durationMs;
  let end = deadline;
  const stopped = () => o.signal?.aborted === true || performance.now() >= deadline;

  const client = async (id: number) => {
    for (let seq = 0; !stopped(); seq++) {
      const spec = o.next(id, seq);
      const t0 = performance.now();
      try {
        const r = await pool.request({
          method: spec.method as "POST",
          path: spec.path,
          headers: spec.headers,
          body: spec.body,
        });
        const status = r.statusCode;
        const text = status >= 200 && status < 300 ? (await r.body.dump({ limit: 2 ** 30 }), "") : await r.body.text();
        const t1 = performance.now();
        if (t1 > deadline) break;
        if (status >= 200 && status < 300) {
          if (ok === latencies.length) {
            const grown = new Float64Array(latencies.length * 2);
            grown.set(latencies);
            latencies = grown;
          }
          latencies[ok++] = t1 - t0;
        } else {
          statuses[status] = (statuses[status] ?? 0) + 1;
          sample(`HTTP ${status}: ${text}`);
        }
      } catch (err) {
        const e = err as Error & { code?: string };
        if (
          e.code === "UND_ERR_HEADERS_TIMEOUT" ||
          e.code === "UND_ERR_BODY_TIMEOUT" ||
          e.code === "UND_ERR_CONNECT_TIMEOUT"
        )
          timeouts++;
        else errors++;
        sample(`${e.code ?? "error"}: ${e.message}`);
        // A refused or reset connection fails at once: pause so a dead server does not become a busy loop.
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  };

  const onAbort = () => (end = Math.min(end, performance.now()));
  o.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await Promise.all(Array.from({ length: o.connections }, (_, i) => client(i)));
  } finally {
    o.signal?.removeEventListener("abort", onAbort);
    await pool.destroy();
  }
  return {
    seconds: (Math.min(end, deadline) - start) / 1000,
    ok,
    latenciesMs: latencies.subarray(0, ok),
    statuses,
    errors,
    timeouts,
    samples: [...samples],
    connectionsOpened,
  };
}
