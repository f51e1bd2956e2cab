/** UntagResource: removes tags by key (absent keys are ignored, as recorded). */
import type { Handler } from "../../types.js";
import { taggedResource } from "../tags.js";

export const UntagResource: Handler = async (input, ctx) => {
  const r = await taggedResource(ctx.stores, input.ResourceARN, ctx.clock.now());
  const drop = new Set<string>(input.TagKeys);
  await r.save(r.tags.filter((t) => !drop.has(t.Key)));
  return {};
};
