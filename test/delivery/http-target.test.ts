/**
 * The "http" delivery kind as the server wires it (dev mode: loopback allowed), on the manual clock: a local endpoint
 * on 127.0.0.1 that fails, then answers; one that refuses for good; one on an address deliveries may not reach.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type net from "node:net";
import { after, before, test } from "node:test";
import type { DeadLetterEvent } from "../../src/delivery/engine.js";
import { eventBridgeRetryPolicy } from "../../src/delivery/retry.js";
import { HTTP_KIND } from "../../src/delivery/targets/http.js";
import { startVigil, unique, type Vigil } from "../helpers/vigil.js";

let vigil: Vigil;
let sink: http.Server;
let base: string;
const answers = new Map<string, number[]>();
const bodies = new Map<string, string[]>();
const dead: DeadLetterEvent[] = [];

before(async () => {
  vigil = await startVigil({ clock: "manual" });
  vigil.server.delivery.registerDeadLetterHandler("test.dlq", async (e) => void dead.push(e));
  sink = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const name = req.url!.slice(1);
      bodies.set(name, [...(bodies.get(name) ?? []), Buffer.concat(chunks).toString()]);
      const queue = answers.get(name) ?? [200];
      res.writeHead(queue.length > 1 ? queue.shift()! : queue[0]!).end();
    });
  });
  await new Promise<void>((r) => sink.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(sink.address() as net.AddressInfo).port}`;
});

after(async () => {
  await vigil.close();
  sink.closeAllConnections();
  await new Promise((r) => sink.close(r));
});

const enqueue = (url: string, payload: string, maximumRetryAttempts = 185) =>
  vigil.server.delivery.enqueue([
    {
      account: "000000000000",
      region: "us-east-1",
      kind: HTTP_KIND,
      target: { url, headers: { "content-type": "application/json" } },
      payload,
      policy: eventBridgeRetryPolicy({ MaximumRetryAttempts: maximumRetryAttempts }),
      deadLetter: { kind: "test.dlq", target: { arn: "arn:aws:sqs:us-east-1:000000000000:dlq" } },
    },
  ]);

test("a 503 is retried and the payload arrives once the endpoint recovers", async () => {
  const name = unique("recovers");
  answers.set(name, [503, 503, 200]);
  const [id] = await enqueue(`${base}/${name}`, '{"detail":1}');
  await vigil.server.advance(60);
  assert.deepEqual(bodies.get(name), ['{"detail":1}', '{"detail":1}', '{"detail":1}']);
  assert.equal(await vigil.server.delivery.get(id!), undefined);
});

test("a 404 is not retried: the payload goes to the dead-letter handler", async () => {
  const name = unique("gone");
  answers.set(name, [404]);
  await enqueue(`${base}/${name}`, "payload");
  await vigil.server.advance(60);
  assert.equal(bodies.get(name)?.length, 1);
  const e = dead.find((d) => (d.delivery.target as { url: string }).url.endsWith(name));
  assert.equal(e?.condition, "PermanentFailure");
  assert.deepEqual(e?.error, { code: "HTTP_CLIENT_ERROR", message: "the endpoint answered 404" });
});

test("a target on a private address is refused without a request, and dead-lettered", async () => {
  const [id] = await enqueue("http://10.0.0.1/hook", "payload");
  await vigil.server.advance(1);
  const r = await vigil.server.delivery.get(id!);
  assert.equal(r?.state, "dead_lettered");
  assert.equal(r?.lastError?.code, "NO_PERMISSIONS");
});

test("reset wipes the outbox", async () => {
  const name = unique("reset");
  answers.set(name, [503]);
  const [id] = await enqueue(`${base}/${name}`, "payload", 3);
  await vigil.server.advance(1);
  assert.equal((await vigil.server.delivery.get(id!))?.state, "pending");
  await vigil.server.stores.reset();
  assert.equal(await vigil.server.delivery.get(id!), undefined);
});
