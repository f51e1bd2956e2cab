/** RemoveTargets: removes targets of a rule by Id (an Id the rule does not have is not an error). */
import type { Handler } from "../../types.js";
import { invalidateBus } from "../bus-cache.js";
import { requireRule, targetParent } from "../resources.js";

export const RemoveTargets: Handler = async (input, ctx) => {
  const { bus, rule } = await requireRule(ctx.stores, ctx, input.Rule, input.EventBusName, ctx.clock.now());
  const parent = targetParent(bus.name, rule.name);
  await ctx.stores.events.apply(
    bus,
    (input.Ids as string[]).map((id) => ({ op: "delete", kind: "target", parent, name: id })),
  );
  invalidateBus(ctx.stores, bus, bus.name);
  return { FailedEntryCount: 0, FailedEntries: [] };
};
