/** What the alarm operations share: errors, tag checks, the alarm-name lookups. */
import { awsError } from "../../../../errors/index.js";
import type { RequestContext } from "../../../types.js";
import { alarmsEngine } from "../engine.js";
import { configItem } from "../history.js";
import { INITIAL_REASON, type AlarmRow, type Tag } from "../model.js";

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

/**
 * PutMetricAlarm and PutCompositeAlarm once their input passed: creates the alarm (INSUFFICIENT_DATA, "Unchecked:
 * Initial alarm creation", with its tags) or replaces the configuration of the one of that name (state and tags
 * kept), with its ConfigurationUpdate history item. Refuses to turn an alarm of one type into the other.
 */
export async function saveAlarm(
  ctx: RequestContext,
  existing: AlarmRow | undefined,
  alarm: { name: string; type: AlarmRow["type"]; config: unknown; actionsEnabled: boolean; tags: Tag[] },
): Promise<AlarmRow> {
  if (existing && existing.type !== alarm.type) {
    const other = existing.type === "CompositeAlarm" ? "a composite alarm" : "a metric alarm";
    throw awsError("ValidationError", `The alarm ${alarm.name} is ${other}.`); // assumed wording
  }
  const now = ctx.clock.now();
  const config = JSON.stringify(alarm.config);
  const row: AlarmRow = existing
    ? { ...existing, config, actionsEnabled: alarm.actionsEnabled, configUpdatedAt: now }
    : {
        account: ctx.account,
        region: ctx.region,
        name: alarm.name,
        type: alarm.type,
        config,
        actionsEnabled: alarm.actionsEnabled,
        stateValue: "INSUFFICIENT_DATA",
        stateReason: INITIAL_REASON,
        stateReasonData: null,
        stateUpdatedAt: now,
        stateTransitionedAt: now,
        configUpdatedAt: now,
        evalState: null,
        tags: JSON.stringify(mergeTags([], alarm.tags)),
      };
  await ctx.stores.alarms.write([
    { op: "upsert", row },
    { op: "history", item: configItem(row, existing ? "Update" : "Create", now, existing) },
  ]);
  return row;
}
