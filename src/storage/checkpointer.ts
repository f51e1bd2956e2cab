/**
 * WAL checkpoints on a second thread. Left to itself, SQLite checkpoints inside the commit that crosses the WAL
 * threshold, so the writing thread (the event loop) pays for copying the WAL into the database file and its fsync:
 * over half the cost of a large write such as a 200 KB log chunk. Here the main connection only appends to the WAL,
 * and a worker with its own connection runs PASSIVE checkpoints, which never block readers or the writer.
 * The main connection keeps a high automatic threshold as a safety net should the worker stop.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.lib);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 5000");
const run = () => { try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {} };
const timer = setInterval(run, workerData.intervalMs);
parentPort.on("message", (m) => {
  if (m !== "stop") return;
  clearInterval(timer);
  run();
  db.close();
  parentPort.postMessage("stopped");
});
`;

/** Pages in the WAL before the main connection checkpoints by itself (only when the worker falls behind). */
export const SAFETY_CHECKPOINT_PAGES = 50_000;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, intervalMs = 200): Checkpointer {
  const lib = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER, { eval: true, workerData: { file, lib, intervalMs } });
  worker.unref();
  let stopped: Promise<void> | undefined;
  return {
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        const done = () => resolve();
        worker.once("message", () => void worker.terminate().then(done, done));
        worker.once("error", done);
        worker.once("exit", done);
        worker.postMessage("stop");
      })),
  };
}
