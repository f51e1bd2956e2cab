/** DeleteRule: refused while the rule has targets unless Force; deleting a missing rule succeeds (AWS is idempotent). */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { invalidateBus } from "../bus-cache.js";
import { requireBus, resolveBus, targetParent, type RuleDoc } from "../resources.js";
import { eventsEnv } from "../state.js";

export const DeleteRule: Handler = async (input, ctx) => {
  const bus = resolveBus(ctx, input.EventBusName);
  await requireBus(ctx.stores, bus, bus.name, ctx.clock.now());
  const rule = await ctx.stores.events.get<RuleDoc>(bus, "rule", bus.name, input.Name);
  if (!rule) return {};
  const parent = targetParent(bus.name, rule.name);
  const targets = await ctx.stores.events.list(bus, "target", { parent, limit: 1 });
  if (targets.length > 0 && !input.Force)
    throw awsError("ValidationException", "Rule can't be deleted since it has targets.");
  await ctx.stores.events.apply(bus, [
    { op: "deleteAll", kind: "target", parent },
    { op: "delete", kind: "rule", parent: bus.name, name: rule.name },
  ]);
  invalidateBus(ctx.stores, bus, bus.name);
  eventsEnv(ctx.stores).scheduleChanged?.(bus.account, bus.region, bus.name, rule.name, undefined);
  return {};
};
