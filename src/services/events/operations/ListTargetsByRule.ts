/** ListTargetsByRule: a rule's targets as PutTargets stored them, by Id, with Limit/NextToken. */
import type { Handler } from "../../types.js";
import { decodeToken, page, requireRule, targetParent, type TargetDoc } from "../resources.js";

export const ListTargetsByRule: Handler = async (input, ctx) => {
  const { bus, rule } = await requireRule(ctx.stores, ctx, input.Rule, input.EventBusName, ctx.clock.now());
  const rows = await ctx.stores.events.list<TargetDoc>(bus, "target", {
    parent: targetParent(bus.name, rule.name),
    after: decodeToken(input.NextToken),
  });
  const { items, next } = page(rows, input.Limit, (r) => r.name);
  return { Targets: items.map((r) => r.doc), NextToken: next };
};
