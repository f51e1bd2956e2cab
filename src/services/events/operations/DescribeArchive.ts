/** DescribeArchive: with the event count and bytes kept. */
import type { Handler } from "../../types.js";
import { archiveArn, archiveView, requireArchive } from "../archives/resources.js";

export const DescribeArchive: Handler = async (input, ctx) => {
  const a = await requireArchive(ctx.stores, ctx, input.ArchiveName);
  return {
    ArchiveArn: archiveArn(ctx, a.name),
    ...(await archiveView(ctx.stores, ctx, a)),
    Description: a.description,
    EventPattern: a.eventPattern,
  };
};
