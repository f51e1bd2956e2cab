/**
 * Connections and API destinations: CRUD with the recorded shapes and messages, invocation with Basic, API-key and
 * OAuth client-credentials authorization against a local HTTP server, retries of 500 answers under the target's
 * RetryPolicy on the manual clock, then the dead-letter queue (EXHAUSTED_RETRY_CONDITION MaximumRetryAttempts).
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  DeleteApiDestinationCommand,
  DeleteConnectionCommand,
  DescribeApiDestinationCommand,
  DescribeConnectionCommand,
  EventBridgeClient,
  ListApiDestinationsCommand,
  ListConnectionsCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  UpdateApiDestinationCommand,
  type CreateConnectionCommandInput,
  type Target,
} from "@aws-sdk/client-eventbridge";
import { SQSClient } from "@aws-sdk/client-sqs";
import { unique, type Vigil } from "../helpers/vigil.js";
import { drainQueue, newQueue, rejects, startEventsVigil } from "./helpers.js";

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let vigil: Vigil;
let eb: EventBridgeClient;
let sqs: SQSClient;
let endpoint: string;
const seen: Seen[] = [];
let status = 200;
let server: http.Server;

before(async () => {
  vigil = await startEventsVigil();
  eb = vigil.client(EventBridgeClient);
  sqs = vigil.client(SQSClient);
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === "/oauth") {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ access_token: "tok-1", expires_in: 3600 }));
        return;
      }
      res.statusCode = status;
      res.end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await vigil.close();
  server.close();
});

async function destination(auth: Omit<CreateConnectionCommandInput, "Name">, path = "/api/*") {
  const c = await eb.send(new CreateConnectionCommand({ Name: unique("conn"), ...auth }));
  const d = await eb.send(
    new CreateApiDestinationCommand({
      Name: unique("dest"),
      ConnectionArn: c.ConnectionArn,
      InvocationEndpoint: endpoint + path,
      HttpMethod: "POST",
    }),
  );
  return { connectionArn: c.ConnectionArn!, arn: d.ApiDestinationArn! };
}

async function fire(target: Omit<Target, "Id">) {
  const source = unique("src");
  const rule = unique("rule");
  await eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }));
  await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: "d", ...target } as Target] }));
  const res = await eb.send(
    new PutEventsCommand({ Entries: [{ Source: source, DetailType: "t", Detail: '{"n": 1}' }] }),
  );
  return res.Entries![0]!.EventId!;
}

async function waitSeen(pred: (s: Seen) => boolean): Promise<Seen> {
  for (let i = 0; i < 100; i++) {
    await vigil.server.advance(0);
    const s = seen.find(pred);
    if (s) return s;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error("the endpoint was not called");
}

test("connections: create, describe without secrets, list, delete; recorded messages for missing ones", async () => {
  const name = unique("conn");
  const created = await eb.send(
    new CreateConnectionCommand({
      Name: name,
      AuthorizationType: "API_KEY",
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "ApiKey", ApiKeyValue: "secret" } },
    }),
  );
  assert.match(
    created.ConnectionArn!,
    new RegExp(`^arn:aws:events:us-east-1:000000000000:connection/${name}/[-0-9a-f]+$`),
  );
  assert.equal(created.ConnectionState, "AUTHORIZED");
  const d = await eb.send(new DescribeConnectionCommand({ Name: name }));
  assert.deepEqual(d.AuthParameters, { ApiKeyAuthParameters: { ApiKeyName: "ApiKey" } });
  assert.equal(d.AuthorizationType, "API_KEY");
  assert.match(
    d.SecretArn!,
    new RegExp(`^arn:aws:secretsmanager:us-east-1:000000000000:secret:events!connection/${name}/`),
  );
  const list = await eb.send(new ListConnectionsCommand({ NamePrefix: name }));
  assert.deepEqual(
    list.Connections?.map((c) => [c.Name, c.AuthorizationType, c.ConnectionState]),
    [[name, "API_KEY", "AUTHORIZED"]],
  );
  const del = await eb.send(new DeleteConnectionCommand({ Name: name }));
  assert.equal(del.ConnectionState, "DELETING");
  await rejects(
    eb.send(new DescribeConnectionCommand({ Name: name })),
    "ResourceNotFoundException",
    `Failed to describe the connection(s). Connection '${name}' does not exist.`,
  );
  const oauth = await eb.send(
    new CreateConnectionCommand({
      Name: unique("conn"),
      AuthorizationType: "OAUTH_CLIENT_CREDENTIALS",
      AuthParameters: {
        OAuthParameters: {
          AuthorizationEndpoint: "https://example.com/oauth",
          HttpMethod: "POST",
          ClientParameters: { ClientID: "id", ClientSecret: "s" },
        },
      },
    }),
  );
  assert.equal(oauth.ConnectionState, "AUTHORIZING");
});

test("API destinations: create, describe, list, update, delete", async () => {
  const { arn } = await destination({
    AuthorizationType: "BASIC",
    AuthParameters: { BasicAuthParameters: { Username: "u", Password: "p" } },
  });
  const name = arn.split("/")[1]!;
  const d = await eb.send(new DescribeApiDestinationCommand({ Name: name }));
  assert.deepEqual(
    [d.ApiDestinationArn, d.ApiDestinationState, d.HttpMethod, d.InvocationRateLimitPerSecond],
    [arn, "ACTIVE", "POST", 300],
  );
  await eb.send(new UpdateApiDestinationCommand({ Name: name, HttpMethod: "PUT", InvocationRateLimitPerSecond: 10 }));
  const u = await eb.send(new DescribeApiDestinationCommand({ Name: name }));
  assert.deepEqual([u.HttpMethod, u.InvocationRateLimitPerSecond], ["PUT", 10]);
  assert.deepEqual(
    (await eb.send(new ListApiDestinationsCommand({ NamePrefix: name }))).ApiDestinations?.map((x) => x.Name),
    [name],
  );
  await eb.send(new DeleteApiDestinationCommand({ Name: name }));
  await rejects(
    eb.send(new DescribeApiDestinationCommand({ Name: name })),
    "ResourceNotFoundException",
    `Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`,
  );
});

test("invocation with Basic auth, path parameters, headers and query strings", async () => {
  const { arn } = await destination({
    AuthorizationType: "BASIC",
    AuthParameters: {
      BasicAuthParameters: { Username: "user", Password: "pass" },
      InvocationHttpParameters: { HeaderParameters: [{ Key: "X-Conn", Value: "c", IsValueSecret: false }] },
    },
  });
  const id = await fire({
    Arn: arn,
    HttpParameters: {
      PathParameterValues: ["p1"],
      HeaderParameters: { "X-Target": "t" },
      QueryStringParameters: { q: "1" },
    },
  });
  const s = await waitSeen((x) => x.body.includes(id));
  assert.equal(s.method, "POST");
  assert.equal(s.url, "/api/p1?q=1");
  assert.equal(s.headers.authorization, `Basic ${Buffer.from("user:pass").toString("base64")}`);
  assert.equal(s.headers["x-conn"], "c");
  assert.equal(s.headers["x-target"], "t");
  assert.equal(JSON.parse(s.body).detail.n, 1);
});

test("invocation with an API key header", async () => {
  const { arn } = await destination({
    AuthorizationType: "API_KEY",
    AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "X-Api-Key", ApiKeyValue: "k123" } },
  });
  const id = await fire({ Arn: arn, HttpParameters: { PathParameterValues: ["x"] } });
  const s = await waitSeen((x) => x.body.includes(id));
  assert.equal(s.headers["x-api-key"], "k123");
});

test("invocation with OAuth client credentials: a token is fetched, then used as a bearer token", async () => {
  const { arn } = await destination({
    AuthorizationType: "OAUTH_CLIENT_CREDENTIALS",
    AuthParameters: {
      OAuthParameters: {
        AuthorizationEndpoint: `${endpoint}/oauth`,
        HttpMethod: "POST",
        ClientParameters: { ClientID: "cid", ClientSecret: "csecret" },
      },
    },
  });
  const id = await fire({ Arn: arn, HttpParameters: { PathParameterValues: ["o"] } });
  const s = await waitSeen((x) => x.body.includes(id));
  assert.equal(s.headers.authorization, "Bearer tok-1");
  const tokenCall = seen.find((x) => x.url === "/oauth")!;
  assert.equal(tokenCall.headers.authorization, `Basic ${Buffer.from("cid:csecret").toString("base64")}`);
  assert.match(tokenCall.body, /grant_type=client_credentials/);
  const name = arn.split("/")[1]!;
  assert.equal((await eb.send(new DescribeApiDestinationCommand({ Name: name }))).ApiDestinationState, "ACTIVE");
});

test("500 answers are retried with backoff on the clock, then dead-lettered after MaximumRetryAttempts", async () => {
  const { arn } = await destination({
    AuthorizationType: "API_KEY",
    AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "k", ApiKeyValue: "v" } },
  });
  const dlq = await newQueue(sqs);
  status = 500;
  try {
    const id = await fire({
      Arn: arn,
      HttpParameters: { PathParameterValues: ["retry"] },
      RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: dlq.arn },
    });
    await waitSeen((x) => x.body.includes(id));
    const calls = () => seen.filter((x) => x.body.includes(id)).length;
    assert.equal(calls(), 1);
    // Backoff waits at most 1 s then 2 s (full jitter): advancing 3 s runs both retries.
    for (let i = 0; i < 6 && calls() < 3; i++) {
      await vigil.server.advance(1);
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(calls(), 3, "first attempt and 2 retries");
    const [m] = await drainQueue(vigil, sqs, dlq.url);
    const attrs = Object.fromEntries(Object.entries(m!.MessageAttributes!).map(([k, v]) => [k, v.StringValue]));
    assert.equal(attrs.EXHAUSTED_RETRY_CONDITION, "MaximumRetryAttempts");
    assert.equal(attrs.RETRY_ATTEMPTS, "2");
    assert.equal(attrs.ERROR_CODE, "HTTP_SERVER_ERROR");
    assert.equal(JSON.parse(m!.Body!).id, id);
  } finally {
    status = 200;
  }
});
