/** What the alarm operations share: errors, tag checks, the alarm-name lookups. */
import { awsError } from "../../../../errors/index.js";
import type { RequestContext } from "../../../types.js";
import { alarmsEngine } from "../engine.js";
import type { AlarmRow, Tag } from "../model.js";

export const engineOf = (ctx: RequestContext) => alarmsEngine(ctx.stores, ctx.clock);

/** SetAlarmState on a missing alarm: AWS answers ResourceNotFound with an empty message (recorded). */
export const alarmNotFound = () => awsError("ResourceNotFound", "", 404);

export async function getAlarm(ctx: RequestContext, name: string): Promise<AlarmRow | undefined> {
  return ctx.stores.alarms.get(ctx.account, ctx.region, name);
}

export const MAX_TAGS = 50;

export function checkTags(tags: Tag[] | undefined): void {
  for (const t of tags ?? []) {
    if (t.Key.startsWith("aws:"))
      throw awsError(
        "InvalidParameterValue",
        "Invalid tag key: tag keys cannot start with the reserved prefix 'aws:'.",
      ); // assumed
  }
}

/** Tags merged by key, later ones winning; at most 50. */
export function mergeTags(base: Tag[], add: Tag[]): Tag[] {
  const m = new Map(base.map((t) => [t.Key, t.Value]));
  for (const t of add) m.set(t.Key, t.Value);
  if (m.size > MAX_TAGS) throw awsError("LimitExceeded", `The maximum number of tags for a resource is ${MAX_TAGS}.`); // assumed
  return [...m].map(([Key, Value]) => ({ Key, Value }));
}

/** Opaque page tokens: the last name (or id) returned, base64. */
export const encodeToken = (v: string): string => Buffer.from(v, "utf8").toString("base64");

export function decodeToken(token: string): string {
  const v = Buffer.from(token, "base64").toString("utf8");
  if (!v || encodeToken(v) !== token) throw awsError("InvalidNextToken", "The service cannot decode the NextToken."); // assumed
  return v;
}
