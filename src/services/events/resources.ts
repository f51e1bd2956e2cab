/**
 * EventBridge resources as Vigil keeps them (JSON documents in events_resources), their ARNs, and the lookups every
 * operation shares with AWS's "does not exist" messages (recorded in aws-recordings/events).
 */
import { awsError } from "../../errors/index.js";
import { partition } from "../../runtime/regions.js";
import type { EventsScope } from "../../storage/events-store.js";
import type { Stores } from "../../storage/types.js";

export const DEFAULT_BUS = "default";

export type Tag = { Key: string; Value: string };

export interface BusDoc {
  name: string;
  description?: string;
  kmsKeyIdentifier?: string;
  deadLetterConfig?: { Arn?: string };
  logConfig?: unknown;
  /** The resource policy (JSON text), built by PutPermission or given whole. */
  policy?: string;
  tags: Tag[];
  createdAt: number;
  modifiedAt: number;
}

export type RuleState = "ENABLED" | "DISABLED" | "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";

export interface RuleDoc {
  name: string;
  bus: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  managedBy?: string;
  createdBy: string;
  tags: Tag[];
  /** When the rule was created or last enabled: a rate schedule fires one period after it. */
  scheduleAnchor?: number;
}

/** A target exactly as PutTargets received it (the model's member names). */
export interface TargetDoc {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  SqsParameters?: { MessageGroupId?: string };
  HttpParameters?: {
    PathParameterValues?: string[];
    HeaderParameters?: Record<string, string>;
    QueryStringParameters?: Record<string, string>;
  };
  DeadLetterConfig?: { Arn?: string };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  [other: string]: unknown;
}

export const busArn = (s: EventsScope, name: string) =>
  `arn:${partition(s.region)}:events:${s.region}:${s.account}:event-bus/${name}`;

/** Rules of the default bus are rule/<name>; others rule/<bus>/<name> (recorded). */
export const ruleArn = (s: EventsScope, bus: string, name: string) =>
  `arn:${partition(s.region)}:events:${s.region}:${s.account}:rule/${bus === DEFAULT_BUS ? "" : bus + "/"}${name}`;

export const targetParent = (bus: string, rule: string) => `${bus}|${rule}`;

export const busNotFound = (name: string) => awsError("ResourceNotFoundException", `Event bus ${name} does not exist.`);
export const ruleNotFound = (name: string, bus: string) =>
  awsError("ResourceNotFoundException", `Rule ${name} does not exist on EventBus ${bus}.`);

const BUS_ARN = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):event-bus\/(.+)$/;

/**
 * The bus an EventBusName member names: a name (in the caller's account and region) or an ARN (possibly another
 * account's or region's, as PutEvents and PutRule accept).
 */
export function resolveBus(scope: EventsScope, nameOrArn: string | undefined): EventsScope & { name: string } {
  if (!nameOrArn) return { ...scope, name: DEFAULT_BUS };
  const m = BUS_ARN.exec(nameOrArn);
  if (m) return { region: m[1]!, account: m[2]!, name: m[3]! };
  return { ...scope, name: nameOrArn };
}

/** The bus document; the default bus exists implicitly (materialized on first write). */
export async function findBus(
  stores: Stores,
  scope: EventsScope,
  name: string,
  now: number,
): Promise<BusDoc | undefined> {
  const doc = await stores.events.get<BusDoc>(scope, "bus", "", name);
  if (doc || name !== DEFAULT_BUS) return doc;
  return { name: DEFAULT_BUS, tags: [], createdAt: now, modifiedAt: now };
}

/**
 * The caller's own default bus, stored on first sight so that its CreationTime stays what it was (Describe and List
 * answer it; other paths use findBus, which writes nothing).
 */
export async function ensureDefaultBus(stores: Stores, scope: EventsScope, now: number): Promise<BusDoc> {
  const doc = await stores.events.get<BusDoc>(scope, "bus", "", DEFAULT_BUS);
  if (doc) return doc;
  const fresh: BusDoc = { name: DEFAULT_BUS, tags: [], createdAt: now, modifiedAt: now };
  await stores.events.create(scope, "bus", "", DEFAULT_BUS, fresh);
  return (await stores.events.get<BusDoc>(scope, "bus", "", DEFAULT_BUS)) ?? fresh;
}

export async function requireBus(stores: Stores, scope: EventsScope, name: string, now: number): Promise<BusDoc> {
  const bus = await findBus(stores, scope, name, now);
  if (!bus) throw busNotFound(name);
  return bus;
}

/** The rule on the bus the request names (by name or ARN, default bus when omitted). */
export async function requireRule(
  stores: Stores,
  scope: EventsScope,
  name: string,
  busNameOrArn: string | undefined,
  now: number,
): Promise<{ bus: EventsScope & { name: string }; rule: RuleDoc }> {
  const bus = resolveBus(scope, busNameOrArn);
  const rule = await stores.events.get<RuleDoc>(bus, "rule", bus.name, name);
  if (!rule) {
    if (!(await findBus(stores, bus, bus.name, now))) throw busNotFound(bus.name);
    throw ruleNotFound(name, bus.name);
  }
  return { bus, rule };
}

/** NextToken: the last name of the previous page, opaque to clients. */
export const encodeToken = (after: string) => Buffer.from(JSON.stringify({ a: after })).toString("base64");

export function decodeToken(token: string | undefined): string | undefined {
  if (!token) return undefined;
  try {
    const v = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { a?: unknown };
    if (typeof v.a === "string") return v.a;
  } catch {
    // falls through to the error
  }
  throw awsError("ValidationException", "The NextToken provided is invalid.");
}

/** One page of `items` sorted by name; a NextToken when more remain. */
export function page<T>(items: T[], limit: number | undefined, nameOf: (t: T) => string) {
  const max = limit ?? 100;
  if (items.length <= max) return { items, next: undefined };
  const out = items.slice(0, max);
  return { items: out, next: encodeToken(nameOf(out[out.length - 1]!)) };
}
