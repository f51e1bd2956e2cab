/**
 * SQS on JSON 1.0 (`X-Amz-Target: AmazonSQS.<Operation>`, what current SDKs send) and on Query (form POSTs, XML
 * answers, as old clients send, often to the queue URL). One handler per operation in operations/; the Query wire
 * names come from query-overlay.ts (see query-compat.ts).
 */
import type { Handler, ServiceDef } from "../types.js";
import { AddPermission } from "./operations/AddPermission.js";
import { CancelMessageMoveTask } from "./operations/CancelMessageMoveTask.js";
import { ChangeMessageVisibility } from "./operations/ChangeMessageVisibility.js";
import { ChangeMessageVisibilityBatch } from "./operations/ChangeMessageVisibilityBatch.js";
import { CreateQueue } from "./operations/CreateQueue.js";
import { DeleteMessage } from "./operations/DeleteMessage.js";
import { DeleteMessageBatch } from "./operations/DeleteMessageBatch.js";
import { DeleteQueue } from "./operations/DeleteQueue.js";
import { GetQueueAttributes } from "./operations/GetQueueAttributes.js";
import { GetQueueUrl } from "./operations/GetQueueUrl.js";
import { ListDeadLetterSourceQueues } from "./operations/ListDeadLetterSourceQueues.js";
import { ListMessageMoveTasks } from "./operations/ListMessageMoveTasks.js";
import { ListQueues } from "./operations/ListQueues.js";
import { ListQueueTags } from "./operations/ListQueueTags.js";
import { PurgeQueue } from "./operations/PurgeQueue.js";
import { ReceiveMessage } from "./operations/ReceiveMessage.js";
import { RemovePermission } from "./operations/RemovePermission.js";
import { SendMessage } from "./operations/SendMessage.js";
import { SendMessageBatch } from "./operations/SendMessageBatch.js";
import { SetQueueAttributes } from "./operations/SetQueueAttributes.js";
import { StartMessageMoveTask } from "./operations/StartMessageMoveTask.js";
import { TagQueue } from "./operations/TagQueue.js";
import { UntagQueue } from "./operations/UntagQueue.js";
import { prepareSqsRequest, rewriteSqsValidationError, sqsModelFor } from "./query-compat.js";

const handlers: Record<string, Handler> = {
  AddPermission,
  CancelMessageMoveTask,
  ChangeMessageVisibility,
  ChangeMessageVisibilityBatch,
  CreateQueue,
  DeleteMessage,
  DeleteMessageBatch,
  DeleteQueue,
  GetQueueAttributes,
  GetQueueUrl,
  ListDeadLetterSourceQueues,
  ListMessageMoveTasks,
  ListQueues,
  ListQueueTags,
  PurgeQueue,
  ReceiveMessage,
  RemovePermission,
  SendMessage,
  SendMessageBatch,
  SetQueueAttributes,
  StartMessageMoveTask,
  TagQueue,
  UntagQueue,
};

export const sqs: ServiceDef = {
  name: "sqs",
  signingName: "sqs",
  eventSource: "sqs.amazonaws.com",
  protocols: ["awsJson1_0", "awsQuery"],
  validationErrorCode: "ValidationError",
  handlers,
  modelFor: sqsModelFor,
  prepareRequest: prepareSqsRequest,
  rewriteValidationError: rewriteSqsValidationError,
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
