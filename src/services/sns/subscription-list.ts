/** The Subscription member of ListSubscriptions and ListSubscriptionsByTopic. */
import type { SubscriptionRecord } from "../../storage/sns-store.js";

export const listed = (s: SubscriptionRecord) => ({
  SubscriptionArn: s.confirmed ? s.arn : "PendingConfirmation",
  Owner: s.owner,
  Protocol: s.protocol,
  Endpoint: s.endpoint,
  TopicArn: s.topicArn,
});
