/**
 * PutEvents: up to 10 entries, 256 KB in all (sizes as "Calculating PutEvents event entry size" counts them),
 * per-entry errors with AWS's codes and messages (recorded), an EventId for every accepted entry (also for a bus that
 * does not exist, as recorded). Matching deliveries are stored in the outbox before the call is answered.
 */
import { randomUUID } from "node:crypto";
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { envelope, routeEvents, type BusEvent } from "../dispatch.js";
import { canPutEvents } from "../permissions.js";
import { recordRouteMetrics } from "../metrics.js";
import { findBus, resolveBus } from "../resources.js";
import { eventsEnv } from "../state.js";

export const MAX_REQUEST_BYTES = 256 * 1024;

interface Entry {
  Time?: Date | number | string;
  Source?: string;
  Resources?: string[];
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  TraceHeader?: string;
}

const utf8 = (s: string | undefined) => (s === undefined ? 0 : Buffer.byteLength(s, "utf8"));

/** "Calculating PutEvents event entry size": 14 bytes for Time, then the UTF-8 sizes of the other fields. */
export function entrySize(e: Entry): number {
  let size = e.Time !== undefined ? 14 : 0;
  size += utf8(e.Source) + utf8(e.DetailType) + utf8(e.Detail);
  for (const r of e.Resources ?? []) size += utf8(r);
  return size;
}

type Result = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

const argument = (field: string) => ({
  ErrorCode: "InvalidArgument",
  ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
});

function checkEntry(e: Entry): { ErrorCode: string; ErrorMessage: string } | { detail: unknown } {
  if (e.Source === undefined || e.Source === "") return argument("Source");
  if (e.DetailType === undefined || e.DetailType === "") return argument("DetailType");
  if (e.Detail === undefined) return argument("Detail");
  // Sources starting with "aws." belong to AWS services.
  if (e.Source.startsWith("aws."))
    return { ErrorCode: "NotAuthorizedForSourceException", ErrorMessage: "Not authorized for the source." };
  let detail: unknown;
  try {
    detail = JSON.parse(e.Detail);
  } catch {
    return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
  }
  // The detail must be a JSON object: a string, a list or a serialized string are malformed (recorded).
  if (detail === null || typeof detail !== "object" || Array.isArray(detail) || tooDeep(detail))
    return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
  return { detail };
}

/**
 * Nesting deeper than this is refused as malformed (assumption: AWS documents no depth limit; JSON this deep cannot be
 * re-serialized by the delivery path, which would otherwise fail the whole call). Walked without recursion.
 */
const MAX_DEPTH = 1000;

function tooDeep(value: object): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) return true;
    if (v !== null && typeof v === "object")
      for (const x of Object.values(v)) if (x !== null && typeof x === "object") stack.push([x, depth + 1]);
  }
  return false;
}

function timeOf(t: Entry["Time"], now: number): number {
  if (t === undefined) return now;
  const ms = t instanceof Date ? t.getTime() : typeof t === "number" ? t : Date.parse(t);
  return Number.isFinite(ms) ? ms : now;
}

export const PutEvents: Handler = async (input, ctx) => {
  const entries: Entry[] = input.Entries;
  let total = 0;
  for (const e of entries) total += entrySize(e);
  if (total > MAX_REQUEST_BYTES)
    throw awsError("ValidationException", "Total size of the entries in the request is over the limit.");
  const env = eventsEnv(ctx.stores);
  const now = ctx.clock.now();
  const results: Result[] = [];
  const byBus = new Map<string, { bus: ReturnType<typeof resolveBus>; events: BusEvent[] }>();
  for (const e of entries) {
    const checked = checkEntry(e);
    if (!("detail" in checked)) {
      results.push(checked);
      continue;
    }
    const bus = resolveBus(ctx, e.EventBusName);
    if (bus.account !== ctx.account || bus.region !== ctx.region) {
      const doc = await findBus(ctx.stores, bus, bus.name, now);
      if (doc && !canPutEvents(doc, bus, ctx.identity.arn, ctx.account)) {
        results.push({
          ErrorCode: "AccessDeniedException",
          ErrorMessage: `User: ${ctx.identity.arn} is not authorized to perform: events:PutEvents on resource: ${e.EventBusName}`,
        });
        continue;
      }
    }
    const id = randomUUID();
    const ev: BusEvent = {
      envelope: envelope(
        { account: ctx.account, region: bus.region },
        {
          id,
          source: e.Source!,
          detailType: e.DetailType!,
          detail: checked.detail,
          resources: e.Resources,
          time: timeOf(e.Time, now),
        },
      ),
      ingestedAt: now,
    };
    const k = `${bus.account}\n${bus.region}\n${bus.name}`;
    let group = byBus.get(k);
    if (!group) byBus.set(k, (group = { bus, events: [] }));
    group.events.push(ev);
    results.push({ EventId: id });
  }
  for (const { bus, events } of byBus.values()) {
    const routed = await routeEvents({ stores: ctx.stores, delivery: env.delivery }, bus, events);
    recordRouteMetrics(ctx.stores, bus, routed, events.length);
  }
  return { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results };
};
