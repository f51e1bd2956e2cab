/** ListRuleNamesByTarget: the names of a bus's rules with a target of the given ARN, by name, with Limit/NextToken. */
import type { Handler } from "../../types.js";
import { decodeToken, page, requireBus, resolveBus, targetParent, type TargetDoc } from "../resources.js";

export const ListRuleNamesByTarget: Handler = async (input, ctx) => {
  const bus = resolveBus(ctx, input.EventBusName);
  await requireBus(ctx.stores, bus, bus.name, ctx.clock.now());
  const after = decodeToken(input.NextToken);
  const prefix = targetParent(bus.name, "");
  const names = new Set<string>();
  for (const t of await ctx.stores.events.list<TargetDoc>(bus, "target", {})) {
    if (!t.parent.startsWith(prefix) || t.doc.Arn !== input.TargetArn) continue;
    const rule = t.parent.slice(prefix.length);
    if (after === undefined || rule > after) names.add(rule);
  }
  const sorted = [...names].sort();
  const { items, next } = page(sorted, input.Limit, (n) => n);
  return { RuleNames: items, NextToken: next };
};
