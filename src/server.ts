/** createServer(options): storage, clock, scheduler, audit recorder and the HTTP gateway on one port. Tests start it in-process on port 0. */
import http from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { pino, type Logger } from "pino";
import { DEFAULTS, type VigilConfig } from "./config.js";
import { createAdmin } from "./admin/admin.js";
import { AuditRecorder } from "./audit/recorder.js";
import { DeliveryEngine } from "./delivery/engine.js";
import { createHttpClient } from "./delivery/http.js";
import { HTTP_KIND, httpSender } from "./delivery/targets/http.js";
import { createGateway, type GatewayDeps } from "./gateway/gateway.js";
import { ManualClock, SystemClock, type Clock } from "./runtime/clock.js";
import { Scheduler } from "./runtime/scheduler.js";
import { startServices } from "./services/runtimes.js";
import { openStores } from "./storage/index.js";
import type { Stores } from "./storage/types.js";

const HISTORY_MS = 90 * 24 * 3600 * 1000;

export interface ServerOptions extends Partial<VigilConfig> {
  logger?: Logger;
  handlerOverrides?: GatewayDeps["handlerOverrides"];
  /** PostgreSQL schema (tests isolate runs in their own schema). */
  schema?: string;
}

export interface VigilServer {
  url: string;
  port: number;
  config: VigilConfig;
  clock: Clock;
  scheduler: Scheduler;
  stores: Stores;
  recorder: AuditRecorder;
  /** The delivery engine (outbox, retries, dead letters); services register their senders on it. */
  delivery: DeliveryEngine;
  /** Manual clock only: advances time, running every job that falls due. */
  advance(seconds: number): Promise<void>;
  close(): Promise<void>;
}

export const VERSION: string = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const p of [path.join(here, "..", "package.json"), path.join(here, "..", "..", "package.json")]) {
    try {
      return (JSON.parse(readFileSync(p, "utf8")) as { version: string }).version;
    } catch {
      // try the next layout (src/ under tsx, dist/ when built)
    }
  }
  return "0.0.0";
})();

function parseStart(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  if (!Number.isFinite(n)) throw new Error(`clock start must be ISO-8601 or epoch milliseconds, got ${s}`);
  return n;
}

export async function createServer(options: ServerOptions = {}): Promise<VigilServer> {
  const { logger, handlerOverrides, schema, ...rest } = options;
  const config: VigilConfig = { ...DEFAULTS, ...rest };
  const log = logger ?? pino({ level: config.logLevel });
  const clock: Clock = config.clock === "manual" ? new ManualClock(parseStart(config.clockStart)) : new SystemClock();
  const stores = await openStores({
    dataDir: config.dataDir,
    ephemeral: config.ephemeral,
    databaseUrl: config.databaseUrl,
    schema,
    log: (msg) => log.info(msg),
  });
  const scheduler = new Scheduler(clock, (job, err) => log.error({ err, job }, "scheduled job failed"));
  const recorder = new AuditRecorder(stores.audit);
  scheduler.register({
    name: "cloudtrail-event-history-retention",
    intervalMs: 3600 * 1000,
    run: async (now) => void (await stores.audit.deleteBefore(now - HISTORY_MS)),
  });
  scheduler.register({
    name: "logs-retention",
    intervalMs: 3600 * 1000,
    run: async (now) => void (await stores.logEvents.expire(now)),
  });

  // Dev mode: deliveries may reach endpoints on this machine (tests and local development point targets at them).
  const outbound = createHttpClient({ allow: ["loopback"] });
  const delivery = new DeliveryEngine({ store: stores.delivery, clock, log, http: outbound });
  delivery.registerSender(HTTP_KIND, httpSender(outbound));
  delivery.schedule(scheduler);

  const runtimes = startServices({ config, stores, clock, scheduler, log, delivery, recorder });

  const gateway = createGateway({ config, clock, stores, recorder, log, handlerOverrides });
  const admin = createAdmin({ config, clock, scheduler, stores, version: VERSION, quiesce: () => recorder.drain() });

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = req.url ?? "/";
    const p = url.startsWith("/_vigil/") ? url.split("?")[0]! : undefined;
    const work = p ? admin(req, res, p) : gateway(req, res);
    work.catch((err: unknown) => {
      log.error({ err }, "request failed");
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
  const server = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 300_000 }, onRequest);
  // Expect: 100-continue is answered by the gateway once it knows the body fits its cap.
  server.on("checkContinue", onRequest);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  scheduler.start();

  let closed: Promise<void> | undefined;
  return {
    url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`,
    port,
    config: { ...config, port },
    clock,
    scheduler,
    stores,
    recorder,
    delivery,
    advance: (seconds) => scheduler.advance(Math.round(seconds * 1000)),
    close: () =>
      (closed ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          // Long polls (and other waits) end now rather than hold the close for up to 20 seconds.
          for (const rt of runtimes) void rt.close?.();
        });
        await delivery.stop();
        await scheduler.stop();
        await recorder.drain();
        await stores.close();
      })()),
  };
}
