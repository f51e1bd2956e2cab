/** ListReplays: by name, NamePrefix, State, EventSourceArn (the archive), Limit/NextToken. */
import type { Handler } from "../../types.js";
import { archiveArn, replayView, type ReplayDoc } from "../archives/resources.js";
import { decodeToken, page } from "../resources.js";

export const ListReplays: Handler = async (input, ctx) => {
  const rows = await ctx.stores.events.list<ReplayDoc>(ctx, "replay", {
    parent: "",
    prefix: input.NamePrefix,
    after: decodeToken(input.NextToken),
  });
  const all = rows
    .map((r) => r.doc)
    .filter(
      (r) =>
        (!input.State || r.state === input.State) &&
        (!input.EventSourceArn || archiveArn(ctx, r.archive) === input.EventSourceArn),
    );
  const { items, next } = page(all, input.Limit, (r) => r.name);
  return { Replays: items.map((r) => replayView(ctx, r)), NextToken: next };
};
