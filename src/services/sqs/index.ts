/** SQS (JSON 1.0 AmazonSQS and Query): operations arrive with their issue; until then every operation answers NotImplemented. */
import type { ServiceDef } from "../types.js";

export const sqs: ServiceDef = {
  name: "sqs",
  signingName: "sqs",
  eventSource: "sqs.amazonaws.com",
  protocols: ["awsJson1_0", "awsQuery"],
  validationErrorCode: "ValidationError",
  handlers: {},
  dataEvents: new Set([
    "SendMessage",
    "SendMessageBatch",
    "ReceiveMessage",
    "DeleteMessage",
    "DeleteMessageBatch",
    "ChangeMessageVisibility",
    "ChangeMessageVisibilityBatch",
  ]),
  resourceMembers: { QueueUrl: "AWS::SQS::Queue", QueueName: "AWS::SQS::Queue" },
};
