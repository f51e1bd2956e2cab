/** ListRules: the rules of a bus by name, NamePrefix and Limit/NextToken. */
import type { Handler } from "../../types.js";
import { decodeToken, page, requireBus, resolveBus, ruleArn, type RuleDoc } from "../resources.js";

export const ListRules: Handler = async (input, ctx) => {
  const bus = resolveBus(ctx, input.EventBusName);
  await requireBus(ctx.stores, bus, bus.name, ctx.clock.now());
  const rows = await ctx.stores.events.list<RuleDoc>(bus, "rule", {
    parent: bus.name,
    prefix: input.NamePrefix,
    after: decodeToken(input.NextToken),
  });
  const { items, next } = page(rows, input.Limit, (r) => r.name);
  return {
    Rules: items.map(({ doc: r }) => ({
      Name: r.name,
      Arn: ruleArn(bus, bus.name, r.name),
      EventPattern: r.eventPattern,
      State: r.state,
      Description: r.description,
      ScheduleExpression: r.scheduleExpression,
      RoleArn: r.roleArn,
      ManagedBy: r.managedBy,
      EventBusName: bus.name,
    })),
    NextToken: next,
  };
};
