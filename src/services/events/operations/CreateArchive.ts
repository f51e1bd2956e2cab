/** CreateArchive: keeps the events of a bus (those matching EventPattern, or all) for RetentionDays (0: forever). */
import { awsError } from "../../../errors/index.js";
import { compilePattern } from "../../../event-patterns/index.js";
import type { Handler } from "../../types.js";
import { archiveArn, type ArchiveDoc } from "../archives/resources.js";
import { invalidateBus } from "../bus-cache.js";
import { busNotFound, findBus, resolveBus } from "../resources.js";

export const CreateArchive: Handler = async (input, ctx) => {
  const bus = resolveBus(ctx, input.EventSourceArn);
  if (
    bus.account !== ctx.account ||
    bus.region !== ctx.region ||
    !(await findBus(ctx.stores, bus, bus.name, ctx.clock.now()))
  )
    throw busNotFound(bus.name);
  if (input.EventPattern !== undefined) compilePattern(input.EventPattern);
  const now = ctx.clock.now();
  const doc: ArchiveDoc = {
    name: input.ArchiveName,
    bus: bus.name,
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.EventPattern !== undefined ? { eventPattern: input.EventPattern } : {}),
    retentionDays: input.RetentionDays ?? 0,
    state: "ENABLED",
    createdAt: now,
  };
  if (!(await ctx.stores.events.create(ctx, "archive", "", doc.name, doc)))
    throw awsError("ResourceAlreadyExistsException", `Archive ${doc.name} already exists.`);
  invalidateBus(ctx.stores, ctx, bus.name);
  return { ArchiveArn: archiveArn(ctx, doc.name), State: doc.state, CreationTime: now };
};
