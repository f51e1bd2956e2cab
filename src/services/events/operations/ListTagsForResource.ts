/** ListTagsForResource: the tags of a bus or rule. */
import type { Handler } from "../../types.js";
import { taggedResource } from "../tags.js";

export const ListTagsForResource: Handler = async (input, ctx) => {
  const r = await taggedResource(ctx.stores, input.ResourceARN, ctx.clock.now());
  return { Tags: r.tags };
};
