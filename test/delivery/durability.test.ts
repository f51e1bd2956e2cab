/**
 * Nothing acknowledged is lost: deliveries committed by a node that is killed with SIGKILL while some are in flight
 * (their requests hanging at the endpoint) all arrive once another node starts on the same storage, the in-flight
 * ones again after their lease (at least once). The nodes are child processes (fixtures/outbox-node.ts); the
 * endpoint is a local server on 127.0.0.1.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import http from "node:http";
import type net from "node:net";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { BACKENDS } from "../storage/backends.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, "..", "..");
const node = (args: string[]): ChildProcess =>
  spawn(process.execPath, ["--import", "tsx", path.join(here, "fixtures", "outbox-node.ts"), ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });

const TOTAL = 100;
const ANSWERED = 30;
const CONCURRENCY = 8;

for (const backend of BACKENDS.filter((b) => b.persistent)) {
  test(`kill -9 with deliveries in flight loses none that were acknowledged (${backend.name})`, async () => {
    const location = backend.create();
    const changed = new EventEmitter();
    const until = (ready: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => ready() && (changed.off("change", check), resolve());
        changed.on("change", check);
        check();
      });

    const received = new Map<number, number>();
    const hanging: http.ServerResponse[] = [];
    let answered = 0;
    let hang = true;
    const sink = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const { n } = JSON.parse(Buffer.concat(chunks).toString()) as { n: number };
        received.set(n, (received.get(n) ?? 0) + 1);
        if (hang && answered >= ANSWERED) hanging.push(res);
        else {
          answered++;
          res.end();
        }
        changed.emit("change");
      });
    });
    await new Promise<void>((r) => sink.listen(0, "127.0.0.1", r));
    const sinkUrl = `http://127.0.0.1:${(sink.address() as net.AddressInfo).port}/`;
    const options = JSON.stringify(location.options);

    try {
      const acknowledged = new Set<number>();
      let stderr = "";
      const first = node(["enqueue", options, sinkUrl, String(TOTAL)]);
      first.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
      first.stdout!.setEncoding("utf8").on("data", (text: string) => {
        for (const m of text.matchAll(/^enqueued ([\d,]+)$/gm))
          for (const n of m[1]!.split(",")) acknowledged.add(Number(n));
        changed.emit("change");
      });
      const exited = new Promise<void>((resolve) => first.once("exit", () => resolve()));
      first.once("exit", () => changed.emit("change"));
      // Every delivery acknowledged, ANSWERED delivered, and the node's every slot stuck on a hanging request.
      await until(() => (acknowledged.size === TOTAL && hanging.length === CONCURRENCY) || first.exitCode !== null);
      assert.equal(first.exitCode, null, `the first node exited early: ${stderr}`);
      first.kill("SIGKILL");
      await exited;

      // The killed node's requests die with it.
      for (const res of hanging) res.destroy();
      hang = false;

      const second = node(["drain", options]);
      let out = "";
      let err2 = "";
      second.stdout!.on("data", (c: Buffer) => (out += c.toString()));
      second.stderr!.on("data", (c: Buffer) => (err2 += c.toString()));
      const code = await new Promise<number | null>((resolve) => second.once("exit", resolve));
      assert.equal(code, 0, err2);
      assert.equal(out.trim(), "pending 0");

      const missing = [...acknowledged].filter((n) => !received.has(n));
      assert.deepEqual(missing, [], `${missing.length} acknowledged deliveries never arrived`);
      // The ones in flight at the kill arrived twice: once hanging, once after the restart.
      const twice = [...received.entries()].filter(([, c]) => c >= 2).length;
      assert.ok(twice >= CONCURRENCY, `only ${twice} deliveries arrived again`);
    } finally {
      sink.closeAllConnections();
      await new Promise((r) => sink.close(r));
      await location.cleanup();
    }
  });
}
