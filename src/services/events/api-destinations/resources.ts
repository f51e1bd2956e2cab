/**
 * Connections (authorization for API destinations: BASIC, API_KEY, OAUTH_CLIENT_CREDENTIALS) and API destinations
 * (an HTTP endpoint, method and invocation rate), with the shapes and messages recorded on AWS. Secrets are kept in
 * the connection document and never answered: Describe shows the non-secret parts only, as AWS does.
 */
import { randomUUID } from "node:crypto";
import { awsError } from "../../../errors/index.js";
import { partition } from "../../../runtime/regions.js";
import type { EventsScope } from "../../../storage/events-store.js";
import type { Stores } from "../../../storage/types.js";

export type ConnectionState = "AUTHORIZED" | "AUTHORIZING" | "DEAUTHORIZED" | "DELETING" | "CREATING" | "UPDATING";

export interface HttpParams {
  HeaderParameters?: { Key?: string; Value?: string; IsValueSecret?: boolean }[];
  QueryStringParameters?: { Key?: string; Value?: string; IsValueSecret?: boolean }[];
  BodyParameters?: { Key?: string; Value?: string; IsValueSecret?: boolean }[];
}

/** CreateConnectionAuthRequestParameters as received (secrets included). */
export interface AuthParams {
  BasicAuthParameters?: { Username: string; Password: string };
  ApiKeyAuthParameters?: { ApiKeyName: string; ApiKeyValue: string };
  OAuthParameters?: {
    ClientParameters: { ClientID: string; ClientSecret: string };
    AuthorizationEndpoint: string;
    HttpMethod: string;
    OAuthHttpParameters?: HttpParams;
  };
  InvocationHttpParameters?: HttpParams;
}

export interface ConnectionDoc {
  name: string;
  id: string;
  description?: string;
  authorizationType: "BASIC" | "API_KEY" | "OAUTH_CLIENT_CREDENTIALS";
  auth: AuthParams;
  state: ConnectionState;
  createdAt: number;
  modifiedAt: number;
  lastAuthorizedAt: number;
}

export interface DestinationDoc {
  name: string;
  id: string;
  description?: string;
  connectionArn: string;
  invocationEndpoint: string;
  httpMethod: string;
  rateLimit: number;
  createdAt: number;
  modifiedAt: number;
}

export const connectionArn = (s: EventsScope, c: ConnectionDoc) =>
  `arn:${partition(s.region)}:events:${s.region}:${s.account}:connection/${c.name}/${c.id}`;
export const destinationArn = (s: EventsScope, d: DestinationDoc) =>
  `arn:${partition(s.region)}:events:${s.region}:${s.account}:api-destination/${d.name}/${d.id}`;
export const secretArn = (s: EventsScope, c: ConnectionDoc) =>
  `arn:${partition(s.region)}:secretsmanager:${s.region}:${s.account}:secret:events!connection/${c.name}/${c.id}`;

export const newId = () => randomUUID();

/** OAuth connections authorize against their endpoint first (recorded: AUTHORIZING at creation). */
export const initialState = (type: ConnectionDoc["authorizationType"]): ConnectionState =>
  type === "OAUTH_CLIENT_CREDENTIALS" ? "AUTHORIZING" : "AUTHORIZED";

const hideSecrets = (p: HttpParams | undefined): HttpParams | undefined => {
  if (!p) return undefined;
  const hide = (l?: { Key?: string; Value?: string; IsValueSecret?: boolean }[]) =>
    l?.map((x) => (x.IsValueSecret === false ? x : { Key: x.Key, IsValueSecret: x.IsValueSecret ?? true }));
  return {
    ...(p.HeaderParameters ? { HeaderParameters: hide(p.HeaderParameters) } : {}),
    ...(p.QueryStringParameters ? { QueryStringParameters: hide(p.QueryStringParameters) } : {}),
    ...(p.BodyParameters ? { BodyParameters: hide(p.BodyParameters) } : {}),
  };
};

/** ConnectionAuthResponseParameters: the auth parameters without secret values. */
export function publicAuth(a: AuthParams) {
  return {
    ...(a.BasicAuthParameters ? { BasicAuthParameters: { Username: a.BasicAuthParameters.Username } } : {}),
    ...(a.ApiKeyAuthParameters ? { ApiKeyAuthParameters: { ApiKeyName: a.ApiKeyAuthParameters.ApiKeyName } } : {}),
    ...(a.OAuthParameters
      ? {
          OAuthParameters: {
            AuthorizationEndpoint: a.OAuthParameters.AuthorizationEndpoint,
            ClientParameters: { ClientID: a.OAuthParameters.ClientParameters.ClientID },
            HttpMethod: a.OAuthParameters.HttpMethod,
            ...(a.OAuthParameters.OAuthHttpParameters
              ? { OAuthHttpParameters: hideSecrets(a.OAuthParameters.OAuthHttpParameters) }
              : {}),
          },
        }
      : {}),
    ...(a.InvocationHttpParameters ? { InvocationHttpParameters: hideSecrets(a.InvocationHttpParameters) } : {}),
  };
}

/** The auth parameters the type needs; ValidationException otherwise. */
export function checkAuth(type: ConnectionDoc["authorizationType"], a: AuthParams): void {
  const need =
    type === "BASIC" ? a.BasicAuthParameters : type === "API_KEY" ? a.ApiKeyAuthParameters : a.OAuthParameters;
  const member =
    type === "BASIC" ? "BasicAuthParameters" : type === "API_KEY" ? "ApiKeyAuthParameters" : "OAuthParameters";
  if (!need)
    throw awsError(
      "ValidationException",
      `Parameter AuthParameters is not valid. Reason: ${member} must be specified for ${type}.`,
    );
}

export async function requireConnection(
  stores: Stores,
  scope: EventsScope,
  name: string,
  verb: string,
): Promise<ConnectionDoc> {
  const c = await stores.events.get<ConnectionDoc>(scope, "connection", "", name);
  if (!c)
    throw awsError(
      "ResourceNotFoundException",
      `Failed to ${verb} the connection(s). Connection '${name}' does not exist.`,
    );
  return c;
}

export async function requireDestination(
  stores: Stores,
  scope: EventsScope,
  name: string,
  verb: string,
): Promise<DestinationDoc> {
  const d = await stores.events.get<DestinationDoc>(scope, "destination", "", name);
  if (!d)
    throw awsError(
      "ResourceNotFoundException",
      `Failed to ${verb} the api-destination(s). An api-destination '${name}' does not exist.`,
    );
  return d;
}

const CONNECTION_ARN = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):connection\/([^/]+)\/(.+)$/;

/** The connection an ARN names, in the caller's account and region. */
export async function connectionByArn(
  stores: Stores,
  scope: EventsScope,
  arn: string,
): Promise<ConnectionDoc | undefined> {
  const m = CONNECTION_ARN.exec(arn);
  if (!m || m[1] !== scope.region || m[2] !== scope.account) return undefined;
  const c = await stores.events.get<ConnectionDoc>(scope, "connection", "", m[3]!);
  return c && c.id === m[4] ? c : undefined;
}

/** An API destination is ACTIVE while its connection is authorized (recorded: INACTIVE with an OAuth connection still authorizing). */
export const destinationState = (c: ConnectionDoc | undefined) => (c?.state === "AUTHORIZED" ? "ACTIVE" : "INACTIVE");
