/** DeleteObject: 204 whether or not the key existed (unversioned buckets); ObjectRemoved:Delete when it did. */
import type { Handler } from "../../types.js";
import { authorize, eventSourceOf, removeObject } from "../objects.js";

export const DeleteObject: Handler = async (input, ctx) => {
  const b = await authorize(
    ctx,
    input.Bucket as string,
    "s3:DeleteObject",
    input.Key as string,
    false,
    input.ExpectedBucketOwner,
  );
  await removeObject(ctx.stores, b, input.Key as string, ctx.clock.now(), eventSourceOf(ctx, "DeleteObject"));
  return {};
};
