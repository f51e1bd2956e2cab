/**
 * /_vigil/ admin endpoints: health, reset, clock. Loopback callers only, unless an admin token is configured, which
 * then admits any caller presenting `Authorization: Bearer <token>`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { timingSafeEqual } from "node:crypto";
import type { VigilConfig } from "../config.js";
import type { Clock } from "../runtime/clock.js";
import type { Scheduler } from "../runtime/scheduler.js";
import { SERVICES } from "../services/registry.js";
import type { Stores } from "../storage/types.js";
import { readBody } from "../gateway/body.js";
import { snsCertificateResponse } from "../services/sns/cert-route.js";

export interface AdminDeps {
  config: VigilConfig;
  clock: Clock;
  scheduler: Scheduler;
  stores: Stores;
  version: string;
  /** Waits for in-flight audit writes, so a reset leaves nothing behind. */
  quiesce: () => Promise<void>;
}

const isLoopback = (addr: string | undefined) =>
  !!addr && (addr === "::1" || addr.startsWith("127.") || addr.startsWith("::ffff:127."));

function json(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? "");
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Loopback callers always; others only with the configured token. */
export function adminAllowed(
  remoteAddress: string | undefined,
  authorization: string | undefined,
  token?: string,
): boolean {
  return isLoopback(remoteAddress) || (!!token && tokenMatches(authorization, token));
}

export function createAdmin(deps: AdminDeps) {
  const { config, clock, scheduler, stores } = deps;
  const clockState = () => ({
    mode: clock.manual ? "manual" : "system",
    now: clock.now(),
    iso: new Date(clock.now()).toISOString(),
  });

  return async function admin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    // SNS's SigningCertURL: public, as receivers verifying signatures fetch it without credentials.
    if (snsCertificateResponse(stores, req, res, path)) return;
    if (!adminAllowed(req.socket.remoteAddress, req.headers.authorization, config.adminToken))
      return json(res, 403, { error: "admin endpoints are loopback-only unless an admin token is configured" });
    const method = req.method ?? "GET";
    let body: Buffer;
    try {
      body = await readBody(req, 64 * 1024);
    } catch {
      return json(res, 413, { error: "admin request body over 64 KiB" });
    }

    if (path === "/_vigil/health" && method === "GET") {
      let ready = true;
      let detail: string | undefined;
      try {
        await stores.ping();
      } catch (err) {
        ready = false;
        detail = (err as Error).message;
      }
      return json(res, ready ? 200 : 503, {
        status: ready ? "ok" : "unavailable",
        version: deps.version,
        storage: { dialect: stores.dialect, ready, ...(detail ? { error: detail } : {}) },
        services: SERVICES.map((s) => ({ name: s.name, operations: Object.keys(s.handlers).length })),
        clock: clockState(),
      });
    }
    if (path === "/_vigil/reset" && method === "POST") {
      await deps.quiesce();
      await stores.reset();
      return json(res, 200, { reset: true });
    }
    if (path === "/_vigil/clock" && method === "GET") return json(res, 200, clockState());
    if (path === "/_vigil/clock" && method === "POST") {
      if (!clock.manual) return json(res, 400, { error: "the clock is not manual; start Vigil with --clock manual" });
      let parsed: { advanceSeconds?: unknown };
      try {
        parsed = JSON.parse(body.toString("utf8") || "{}");
      } catch {
        return json(res, 400, { error: 'body must be JSON like {"advanceSeconds": 60}' });
      }
      const s = parsed.advanceSeconds;
      if (typeof s !== "number" || !Number.isFinite(s) || s < 0) {
        return json(res, 400, { error: "advanceSeconds must be a non-negative number" });
      }
      await scheduler.advance(Math.round(s * 1000));
      return json(res, 200, clockState());
    }
    return json(res, 404, { error: `no admin endpoint ${method} ${path}` });
  };
}
