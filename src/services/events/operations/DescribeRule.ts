/** DescribeRule: a rule of a bus, with CreatedBy (the account that created it). */
import type { Handler } from "../../types.js";
import { requireRule, ruleArn } from "../resources.js";

export const DescribeRule: Handler = async (input, ctx) => {
  const { bus, rule } = await requireRule(ctx.stores, ctx, input.Name, input.EventBusName, ctx.clock.now());
  return {
    Name: rule.name,
    Arn: ruleArn(bus, bus.name, rule.name),
    EventPattern: rule.eventPattern,
    ScheduleExpression: rule.scheduleExpression,
    State: rule.state,
    Description: rule.description,
    RoleArn: rule.roleArn,
    ManagedBy: rule.managedBy,
    EventBusName: bus.name,
    CreatedBy: rule.createdBy,
  };
};
