/** Runs `vigil serve` as a child process (for kill -9 tests and benchmarks). */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface VigilProcess {
  child: ChildProcess;
  url: string;
}

/** Starts Vigil from source with the given flags (port 0 unless given) and resolves once it listens. */
export function spawnVigil(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<VigilProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "src", "main.ts"), "serve", "--port", "0", ...args],
    {
      cwd: root,
      env,
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  return new Promise((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`vigil did not start: ${err}`)), 30_000);
    child.stderr!.on("data", (c: Buffer) => {
      err += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`vigil exited with ${code}: ${err}`));
    });
  });
}

/**
 * Runs `workers` concurrent write loops against a server for `ms`, then kills it with SIGKILL in the middle of
 * writing. `write` returns what identifies an acknowledged write (undefined when the server refused it); a write
 * that throws ends its loop, since the server is gone. Resolves with every acknowledged write's identity.
 */
export async function writeUntilKilled<T>(
  server: VigilProcess,
  workers: number,
  write: (worker: number, i: number) => Promise<T | undefined>,
  ms = 1500,
): Promise<T[]> {
  const acknowledged: T[] = [];
  let stop = false;
  const loop = async (w: number) => {
    for (let i = 0; !stop; i++) {
      let id: T | undefined;
      try {
        id = await write(w, i);
      } catch {
        return;
      }
      if (id !== undefined) acknowledged.push(id);
    }
  };
  const running = Array.from({ length: workers }, (_, w) => loop(w));
  await new Promise((r) => setTimeout(r, ms));
  server.child.kill("SIGKILL");
  stop = true;
  await Promise.all(running);
  return acknowledged;
}
