/**
 * Alarm history items as DescribeAlarmHistory returns them: StateUpdate, ConfigurationUpdate and Action, with the
 * HistoryData JSON AWS writes for each.
 */
import type { NewHistoryItem } from "../../../storage/alarms-store.js";
import type { AlarmRow, AlarmStateValue } from "./model.js";
import { toCompositeAlarm, toMetricAlarm } from "./model.js";
import { awsDate } from "./format.js";

/** The state as history data writes it; stored StateReasonData (a JSON object) is spliced in as is, keeping "21.0". */
function stateJson(parts: string[], value: AlarmStateValue, reason: string, data: string | null): void {
  parts.push(`{"stateValue":${JSON.stringify(value)},"stateReason":`, JSON.stringify(reason));
  if (data && /^\s*\{/.test(data)) parts.push(`,"stateReasonData":`, data);
  parts.push("}");
}

export function stateUpdateItem(
  row: AlarmRow,
  old: { value: AlarmStateValue; reason: string; data: string | null },
  at: number,
): NewHistoryItem {
  return {
    account: row.account,
    region: row.region,
    alarmName: row.name,
    alarmType: row.type,
    itemType: "StateUpdate",
    at,
    summary: `Alarm updated from ${old.value} to ${row.stateValue}`,
    data: stateUpdateData(row, old),
  };
}

/** Parts joined once: one flat string rather than a tree of concatenations kept until the commit writes it. */
function stateUpdateData(row: AlarmRow, old: { value: AlarmStateValue; reason: string; data: string | null }): string {
  const parts = ['{"version":"1.0","oldState":'];
  stateJson(parts, old.value, old.reason, old.data);
  parts.push(',"newState":');
  stateJson(parts, row.stateValue, row.stateReason, row.stateReasonData);
  parts.push("}");
  return parts.join("");
}

const camel = (k: string) => (k.startsWith("OK") ? `ok${k.slice(2)}` : k.charAt(0).toLowerCase() + k.slice(1));

/** The alarm's configuration as history data names it (camelCase members, dates as AWS writes them). */
function configObject(row: AlarmRow): Record<string, unknown> {
  const described = row.type === "MetricAlarm" ? toMetricAlarm(row) : toCompositeAlarm(row);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(described)) {
    if (v === undefined || k.startsWith("State") || k === "AlarmArn") continue;
    out[camel(k)] = k.endsWith("Timestamp") ? awsDate(v as number) : v;
  }
  return out;
}

export function configItem(row: AlarmRow, kind: "Create" | "Update" | "Delete", at: number, before?: AlarmRow) {
  const words = { Create: "created", Update: "updated", Delete: "deleted" };
  const body =
    kind === "Create"
      ? { createdAlarm: configObject(row) }
      : kind === "Update"
        ? { updatedAlarm: configObject(row), ...(before ? { originalUpdatedAlarm: configObject(before) } : {}) }
        : { deletedAlarm: configObject(row) };
  return {
    account: row.account,
    region: row.region,
    alarmName: row.name,
    alarmType: row.type,
    itemType: "ConfigurationUpdate" as const,
    at,
    summary: `Alarm "${row.name}" ${words[kind]}`,
    data: JSON.stringify({ version: "1.0", type: kind, ...body }),
  };
}

/**
 * An Action item. `quotedMessage` is JSON.stringify(publishedMessage) when the caller has it (the delivery's payload
 * quotes the same message): a message is a kilobyte or two, and a tick can run 10,000 actions.
 */
export function actionItem(
  row: AlarmRow,
  at: number,
  stateUpdatedAt: number,
  action: string,
  outcome: { ok: true; publishedMessage?: string; quotedMessage?: string } | { ok: false; error: string },
): NewHistoryItem {
  // As JSON.stringify writes { actionState, stateUpdateTimestamp, notificationResource, publishedMessage? }.
  const data = outcome.ok
    ? `{"actionState":"Succeeded","stateUpdateTimestamp":${JSON.stringify(stateUpdatedAt)},` +
      `"notificationResource":${JSON.stringify(action)}` +
      (outcome.publishedMessage
        ? `,"publishedMessage":${outcome.quotedMessage ?? JSON.stringify(outcome.publishedMessage)}}`
        : "}")
    : JSON.stringify({ actionState: "Failed", stateUpdateTimestamp: stateUpdatedAt, error: outcome.error });
  return {
    account: row.account,
    region: row.region,
    alarmName: row.name,
    alarmType: row.type,
    itemType: "Action",
    at,
    summary: `${outcome.ok ? "Successfully executed" : "Failed to execute"} action ${action}`,
    data,
  };
}
