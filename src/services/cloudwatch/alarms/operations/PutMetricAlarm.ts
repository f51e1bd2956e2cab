/**
 * PutMetricAlarm: creates or replaces a metric alarm. A new alarm starts INSUFFICIENT_DATA ("Unchecked: Initial alarm
 * creation"); an update keeps the state, replaces the whole configuration and ignores Tags (AWS).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
import { awsError } from "../../../../errors/index.js";
import type { Handler } from "../../../types.js";
import type { MetricAlarmConfig, Tag } from "../model.js";
import { checkPutMetricAlarm } from "../validate.js";
import { checkTags, engineOf, saveAlarm } from "./common.js";

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
  const existing = await ctx.stores.alarms.get(ctx.account, ctx.region, input.AlarmName);
  await saveAlarm(ctx, existing, {
    name: input.AlarmName,
    type: "MetricAlarm",
    config,
    actionsEnabled: ActionsEnabled ?? true,
    tags: Tags ?? [],
  });
  const engine = engineOf(ctx);
  engine.deps.wake?.();
  return {};
};
