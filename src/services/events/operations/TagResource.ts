/** TagResource: adds or replaces tags on a bus or rule. */
import type { Handler } from "../../types.js";
import { mergeTags, taggedResource } from "../tags.js";

export const TagResource: Handler = async (input, ctx) => {
  const r = await taggedResource(ctx.stores, input.ResourceARN, ctx.clock.now());
  await r.save(mergeTags(r.tags, input.Tags));
  return {};
};
