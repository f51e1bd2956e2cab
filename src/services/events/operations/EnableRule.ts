/** EnableRule / DisableRule: switch a rule's State; a re-enabled rate schedule counts its period from now. */
import type { Handler, RequestContext } from "../../types.js";
import { invalidateBus } from "../bus-cache.js";
import { requireRule, type RuleState } from "../resources.js";
import { eventsEnv } from "../state.js";

export async function setRuleState(
  input: { Name: string; EventBusName?: string },
  ctx: RequestContext,
  state: RuleState,
) {
  const { bus, rule } = await requireRule(ctx.stores, ctx, input.Name, input.EventBusName, ctx.clock.now());
  if (rule.state === state) return {};
  rule.state = state;
  rule.scheduleAnchor = ctx.clock.now();
  await ctx.stores.events.put(bus, "rule", bus.name, rule.name, rule);
  invalidateBus(ctx.stores, bus, bus.name);
  eventsEnv(ctx.stores).scheduleChanged?.(bus.account, bus.region, bus.name, rule.name, rule);
  return {};
}

export const EnableRule: Handler = (input, ctx) => setRuleState(input, ctx, "ENABLED");
