/**
 * DeleteAlarms: deletes metric and composite alarms by name (up to 100); names that do not exist are skipped.
 * An alarm another composite alarm's rule refers to cannot be deleted until that composite alarm is (AWS).
 * History stays (AWS keeps a deleted alarm's history for its 30 days).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DeleteAlarms.html
 */
import { awsError } from "../../../../errors/index.js";
import type { AlarmWrite } from "../../../../storage/alarms-store.js";
import type { Handler } from "../../../types.js";
import { parseRule, referencedName, ruleAlarms } from "../composite.js";
import { configItem } from "../history.js";
import { compositeConfig } from "../model.js";

export const DeleteAlarms: Handler = async (input: { AlarmNames: string[] }, ctx) => {
  const all = await ctx.stores.alarms.list(ctx.account, ctx.region);
  const doomed = new Set(input.AlarmNames);
  for (const r of all) {
    if (r.type !== "CompositeAlarm" || doomed.has(r.name)) continue;
    const refs = ruleAlarms(parseRule(compositeConfig(r).AlarmRule)).map(referencedName);
    const blocked = refs.find((n) => doomed.has(n));
    if (blocked)
      throw awsError(
        "ValidationError",
        `Could not delete alarm ${blocked} as it is referenced by composite alarm ${r.name}.`,
      ); // assumed wording
  }
  const now = ctx.clock.now();
  const writes: AlarmWrite[] = [];
  for (const r of all.filter((x) => doomed.has(x.name))) {
    writes.push({ op: "delete", account: r.account, region: r.region, name: r.name });
    writes.push({ op: "history", item: configItem(r, "Delete", now) });
  }
  await ctx.stores.alarms.write(writes);
  return {};
};
