/**
 * PutCompositeAlarm: creates or replaces a composite alarm. The rule must parse, name existing alarms and not make
 * a cycle; the alarm is evaluated against its children at once.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html
 */
import { awsError } from "../../../../errors/index.js";
import type { Handler } from "../../../types.js";
import { parseRule, referencedName, ruleAlarms } from "../composite.js";
import { compositeConfig, type CompositeAlarmConfig, type Tag } from "../model.js";
import { checkActions } from "../validate.js";
import { checkTags, engineOf, saveAlarm } from "./common.js";

type Input = Partial<CompositeAlarmConfig> & {
  AlarmName: string;
  AlarmRule: string;
  ActionsEnabled?: boolean;
  Tags?: Tag[];
};

const MAX_SUPPRESSOR_PERIOD = 86_400 * 7;

export const PutCompositeAlarm: Handler = async (input: Input, ctx) => {
  const { ActionsEnabled, Tags, ...rest } = input;
  const config: CompositeAlarmConfig = {
    ...rest,
    OKActions: rest.OKActions ?? [],
    AlarmActions: rest.AlarmActions ?? [],
    InsufficientDataActions: rest.InsufficientDataActions ?? [],
  };
  if (config.ActionsSuppressor) {
    config.ActionsSuppressorWaitPeriod ??= 60;
    config.ActionsSuppressorExtensionPeriod ??= 60;
    for (const [k, v] of [
      ["ActionsSuppressorWaitPeriod", config.ActionsSuppressorWaitPeriod],
      ["ActionsSuppressorExtensionPeriod", config.ActionsSuppressorExtensionPeriod],
    ] as const)
      if (v < 0 || v > MAX_SUPPRESSOR_PERIOD)
        throw awsError("ValidationError", `${k} must be between 0 and ${MAX_SUPPRESSOR_PERIOD} seconds.`); // assumed
  } else if (
    config.ActionsSuppressorWaitPeriod !== undefined ||
    config.ActionsSuppressorExtensionPeriod !== undefined
  ) {
    throw awsError(
      "ValidationError",
      "ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod require ActionsSuppressor.",
    ); // assumed wording
  }
  const rule = parseRule(config.AlarmRule);
  checkActions(config.OKActions, ctx.region);
  checkActions(config.AlarmActions, ctx.region);
  checkActions(config.InsufficientDataActions, ctx.region);
  checkTags(Tags);

  const rows = await ctx.stores.alarms.list(ctx.account, ctx.region);
  const byName = new Map(rows.map((r) => [r.name, r]));
  const refs = ruleAlarms(rule).map(referencedName);
  const missing = [...new Set(refs.filter((n) => !byName.has(n) && n !== input.AlarmName))];
  if (missing.length)
    throw awsError(
      "ValidationError",
      `Could not save the composite alarm as alarms [${missing.join(", ")}] in the alarm rule do not exist`,
    );
  // A rule may not reach the alarm itself through other composite alarms.
  const childrenOf = (name: string): string[] => {
    if (name === input.AlarmName) return refs;
    const r = byName.get(name);
    return r?.type === "CompositeAlarm" ? ruleAlarms(parseRule(compositeConfig(r).AlarmRule)).map(referencedName) : [];
  };
  const seen = new Set<string>();
  const stack = [...refs];
  while (stack.length) {
    const n = stack.pop()!;
    if (n === input.AlarmName)
      throw awsError("ValidationError", "Could not save the composite alarm as the alarm rule contains a cycle."); // assumed
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...childrenOf(n));
  }

  await saveAlarm(ctx, byName.get(input.AlarmName), {
    name: input.AlarmName,
    type: "CompositeAlarm",
    config,
    actionsEnabled: ActionsEnabled ?? true,
    tags: Tags ?? [],
  });
  const now = ctx.clock.now();
  const engine = engineOf(ctx);
  await engine.settleComposites(ctx.account, ctx.region, now);
  engine.deps.wake?.();
  return {};
};
