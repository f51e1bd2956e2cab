/**
 * Long polling on a real wait: a ReceiveMessage with WaitTimeSeconds is held until a message arrives or the wait ends,
 * woken by the in-process notifier (never by polling the store in a loop). The few tests that wait in real time wait at
 * most about a second.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { startVigil, type Vigil } from "../helpers/vigil.js";
import { newQueue, startSqsVigil } from "./helpers.js";

let vigil: Vigil;
let sqs: SQSClient;
before(async () => {
  vigil = await startSqsVigil();
  sqs = vigil.client(SQSClient, { requestHandler: { requestTimeout: 30_000 } });
});
after(() => vigil.close());

const receive = (QueueUrl: string, WaitTimeSeconds?: number) =>
  sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds })).then((r) => r.Messages ?? []);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("a waiting receive answers as soon as a message is sent, without polling the store", async () => {
  const { url } = await newQueue(sqs);
  const store = vigil.server.stores.sqs;
  const original = store.receive;
  let calls = 0;
  store.receive = (spec) => {
    calls++;
    return original.call(store, spec);
  };
  try {
    const started = performance.now();
    const waiting = receive(url, 10);
    await sleep(400);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "foobared" }));
    const got = await waiting;
    const elapsed = performance.now() - started;
    assert.deepEqual(
      got.map((m) => m.Body),
      ["foobared"],
    );
    assert.ok(elapsed >= 350 && elapsed < 2000, `answered after ${elapsed} ms`);
    // One look at the start, one when the send woke it (a PostgreSQL node also looks once a second).
    assert.ok(calls <= (vigil.server.stores.dialect === "postgres" ? 3 : 2), `${calls} receives`);
  } finally {
    store.receive = original;
  }
});

test("the queue's ReceiveMessageWaitTimeSeconds makes every receive a long poll (AWS-validated)", async () => {
  const { url } = await newQueue(sqs, { ReceiveMessageWaitTimeSeconds: "10" });
  const waiting = receive(url);
  await sleep(200);
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "foobared" }));
  assert.equal((await waiting).length, 1);
  // WaitTimeSeconds=0 asks for a short poll whatever the queue says.
  const started = performance.now();
  assert.deepEqual(await receive(url, 0), []);
  assert.ok(performance.now() - started < 500);
});

test("a long poll on nothing ends after its wait in real time", async () => {
  const { url } = await newQueue(sqs);
  const started = performance.now();
  assert.deepEqual(await receive(url, 1), []);
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 950 && elapsed < 2500, `ended after ${elapsed} ms`);
});

test("with a manual clock, advancing it past the wait ends the poll; a delay ending while waiting delivers", async () => {
  const { url } = await newQueue(sqs);
  const started = performance.now();
  const waiting = receive(url, 20);
  await sleep(50);
  await vigil.server.advance(20);
  assert.deepEqual(await waiting, []);
  assert.ok(performance.now() - started < 2000);

  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "delayed", DelaySeconds: 5 }));
  const pending = receive(url, 20);
  await sleep(50);
  await vigil.server.advance(5);
  assert.deepEqual(
    (await pending).map((m) => m.Body),
    ["delayed"],
  );
});

test("one message wakes every waiter but goes to one of them", async () => {
  const { url } = await newQueue(sqs);
  const waiters = [receive(url, 20), receive(url, 20), receive(url, 20)];
  await sleep(100);
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "only one" }));
  const first = await Promise.race(waiters);
  assert.deepEqual(
    first.map((m) => m.Body),
    ["only one"],
  );
  await vigil.server.advance(20);
  const all = await Promise.all(waiters);
  assert.equal(all.flat().length, 1);
});

test("closing the server ends pending long polls at once", async () => {
  const own = await startVigil({ clock: "system" });
  const client = own.client(SQSClient);
  const { url } = await newQueue(client);
  const waiting = client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 })).then(
    (r) => r.Messages ?? [],
    () => [],
  );
  await sleep(100);
  const started = performance.now();
  await own.close();
  assert.deepEqual(await waiting, []);
  assert.ok(performance.now() - started < 3000);
});
