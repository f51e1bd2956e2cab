/** DeleteEventBus: a custom bus with its rules and their targets; the default bus cannot be deleted. */
import { awsError } from "../../../errors/index.js";
import type { EventsWrite } from "../../../storage/events-store.js";
import type { Handler } from "../../types.js";
import { invalidateBus } from "../bus-cache.js";
import { busNotFound, DEFAULT_BUS, targetParent, type RuleDoc } from "../resources.js";

export const DeleteEventBus: Handler = async (input, ctx) => {
  const name: string = input.Name;
  if (name === DEFAULT_BUS) throw awsError("ValidationException", "Cannot delete event bus default.");
  if (!(await ctx.stores.events.get(ctx, "bus", "", name))) throw busNotFound(name);
  const rules = await ctx.stores.events.list<RuleDoc>(ctx, "rule", { parent: name });
  const writes: EventsWrite[] = [{ op: "delete", kind: "bus", parent: "", name }];
  for (const r of rules) {
    writes.push({ op: "deleteAll", kind: "target", parent: targetParent(name, r.name) });
    writes.push({ op: "delete", kind: "rule", parent: name, name: r.name });
  }
  await ctx.stores.events.apply(ctx, writes);
  invalidateBus(ctx.stores, ctx, name);
  return {};
};
