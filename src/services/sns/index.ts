/** SNS (Query): topics, subscriptions (sqs, http/https, email/email-json), publishing with durable fan-out. */
import type { ServiceDef } from "../types.js";
import { ConfirmSubscription } from "./operations/ConfirmSubscription.js";
import { CreateTopic } from "./operations/CreateTopic.js";
import { DeleteTopic } from "./operations/DeleteTopic.js";
import { GetSubscriptionAttributes } from "./operations/GetSubscriptionAttributes.js";
import { GetTopicAttributes } from "./operations/GetTopicAttributes.js";
import { ListSubscriptions } from "./operations/ListSubscriptions.js";
import { ListSubscriptionsByTopic } from "./operations/ListSubscriptionsByTopic.js";
import { ListTagsForResource } from "./operations/ListTagsForResource.js";
import { ListTopics } from "./operations/ListTopics.js";
import { Publish } from "./operations/Publish.js";
import { PublishBatch } from "./operations/PublishBatch.js";
import { SetSubscriptionAttributes } from "./operations/SetSubscriptionAttributes.js";
import { SetTopicAttributes } from "./operations/SetTopicAttributes.js";
import { Subscribe } from "./operations/Subscribe.js";
import { TagResource } from "./operations/TagResource.js";
import { Unsubscribe } from "./operations/Unsubscribe.js";
import { UntagResource } from "./operations/UntagResource.js";

export const sns: ServiceDef = {
  name: "sns",
  signingName: "sns",
  eventSource: "sns.amazonaws.com",
  protocols: ["awsQuery"],
  validationErrorCode: "ValidationError",
  handlers: {
    ConfirmSubscription,
    CreateTopic,
    DeleteTopic,
    GetSubscriptionAttributes,
    GetTopicAttributes,
    ListSubscriptions,
    ListSubscriptionsByTopic,
    ListTagsForResource,
    ListTopics,
    Publish,
    PublishBatch,
    SetSubscriptionAttributes,
    SetTopicAttributes,
    Subscribe,
    TagResource,
    Unsubscribe,
    UntagResource,
  },
  dataEvents: new Set(["Publish", "PublishBatch"]),
  resourceMembers: { TopicArn: "AWS::SNS::Topic", SubscriptionArn: "AWS::SNS::Subscription" },
};
