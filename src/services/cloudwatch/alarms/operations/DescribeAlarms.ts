/**
 * DescribeAlarms: metric alarms (and composite alarms when AlarmTypes asks) by names, prefix, state, action prefix,
 * or the children / parents of a composite alarm; by name, MaxRecords (default 50) per page.
 * Without AlarmTypes only metric alarms are returned (AWS).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
 */
import { awsError } from "../../../../errors/index.js";
import type { Handler } from "../../../types.js";
import { parseRule, referencedName, ruleAlarms } from "../composite.js";
import { compositeConfig, metricConfig, toCompositeAlarm, toMetricAlarm, type AlarmRow } from "../model.js";
import { decodeToken, encodeToken } from "./common.js";

interface Input {
  AlarmNames?: string[];
  AlarmNamePrefix?: string;
  AlarmTypes?: ("MetricAlarm" | "CompositeAlarm")[];
  ChildrenOfAlarmName?: string;
  ParentsOfAlarmName?: string;
  StateValue?: string;
  ActionPrefix?: string;
  MaxRecords?: number;
  NextToken?: string;
}

const childrenOf = (r: AlarmRow) => ruleAlarms(parseRule(compositeConfig(r).AlarmRule)).map(referencedName);

export const DescribeAlarms: Handler = async (input: Input, ctx) => {
  const family = input.ChildrenOfAlarmName ?? input.ParentsOfAlarmName;
  if (
    family !== undefined &&
    (input.AlarmNames?.length ||
      input.AlarmNamePrefix ||
      input.StateValue ||
      input.ActionPrefix ||
      input.AlarmTypes?.length)
  )
    throw awsError(
      "InvalidParameterCombination",
      "ChildrenOfAlarmName and ParentsOfAlarmName cannot be combined with other parameters except MaxRecords and NextToken.",
    ); // assumed wording
  if (input.AlarmNames?.length && input.AlarmNamePrefix)
    throw awsError("InvalidParameterCombination", "AlarmNames and AlarmNamePrefix cannot be specified together."); // assumed
  const all = await ctx.stores.alarms.list(ctx.account, ctx.region);
  let rows: AlarmRow[];
  if (input.ChildrenOfAlarmName !== undefined) {
    const parent = all.find((r) => r.name === input.ChildrenOfAlarmName && r.type === "CompositeAlarm");
    const names = new Set(parent ? childrenOf(parent) : []);
    rows = all.filter((r) => names.has(r.name));
  } else if (input.ParentsOfAlarmName !== undefined) {
    rows = all.filter((r) => r.type === "CompositeAlarm" && childrenOf(r).includes(input.ParentsOfAlarmName!));
  } else {
    const types = new Set(input.AlarmTypes?.length ? input.AlarmTypes : ["MetricAlarm"]);
    const names = input.AlarmNames?.length ? new Set(input.AlarmNames) : undefined;
    rows = all.filter((r) => {
      if (!types.has(r.type)) return false;
      if (names && !names.has(r.name)) return false;
      if (input.AlarmNamePrefix && !r.name.startsWith(input.AlarmNamePrefix)) return false;
      if (input.StateValue && r.stateValue !== input.StateValue) return false;
      if (input.ActionPrefix) {
        const c = r.type === "MetricAlarm" ? metricConfig(r) : compositeConfig(r);
        const actions = [...c.OKActions, ...c.AlarmActions, ...c.InsufficientDataActions];
        if (!actions.some((a) => a.startsWith(input.ActionPrefix!))) return false;
      }
      return true;
    });
  }
  const after = input.NextToken ? decodeToken(input.NextToken) : undefined;
  if (after !== undefined) rows = rows.filter((r) => r.name > after);
  const limit = input.MaxRecords ?? 50;
  const page = rows.slice(0, limit);
  return {
    MetricAlarms: page.filter((r) => r.type === "MetricAlarm").map(toMetricAlarm),
    CompositeAlarms: page.filter((r) => r.type === "CompositeAlarm").map(toCompositeAlarm),
    NextToken: rows.length > limit ? encodeToken(page[page.length - 1].name) : undefined,
  };
};
