/**
 * PutRule: creates or replaces a rule on a bus (by name or ARN; default when omitted), with an event pattern and/or a
 * schedule (schedules only on the default bus). A replaced rule keeps its targets, and its tags when none are given.
 */
import { awsError } from "../../../errors/index.js";
import { compilePattern } from "../../../event-patterns/index.js";
import type { Handler } from "../../types.js";
import { invalidateBus } from "../bus-cache.js";
import { findBus, busNotFound, DEFAULT_BUS, resolveBus, ruleArn, type RuleDoc } from "../resources.js";
import { parseSchedule } from "../schedule/index.js";
import { eventsEnv } from "../state.js";

export const PutRule: Handler = async (input, ctx) => {
  const name: string = input.Name;
  const bus = resolveBus(ctx, input.EventBusName);
  if (input.EventPattern === undefined && input.ScheduleExpression === undefined)
    throw awsError("ValidationException", "Parameter(s) EventPattern or ScheduleExpression must be specified.");
  if (input.ScheduleExpression !== undefined) {
    if (bus.name !== DEFAULT_BUS)
      throw awsError("ValidationException", "ScheduleExpression is supported only on the default event bus.");
    if (!parseSchedule(input.ScheduleExpression))
      throw awsError("ValidationException", "Parameter ScheduleExpression is not valid.");
  }
  if (input.EventPattern !== undefined) compilePattern(input.EventPattern); // throws InvalidEventPatternException
  if (!(await findBus(ctx.stores, bus, bus.name, ctx.clock.now()))) throw busNotFound(bus.name);
  const old = await ctx.stores.events.get<RuleDoc>(bus, "rule", bus.name, name);
  const doc: RuleDoc = {
    name,
    bus: bus.name,
    ...(input.EventPattern !== undefined ? { eventPattern: input.EventPattern } : {}),
    ...(input.ScheduleExpression !== undefined ? { scheduleExpression: input.ScheduleExpression } : {}),
    state: input.State ?? "ENABLED",
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.RoleArn !== undefined ? { roleArn: input.RoleArn } : {}),
    createdBy: old?.createdBy ?? ctx.account,
    tags: input.Tags ?? old?.tags ?? [],
    scheduleAnchor: ctx.clock.now(),
  };
  await ctx.stores.events.put(bus, "rule", bus.name, name, doc);
  invalidateBus(ctx.stores, bus, bus.name);
  eventsEnv(ctx.stores).scheduleChanged?.(bus.account, bus.region, bus.name, name, doc);
  return { RuleArn: ruleArn(bus, bus.name, name) };
};
