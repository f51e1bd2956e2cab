/** UpdateArchive: description, pattern, retention; at least one of them (recorded message). */
import { awsError } from "../../../errors/index.js";
import { compilePattern } from "../../../event-patterns/index.js";
import type { Handler } from "../../types.js";
import { archiveArn, requireArchive } from "../archives/resources.js";
import { invalidateBus } from "../bus-cache.js";

export const UpdateArchive: Handler = async (input, ctx) => {
  if (input.Description === undefined && input.EventPattern === undefined && input.RetentionDays === undefined)
    throw awsError(
      "ValidationException",
      "At least one of EventPattern, RetentionDays or Description must be provided.",
    );
  const a = await requireArchive(ctx.stores, ctx, input.ArchiveName);
  if (input.EventPattern !== undefined) {
    compilePattern(input.EventPattern);
    a.eventPattern = input.EventPattern;
  }
  if (input.Description !== undefined) a.description = input.Description;
  if (input.RetentionDays !== undefined) a.retentionDays = input.RetentionDays;
  await ctx.stores.events.put(ctx, "archive", "", a.name, a);
  invalidateBus(ctx.stores, ctx, a.bus);
  return { ArchiveArn: archiveArn(ctx, a.name), State: a.state, CreationTime: a.createdAt };
};
