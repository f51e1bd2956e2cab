/** SNS (Query): operations arrive with their issue; until then every operation answers NotImplemented. */
import type { ServiceDef } from "../types.js";

export const sns: ServiceDef = {
  name: "sns",
  signingName: "sns",
  eventSource: "sns.amazonaws.com",
  protocols: ["awsQuery"],
  validationErrorCode: "ValidationError",
  handlers: {},
  dataEvents: new Set(["Publish", "PublishBatch"]),
  resourceMembers: { TopicArn: "AWS::SNS::Topic", SubscriptionArn: "AWS::SNS::Subscription" },
};
