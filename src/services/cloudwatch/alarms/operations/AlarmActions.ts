/**
 * EnableAlarmActions / DisableAlarmActions: turns the actions of the named alarms on or off (ActionsEnabled); names
 * that do not exist are skipped.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_EnableAlarmActions.html
 */
import type { Handler } from "../../../types.js";

const setActions =
  (enabled: boolean): Handler =>
  async (input: { AlarmNames: string[] }, ctx) => {
    const names = new Set(input.AlarmNames);
    const rows = (await ctx.stores.alarms.list(ctx.account, ctx.region)).filter((r) => names.has(r.name));
    await ctx.stores.alarms.write(rows.map((r) => ({ op: "upsert", row: { ...r, actionsEnabled: enabled } })));
    return {};
  };

export const EnableAlarmActions = setActions(true);
export const DisableAlarmActions = setActions(false);
