/** ListArchives: by name, NamePrefix, EventSourceArn (a bus that must exist), State, Limit/NextToken. */
import type { Handler } from "../../types.js";
import { archiveView, type ArchiveDoc } from "../archives/resources.js";
import { decodeToken, page, requireBus, resolveBus } from "../resources.js";

export const ListArchives: Handler = async (input, ctx) => {
  let bus: string | undefined;
  if (input.EventSourceArn !== undefined) {
    const ref = resolveBus(ctx, input.EventSourceArn);
    await requireBus(ctx.stores, ref, ref.name, ctx.clock.now());
    bus = ref.name;
  }
  const rows = await ctx.stores.events.list<ArchiveDoc>(ctx, "archive", {
    parent: "",
    prefix: input.NamePrefix,
    after: decodeToken(input.NextToken),
  });
  const all = rows
    .map((r) => r.doc)
    .filter((a) => (bus === undefined || a.bus === bus) && (!input.State || a.state === input.State));
  const { items, next } = page(all, input.Limit, (a) => a.name);
  const out = [];
  for (const a of items) out.push(await archiveView(ctx.stores, ctx, a));
  return { Archives: out, NextToken: next };
};
