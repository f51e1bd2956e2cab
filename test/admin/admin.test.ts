import assert from "node:assert/strict";
import { test } from "node:test";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { raw } from "../helpers/raw.js";
import { startVigil } from "../helpers/vigil.js";

test("health reports storage readiness, version and services", async () => {
  const vigil = await startVigil();
  try {
    const r = await raw(vigil.url, { method: "GET", path: "/_vigil/health" });
    assert.equal(r.status, 200);
    const h = JSON.parse(r.body) as {
      status: string;
      version: string;
      storage: { dialect: string; ready: boolean };
      services: { name: string }[];
    };
    assert.equal(h.status, "ok");
    assert.match(h.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(h.storage, { dialect: "sqlite", ready: true });
    assert.ok(h.services.some((s) => s.name === "cloudtrail"));
  } finally {
    await vigil.close();
  }
});

test("reset wipes the event history", async () => {
  const vigil = await startVigil();
  try {
    await vigil.client(STSClient).send(new GetCallerIdentityCommand({}));
    const r = await raw(vigil.url, { path: "/_vigil/reset" });
    assert.equal(r.status, 200);
    const events = await vigil.client(CloudTrailClient).send(new LookupEventsCommand({}));
    assert.deepEqual(events.Events, []);
  } finally {
    await vigil.close();
  }
});

test("the manual clock moves only through POST /_vigil/clock, running jobs that fall due in order", async () => {
  const vigil = await startVigil({ clock: "manual", clockStart: "2026-03-01T00:00:00Z" });
  try {
    const ran: string[] = [];
    vigil.server.scheduler.register({
      name: "a",
      intervalMs: 60_000,
      run: (t) => void ran.push(`a@${new Date(t).toISOString()}`),
    });
    vigil.server.scheduler.register({
      name: "b",
      intervalMs: 90_000,
      run: (t) => void ran.push(`b@${new Date(t).toISOString()}`),
    });
    const before = JSON.parse((await raw(vigil.url, { method: "GET", path: "/_vigil/clock" })).body) as {
      now: number;
      mode: string;
    };
    assert.equal(before.mode, "manual");
    assert.equal(before.now, Date.parse("2026-03-01T00:00:00Z"));
    const r = await raw(vigil.url, { path: "/_vigil/clock", body: JSON.stringify({ advanceSeconds: 180 }) });
    assert.equal(r.status, 200);
    assert.equal((JSON.parse(r.body) as { iso: string }).iso, "2026-03-01T00:03:00.000Z");
    assert.deepEqual(ran, [
      "a@2026-03-01T00:01:00.000Z",
      "b@2026-03-01T00:01:30.000Z",
      "a@2026-03-01T00:02:00.000Z",
      "a@2026-03-01T00:03:00.000Z",
      "b@2026-03-01T00:03:00.000Z",
    ]);
    const bad = await raw(vigil.url, { path: "/_vigil/clock", body: JSON.stringify({ advanceSeconds: -1 }) });
    assert.equal(bad.status, 400);
  } finally {
    await vigil.close();
  }
});

test("the system clock cannot be advanced", async () => {
  const vigil = await startVigil();
  try {
    const r = await raw(vigil.url, { path: "/_vigil/clock", body: JSON.stringify({ advanceSeconds: 1 }) });
    assert.equal(r.status, 400);
    assert.match(JSON.parse(r.body).error as string, /not manual/);
  } finally {
    await vigil.close();
  }
});

test("admin endpoints admit loopback callers, and others only with the configured token", async () => {
  const { adminAllowed } = await import("../../src/admin/admin.js");
  for (const addr of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]) assert.ok(adminAllowed(addr, undefined));
  assert.equal(adminAllowed("192.0.2.7", undefined), false);
  assert.equal(adminAllowed("192.0.2.7", "Bearer secret"), false, "no token configured: loopback only");
  assert.equal(adminAllowed("192.0.2.7", "Bearer secret", "secret"), true);
  assert.equal(adminAllowed("192.0.2.7", "Bearer wrong!", "secret"), false);
  assert.equal(adminAllowed("192.0.2.7", "secret", "secret"), false);
  assert.equal(adminAllowed("::ffff:192.0.2.7", "Bearer secret2", "secret"), false);
});
