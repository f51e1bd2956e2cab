/** DeleteArchive: the archive and the events it kept. */
import type { Handler } from "../../types.js";
import { requireArchive } from "../archives/resources.js";
import { invalidateBus } from "../bus-cache.js";

export const DeleteArchive: Handler = async (input, ctx) => {
  const a = await requireArchive(ctx.stores, ctx, input.ArchiveName);
  await ctx.stores.events.delete(ctx, "archive", "", a.name);
  invalidateBus(ctx.stores, ctx, a.bus);
  await ctx.stores.events.purgeArchive(ctx, a.name);
  return {};
};
