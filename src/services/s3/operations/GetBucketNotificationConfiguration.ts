/** GetBucketNotificationConfiguration: the stored configuration, Ids included; an empty document when none. */
import type { Handler } from "../../types.js";
import { authorize } from "../objects.js";
import { parseNotification } from "../notifications.js";

export const GetBucketNotificationConfiguration: Handler = async (input, ctx) => {
  const b = await authorize(
    ctx,
    input.Bucket as string,
    "s3:GetBucketNotification",
    undefined,
    true,
    input.ExpectedBucketOwner,
  );
  return parseNotification(b.notification);
};
