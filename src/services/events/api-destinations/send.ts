/**
 * Invoking an API destination ("API destinations as targets"): the event (or transformed input) as the body, the
 * endpoint's `*` path segments filled from HttpParameters.PathParameterValues, headers and query strings from the
 * target and the connection, and the connection's authorization (Basic, an API key header, or an OAuth
 * client-credentials bearer token fetched from the authorization endpoint and cached until it expires). Every request
 * goes through the guarded HTTP client (address policy, timeouts, response cap, redirects). 2xx delivered; 429, 5xx
 * and network failures retried; 401/403 refresh an OAuth token and retry; other statuses fail permanently.
 * InvocationRateLimitPerSecond is enforced per destination: invocations over it are retried later (THROTTLING).
 */
import { permanent, retryable, type Outcome } from "../../../delivery/index.js";
import { errorOutcome, responseOutcome } from "../../../delivery/targets/http.js";
import type { HttpClient } from "../../../delivery/http.js";
import type { TargetDelivery } from "../dispatch.js";
import type { EventsEnv } from "../state.js";
import { connectionByArn, type ConnectionDoc, type HttpParams } from "./resources.js";

const USER_AGENT = "Amazon/EventBridge/ApiDestinations";

const tokens = new WeakMap<EventsEnv, Map<string, { token: string; expires: number }>>();
const windows = new WeakMap<EventsEnv, Map<string, { second: number; count: number }>>();

function tokenCache(env: EventsEnv) {
  let m = tokens.get(env);
  if (!m) tokens.set(env, (m = new Map()));
  return m;
}

/** Per destination and wall-clock second, how many invocations started. */
function admit(env: EventsEnv, key: string, limit: number, now: number): boolean {
  let m = windows.get(env);
  if (!m) windows.set(env, (m = new Map()));
  const second = Math.floor(now / 1000);
  const w = m.get(key);
  if (!w || w.second !== second) {
    m.set(key, { second, count: 1 });
    return true;
  }
  if (w.count >= limit) return false;
  w.count++;
  return true;
}

const pairs = (p: HttpParams | undefined, which: "HeaderParameters" | "QueryStringParameters") =>
  (p?.[which] ?? []).filter((x) => x.Key !== undefined).map((x) => [x.Key!, x.Value ?? ""] as const);

export async function sendToApiDestination(
  env: EventsEnv,
  t: TargetDelivery,
  arn: { region: string; account: string; resource: string },
  payload: string,
  signal: AbortSignal,
): Promise<Outcome> {
  const { stores, clock } = env.deps;
  const http = env.delivery.http;
  if (!http) return retryable("SERVICE_UNAVAILABLE", "Outbound HTTP is not configured.");
  const scope = { account: arn.account, region: arn.region };
  const name = arn.resource.split("/")[1] ?? "";
  const dest = await stores.events.get<{
    id: string;
    connectionArn: string;
    invocationEndpoint: string;
    httpMethod: string;
    rateLimit: number;
  }>(scope, "destination", "", name);
  if (!dest || !arn.resource.endsWith(`/${dest.id}`))
    return permanent("RESOURCE_NOT_FOUND", `API destination ${t.arn} does not exist.`);
  const connection = await connectionByArn(stores, scope, dest.connectionArn);
  if (!connection) return permanent("RESOURCE_NOT_FOUND", `Connection ${dest.connectionArn} does not exist.`);
  if (!admit(env, t.arn, dest.rateLimit, clock.now()))
    return retryable("THROTTLING", "The invocation rate limit of the API destination was exceeded.");

  let path = dest.invocationEndpoint;
  for (const v of t.http?.PathParameterValues ?? []) path = path.replace("*", encodeURIComponent(v));
  const url = new URL(path);
  for (const [k, v] of [...pairs(connection.auth.InvocationHttpParameters, "QueryStringParameters")])
    url.searchParams.append(k, v);
  for (const [k, v] of Object.entries(t.http?.QueryStringParameters ?? {})) url.searchParams.append(k, v);
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "user-agent": USER_AGENT,
  };
  for (const [k, v] of Object.entries(t.http?.HeaderParameters ?? {})) headers[k.toLowerCase()] = v;
  for (const [k, v] of pairs(connection.auth.InvocationHttpParameters, "HeaderParameters"))
    headers[k.toLowerCase()] = v;

  const attempt = async (fresh: boolean): Promise<Outcome> => {
    const auth = await authorization(env, http, connection, fresh, signal, scope);
    if ("status" in auth) return auth;
    const res = await http.request({
      url: url.toString(),
      method: dest.httpMethod,
      headers: { ...headers, ...auth.headers },
      body: dest.httpMethod === "GET" || dest.httpMethod === "HEAD" ? undefined : payload,
      signal,
    });
    if (
      (res.status === 401 || res.status === 403) &&
      connection.authorizationType === "OAUTH_CLIENT_CREDENTIALS" &&
      !fresh
    )
      return attempt(true);
    return responseOutcome(res);
  };
  try {
    return await attempt(false);
  } catch (err) {
    return errorOutcome(err);
  }
}

async function authorization(
  env: EventsEnv,
  http: HttpClient,
  c: ConnectionDoc,
  fresh: boolean,
  signal: AbortSignal,
  scope: { account: string; region: string },
): Promise<{ headers: Record<string, string> } | Outcome> {
  const a = c.auth;
  if (c.authorizationType === "BASIC" && a.BasicAuthParameters) {
    const { Username, Password } = a.BasicAuthParameters;
    return { headers: { authorization: `Basic ${Buffer.from(`${Username}:${Password}`).toString("base64")}` } };
  }
  if (c.authorizationType === "API_KEY" && a.ApiKeyAuthParameters)
    return { headers: { [a.ApiKeyAuthParameters.ApiKeyName.toLowerCase()]: a.ApiKeyAuthParameters.ApiKeyValue } };
  const o = a.OAuthParameters;
  if (!o) return permanent("NO_PERMISSIONS", "The connection has no authorization parameters.");
  const cache = tokenCache(env);
  const now = env.deps.clock.now();
  const hit = cache.get(c.id);
  if (hit && !fresh && hit.expires > now) return { headers: { authorization: `Bearer ${hit.token}` } };
  const url = new URL(o.AuthorizationEndpoint);
  for (const [k, v] of pairs(o.OAuthHttpParameters, "QueryStringParameters")) url.searchParams.append(k, v);
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${o.ClientParameters.ClientID}:${o.ClientParameters.ClientSecret}`).toString("base64")}`,
    "content-type": "application/x-www-form-urlencoded",
    "user-agent": USER_AGENT,
  };
  for (const [k, v] of pairs(o.OAuthHttpParameters, "HeaderParameters")) headers[k.toLowerCase()] = v;
  const body = new URLSearchParams({ grant_type: "client_credentials" });
  for (const p of o.OAuthHttpParameters?.BodyParameters ?? []) if (p.Key) body.append(p.Key, p.Value ?? "");
  const res = await http.request({
    url: url.toString(),
    method: o.HttpMethod,
    headers,
    body: o.HttpMethod === "GET" ? undefined : body.toString(),
    signal,
  });
  if (res.status < 200 || res.status >= 300) {
    const outcome = responseOutcome(res);
    return outcome.status === "retryable"
      ? outcome
      : permanent("NO_PERMISSIONS", `The authorization endpoint answered ${res.status}.`);
  }
  let token: { access_token?: unknown; expires_in?: unknown };
  try {
    token = JSON.parse(res.body.toString("utf8")) as typeof token;
  } catch {
    return permanent("NO_PERMISSIONS", "The authorization endpoint did not answer a token.");
  }
  if (typeof token.access_token !== "string")
    return permanent("NO_PERMISSIONS", "The authorization endpoint did not answer a token.");
  const ttl = typeof token.expires_in === "number" ? token.expires_in * 1000 : 3600_000;
  cache.set(c.id, { token: token.access_token, expires: now + ttl });
  // The connection is authorized once its endpoint granted a token (until then AUTHORIZING, as recorded).
  if (c.state !== "AUTHORIZED")
    await env.deps.stores.events.put(scope, "connection", "", c.name, {
      ...c,
      state: "AUTHORIZED",
      lastAuthorizedAt: now,
    });
  return { headers: { authorization: `Bearer ${token.access_token}` } };
}
