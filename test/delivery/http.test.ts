/**
 * The guarded outbound HTTP client against local servers on 127.0.0.1 only. Addresses it must refuse are never
 * contacted: the refusal happens before any connection, and names resolve through a resolver the tests control.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { classifyAddress, type AddressClass } from "../../src/delivery/address.js";
import {
  createHttpClient,
  OutboundError,
  type HttpClientOptions,
  type ResolvedAddress,
} from "../../src/delivery/http.js";
import { errorOutcome, responseOutcome } from "../../src/delivery/targets/http.js";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

/** One local server per test file; each test mounts its handler at a path of its own. */
const routes = new Map<string, Handler>();
const received: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let server: http.Server;
let base: string;
let port: number;

before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      received.push({ path: req.url!, headers: req.headers, body });
      const handler = routes.get(req.url!.split("?")[0]!);
      if (handler) handler(req, res, body);
      else res.writeHead(404).end("no route");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as net.AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const loopback = (over: HttpClientOptions = {}) => createHttpClient({ allow: ["loopback"], ...over });
const route = (p: string, h: Handler) => (routes.set(p, h), `${base}${p}`);
const hits = (p: string) => received.filter((r) => r.path.startsWith(p)).length;

async function rejectsWith(p: Promise<unknown>, code: string, message?: RegExp): Promise<OutboundError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OutboundError, `expected an OutboundError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return e;
  }
  return assert.fail(`expected ${code}`);
}

describe("address classes", () => {
  const table: [string, AddressClass][] = [
    ["8.8.8.8", "public"],
    ["52.94.76.1", "public"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["169.254.169.254", "metadata"],
    ["169.254.170.2", "metadata"],
    ["169.254.1.1", "linkLocal"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["224.0.0.1", "reserved"],
    ["255.255.255.255", "reserved"],
    ["192.0.2.10", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "linkLocal"],
    ["fe80::1%eth0", "linkLocal"],
    ["fd12:3456::1", "private"],
    ["fd00:ec2::254", "metadata"],
    ["ff02::1", "reserved"],
    ["2001:db8::1", "reserved"],
    ["2606:4700::1111", "public"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "metadata"],
    ["::ffff:8.8.8.8", "public"],
    ["::10.0.0.1", "private"],
    ["64:ff9b::a9fe:a9fe", "metadata"],
    ["64:ff9b::8.8.8.8", "public"],
    ["2002:0a00:0001::1", "private"],
    ["2002:0808:0808::1", "public"],
  ];
  for (const [address, cls] of table) test(`${address} is ${cls}`, () => assert.equal(classifyAddress(address), cls));

  test("a non-address is refused", () => assert.throws(() => classifyAddress("example.com"), TypeError));
});

describe("guarded HTTP client", () => {
  test("a plain exchange returns status, headers and body", async () => {
    const url = route("/ok", (req, res, body) =>
      res
        .writeHead(200, { "content-type": "text/plain", "x-echo": req.headers["x-test"] as string })
        .end(`got ${body}`),
    );
    const res = await loopback().request({ url, headers: { "X-Test": "1" }, body: "hello" });
    assert.equal(res.status, 200);
    assert.equal(res.headers["x-echo"], "1");
    assert.equal(res.body.toString(), "got hello");
    assert.equal(res.redirects, 0);
    assert.equal(received.at(-1)?.headers.host, `127.0.0.1:${port}`);
  });

  test("loopback is refused unless allowed, before any connection", async () => {
    const url = route("/guarded", (_q, res) => res.end("reached"));
    await rejectsWith(createHttpClient().request({ url }), "AddressNotAllowed", /127\.0\.0\.1 is a loopback address/);
    assert.equal(hits("/guarded"), 0);
  });

  const refused: [string, string][] = [
    ["http://0.0.0.0:9/", "unspecified"],
    ["http://[::]:9/", "unspecified"],
    ["http://169.254.169.254/latest/meta-data/", "metadata"],
    ["http://[fd00:ec2::254]/latest/meta-data/", "metadata"],
    ["http://[::ffff:169.254.169.254]/", "metadata"],
    ["http://10.0.0.1/", "private"],
    ["http://192.168.0.1:8080/", "private"],
    ["http://[fe80::1]/", "linkLocal"],
    ["http://224.0.0.1/", "reserved"],
  ];
  for (const [url, cls] of refused) {
    test(`${url} is refused (${cls}) even with loopback allowed`, async () => {
      const e = await rejectsWith(loopback().request({ url }), "AddressNotAllowed", new RegExp(`a ${cls} address`));
      assert.equal(e.retryable, false);
    });
  }

  test("private addresses can be allowed; metadata stays refused unless named", async () => {
    // Refused by class before connecting, so these never leave the machine whatever the outcome.
    await rejectsWith(
      createHttpClient({ allow: ["loopback", "private", "linkLocal"] }).request({ url: "http://169.254.169.254/" }),
      "AddressNotAllowed",
    );
  });

  for (const url of [
    "file:///etc/passwd",
    "ftp://127.0.0.1/x",
    "gopher://127.0.0.1/",
    "data:text/plain,hi",
    "not a url",
  ]) {
    test(`only http and https: ${url} is refused`, async () => {
      await rejectsWith(loopback().request({ url }), "InvalidUrl");
    });
  }

  test("a server that never answers hits the total timeout", async () => {
    const url = route("/hang", () => {});
    const started = Date.now();
    const e = await rejectsWith(loopback({ timeoutMs: 150 }).request({ url }), "Timeout");
    assert.ok(Date.now() - started < 5000);
    assert.equal(e.retryable, true);
  });

  test("a server that trickles its body hits the total timeout too", async () => {
    const url = route("/trickle", (_q, res) => {
      res.writeHead(200);
      res.write("a");
    });
    await rejectsWith(loopback({ timeoutMs: 150 }).request({ url }), "Timeout");
  });

  test("a TLS handshake that never completes hits the connect timeout", async () => {
    // Reads (so it sees the client go) but never answers the TLS ClientHello.
    const silent = net.createServer((socket) => socket.resume());
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const p = (silent.address() as net.AddressInfo).port;
    try {
      await rejectsWith(
        loopback({ connectTimeoutMs: 100, timeoutMs: 5000 }).request({ url: `https://127.0.0.1:${p}/` }),
        "ConnectTimeout",
      );
    } finally {
      await new Promise((r) => silent.close(r));
    }
  });

  test("a refused connection is a retryable connection failure", async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const p = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const e = await rejectsWith(loopback().request({ url: `http://127.0.0.1:${p}/` }), "ConnectionFailure");
    assert.equal(e.retryable, true);
  });

  test("a 500 is returned as an answer; the HTTP target retries it", async () => {
    const url = route("/500", (_q, res) => res.writeHead(500).end("oops"));
    const res = await loopback().request({ url, body: "x" });
    assert.equal(res.status, 500);
    assert.equal(responseOutcome(res).status, "retryable");
  });

  const statuses: [number, string][] = [
    [200, "delivered"],
    [204, "delivered"],
    [302, "permanent"],
    [400, "permanent"],
    [404, "permanent"],
    [429, "retryable"],
    [500, "retryable"],
    [503, "retryable"],
  ];
  test("HTTP target outcomes by status", () => {
    for (const [status, outcome] of statuses) assert.equal(responseOutcome({ status }).status, outcome, `${status}`);
  });

  test("redirects are not followed by default", async () => {
    const url = route("/to-metadata", (_q, res) =>
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end(),
    );
    const res = await loopback().request({ url });
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, "http://169.254.169.254/latest/meta-data/");
  });

  for (const location of [
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://[::ffff:10.0.0.1]/",
  ]) {
    test(`a followed redirect to ${location} is checked again and refused`, async () => {
      const url = route(`/redirect-private-${received.length}`, (_q, res) => res.writeHead(307, { location }).end());
      await rejectsWith(loopback({ maxRedirects: 5 }).request({ url, body: "x" }), "AddressNotAllowed");
    });
  }

  test("a redirect to another scheme is refused", async () => {
    const url = route("/to-file", (_q, res) => res.writeHead(301, { location: "file:///etc/passwd" }).end());
    await rejectsWith(loopback({ maxRedirects: 5 }).request({ url }), "InvalidUrl");
  });

  test("redirects are followed up to maxRedirects, a 303 continuing with a GET", async () => {
    route("/hop1", (_q, res) => res.writeHead(303, { location: "/hop2" }).end());
    route("/hop2", (_q, res) => res.writeHead(307, { location: `${base}/hop3?x=1` }).end());
    route("/hop3", (req, res, body) => res.end(`${req.method} ${req.url} [${body}]`));
    const res = await loopback({ maxRedirects: 2 }).request({ url: `${base}/hop1`, body: "payload" });
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), "GET /hop3?x=1 []");
    assert.equal(res.redirects, 2);
    assert.equal(res.url, `${base}/hop3?x=1`);
    await rejectsWith(loopback({ maxRedirects: 1 }).request({ url: `${base}/hop1` }), "TooManyRedirects");
  });

  test("a huge declared body is refused at the headers", async () => {
    const url = route("/huge-declared", (_q, res) => {
      res.writeHead(200, { "content-length": String(64 * 1024 * 1024) });
      res.write(Buffer.alloc(64 * 1024));
    });
    await rejectsWith(loopback({ maxResponseBytes: 1024 }).request({ url }), "ResponseTooLarge");
  });

  test("a huge streamed body is cut off at the cap", async () => {
    let written = 0;
    const url = route("/huge-streamed", (_q, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 97);
      const pump = () => {
        while (written < 256 * 1024 * 1024 && res.write(chunk)) written += chunk.length;
        if (written < 256 * 1024 * 1024 && !res.destroyed) res.once("drain", pump);
      };
      res.on("close", () => (written = Infinity));
      pump();
    });
    const e = await rejectsWith(loopback({ maxResponseBytes: 100_000 }).request({ url }), "ResponseTooLarge");
    assert.equal(e.retryable, false);
  });

  test("a name is resolved once and the request goes to the checked address with the name as Host", async () => {
    const url = route("/rebind", (_q, res) => res.end("ok"));
    let lookups = 0;
    // A rebinding resolver: safe the first time, the metadata service every time after.
    const resolve = async (): Promise<ResolvedAddress[]> =>
      lookups++ === 0 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "169.254.169.254", family: 4 }];
    const res = await loopback({ resolve }).request({ url: url.replace("127.0.0.1", "rebind.test") });
    assert.equal(res.body.toString(), "ok");
    assert.equal(lookups, 1);
    assert.equal(received.at(-1)?.headers.host, `rebind.test:${port}`);
  });

  test("a name with any refused address is refused", async () => {
    const resolve = async (): Promise<ResolvedAddress[]> => [
      { address: "127.0.0.1", family: 4 },
      { address: "10.9.8.7", family: 4 },
    ];
    await rejectsWith(
      loopback({ resolve }).request({ url: "http://mixed.test/" }),
      "AddressNotAllowed",
      /mixed\.test \(10\.9\.8\.7\) is a private address/,
    );
  });

  test("a name that does not resolve is a retryable DNS failure", async () => {
    const resolve = async (): Promise<ResolvedAddress[]> => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.test"), { code: "ENOTFOUND" });
    };
    const e = await rejectsWith(loopback({ resolve }).request({ url: "http://nowhere.test/" }), "DnsFailure");
    assert.equal(errorOutcome(e).status, "retryable");
  });

  test("user:password in the URL becomes Basic authentication", async () => {
    const url = route("/auth", (req, res) => res.end(req.headers.authorization));
    const res = await loopback().request({ url: url.replace("http://", "http://alice:s%3Acret@"), body: "x" });
    assert.equal(res.body.toString(), `Basic ${Buffer.from("alice:s:cret").toString("base64")}`);
  });

  test("an aborted request ends at once", async () => {
    const url = route("/abort", () => {});
    const ac = new AbortController();
    const p = loopback().request({ url, signal: ac.signal });
    ac.abort();
    await rejectsWith(p, "Aborted");
  });

  test("HTTP target outcomes by error", () => {
    const table: [OutboundError, string, string][] = [
      [new OutboundError("AddressNotAllowed", "x"), "permanent", "NO_PERMISSIONS"],
      [new OutboundError("InvalidUrl", "x"), "permanent", "INVALID_URL"],
      [new OutboundError("Timeout", "x"), "retryable", "TIMEOUT"],
      [new OutboundError("ConnectTimeout", "x"), "retryable", "TIMEOUT"],
      [new OutboundError("ConnectionFailure", "x"), "retryable", "CONNECTION_FAILURE"],
      [new OutboundError("ResponseTooLarge", "x"), "permanent", "RESPONSE_TOO_LARGE"],
      [new OutboundError("TooManyRedirects", "x"), "permanent", "TOO_MANY_REDIRECTS"],
    ];
    for (const [err, status, code] of table) {
      const o = errorOutcome(err);
      assert.equal(o.status, status, err.code);
      assert.equal(o.status !== "delivered" && o.code, code);
    }
  });
});

describe("guarded HTTP client over TLS", () => {
  let dir: string;
  let tls: https.Server;
  let tlsPort: number;
  let cert: Buffer;
  let available = true;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "vigil-tls-"));
    try {
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "1",
          "-subj",
          "/CN=vigil.test",
          "-addext",
          "subjectAltName=DNS:vigil.test",
          "-keyout",
          path.join(dir, "key.pem"),
          "-out",
          path.join(dir, "cert.pem"),
        ],
        { stdio: "ignore" },
      );
    } catch {
      available = false;
      return;
    }
    cert = readFileSync(path.join(dir, "cert.pem"));
    tls = https.createServer({ key: readFileSync(path.join(dir, "key.pem")), cert }, (req, res) =>
      res.end(`tls ${req.headers.host}`),
    );
    await new Promise<void>((r) => tls.listen(0, "127.0.0.1", r));
    tlsPort = (tls.address() as net.AddressInfo).port;
  });

  after(async () => {
    if (tls) await new Promise((r) => tls.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const resolve = async (): Promise<ResolvedAddress[]> => [{ address: "127.0.0.1", family: 4 }];

  test("the certificate is checked against the name while the connection goes to the checked address", async (t) => {
    if (!available) return t.skip("openssl is not installed");
    const res = await loopback({ resolve, ca: cert }).request({ url: `https://vigil.test:${tlsPort}/` });
    assert.equal(res.body.toString(), `tls vigil.test:${tlsPort}`);
  });

  test("a certificate for another name fails as TLS", async (t) => {
    if (!available) return t.skip("openssl is not installed");
    await rejectsWith(loopback({ ca: cert }).request({ url: `https://127.0.0.1:${tlsPort}/` }), "TlsFailure");
  });
});
