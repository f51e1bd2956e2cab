/**
 * PutMetricAlarm: creates or replaces a metric alarm. A new alarm starts INSUFFICIENT_DATA ("Unchecked: Initial alarm
 * creation"); an update keeps the state, replaces the whole configuration and ignores Tags (AWS).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
import { awsError } from "../../../../errors/index.js";
import type { Handler } from "../../../types.js";
import { configItem } from "../history.js";
import { INITIAL_REASON, type AlarmRow, type MetricAlarmConfig, type Tag } from "../model.js";
import { checkPutMetricAlarm } from "../validate.js";
import { checkTags, engineOf, mergeTags } from "./common.js";

type Input = Omit<MetricAlarmConfig, "OKActions" | "AlarmActions" | "InsufficientDataActions" | "Dimensions"> & {
  ActionsEnabled?: boolean;
  OKActions?: string[];
  AlarmActions?: string[];
  InsufficientDataActions?: string[];
  Dimensions?: { Name: string; Value: string }[];
  Tags?: Tag[];
  EvaluationCriteria?: unknown;
  EvaluationInterval?: number;
};

export const PutMetricAlarm: Handler = async (input: Input, ctx) => {
  const { ActionsEnabled, Tags, EvaluationCriteria, EvaluationInterval, ...rest } = input;
  if (EvaluationCriteria !== undefined || EvaluationInterval !== undefined)
    throw awsError("ValidationError", "EvaluationCriteria (PromQL alarms) is not supported by Vigil."); // Vigil limit
  const config: MetricAlarmConfig = {
    ...rest,
    OKActions: rest.OKActions ?? [],
    AlarmActions: rest.AlarmActions ?? [],
    InsufficientDataActions: rest.InsufficientDataActions ?? [],
    Dimensions: rest.Dimensions ?? [],
  };
  checkPutMetricAlarm(config, ctx.region);
  checkTags(Tags);
  const now = ctx.clock.now();
  const engine = engineOf(ctx);
  const existing = await ctx.stores.alarms.get(ctx.account, ctx.region, input.AlarmName);
  if (existing && existing.type !== "MetricAlarm")
    throw awsError("ValidationError", `The alarm ${input.AlarmName} is a composite alarm.`); // assumed wording
  const row: AlarmRow = existing
    ? { ...existing, config: JSON.stringify(config), actionsEnabled: ActionsEnabled ?? true, configUpdatedAt: now }
    : {
        account: ctx.account,
        region: ctx.region,
        name: input.AlarmName,
        type: "MetricAlarm",
        config: JSON.stringify(config),
        actionsEnabled: ActionsEnabled ?? true,
        stateValue: "INSUFFICIENT_DATA",
        stateReason: INITIAL_REASON,
        stateReasonData: null,
        stateUpdatedAt: now,
        stateTransitionedAt: now,
        configUpdatedAt: now,
        evalState: null,
        tags: JSON.stringify(mergeTags([], Tags ?? [])),
      };
  await ctx.stores.alarms.write([
    { op: "upsert", row },
    { op: "history", item: configItem(row, existing ? "Update" : "Create", now, existing) },
  ]);
  engine.deps.wake?.();
  return {};
};
