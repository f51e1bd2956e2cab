/** DeleteApiDestination. */
import type { Handler } from "../../types.js";
import { requireDestination } from "../api-destinations/resources.js";

export const DeleteApiDestination: Handler = async (input, ctx) => {
  const d = await requireDestination(ctx.stores, ctx, input.Name, "delete");
  await ctx.stores.events.delete(ctx, "destination", "", d.name);
  return {};
};
