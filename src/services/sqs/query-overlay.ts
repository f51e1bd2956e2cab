/**
 * The Query wire names of SQS, which botocore's JSON model of SQS (vendored in models/sqs.json) no longer carries.
 * Traits only, keyed by the JSON model's shape and member names, copied from the last botocore SQS model that used
 * `"protocol":"query"` (botocore/data/sqs/2012-11-05/service-2.json before SQS moved to JSON 1.0, as LocalStack keeps
 * it in localstack-core/localstack/aws/data/sqs-query/). One addition: `MessageSystemAttributeList`, newer than that
 * model, is named `MessageSystemAttributeName.N` on the wire as the API reference and the SDKs that still speak Query
 * send it (kombu's SQS transport: `MessageSystemAttributeName.1`).
 *
 * Every operation with an output also gets `resultWrapper: <Operation>Result`, as in that model.
 */

export interface MemberTraits {
  locationName?: string;
  flattened?: boolean;
}

export interface ShapeTraits {
  locationName?: string;
  flattened?: boolean;
  /** List member or map key/value traits. */
  member?: MemberTraits;
  key?: MemberTraits;
  value?: MemberTraits;
  /** Structure members' traits. */
  members?: Record<string, MemberTraits>;
}

export const SQS_QUERY_NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";

const nameValue = { key: { locationName: "Name" }, value: { locationName: "Value" } };
const listValues = {
  StringListValues: { locationName: "StringListValue", flattened: true },
  BinaryListValues: { locationName: "BinaryListValue", flattened: true },
};
const messageAttributes = {
  MessageAttributes: { locationName: "MessageAttribute" },
  MessageSystemAttributes: { locationName: "MessageSystemAttribute" },
};

export const SQS_QUERY_TRAITS: Record<string, ShapeTraits> = {
  AWSAccountIdList: { member: { locationName: "AWSAccountId" } },
  ActionNameList: { member: { locationName: "ActionName" } },
  AttributeNameList: { member: { locationName: "AttributeName" } },
  BatchResultErrorEntryList: { member: { locationName: "BatchResultErrorEntry" } },
  BinaryList: { member: { locationName: "BinaryListValue" } },
  ChangeMessageVisibilityBatchRequestEntryList: {
    member: { locationName: "ChangeMessageVisibilityBatchRequestEntry" },
  },
  ChangeMessageVisibilityBatchResultEntryList: { member: { locationName: "ChangeMessageVisibilityBatchResultEntry" } },
  CreateQueueRequest: { members: { Attributes: { locationName: "Attribute" }, tags: { locationName: "Tag" } } },
  DeleteMessageBatchRequestEntryList: { member: { locationName: "DeleteMessageBatchRequestEntry" } },
  DeleteMessageBatchResultEntryList: { member: { locationName: "DeleteMessageBatchResultEntry" } },
  GetQueueAttributesResult: { members: { Attributes: { locationName: "Attribute" } } },
  ListMessageMoveTasksResultEntryList: { member: { locationName: "ListMessageMoveTasksResultEntry" } },
  ListQueueTagsResult: { members: { Tags: { locationName: "Tag" } } },
  Message: {
    members: { Attributes: { locationName: "Attribute" }, MessageAttributes: { locationName: "MessageAttribute" } },
  },
  MessageAttributeNameList: { member: { locationName: "MessageAttributeName" } },
  MessageAttributeValue: { members: listValues },
  MessageBodyAttributeMap: nameValue,
  MessageBodySystemAttributeMap: nameValue,
  MessageList: { member: { locationName: "Message" } },
  MessageSystemAttributeList: { member: { locationName: "MessageSystemAttributeName" } },
  MessageSystemAttributeMap: { ...nameValue, locationName: "Attribute" },
  MessageSystemAttributeValue: { members: listValues },
  QueueAttributeMap: { ...nameValue, locationName: "Attribute" },
  QueueUrlList: { member: { locationName: "QueueUrl" } },
  SendMessageBatchRequestEntry: { members: messageAttributes },
  SendMessageBatchRequestEntryList: { member: { locationName: "SendMessageBatchRequestEntry" } },
  SendMessageBatchResultEntryList: { member: { locationName: "SendMessageBatchResultEntry" } },
  SendMessageRequest: { members: messageAttributes },
  SetQueueAttributesRequest: { members: { Attributes: { locationName: "Attribute" } } },
  StringList: { member: { locationName: "StringListValue" } },
  TagKeyList: { member: { locationName: "TagKey" } },
  TagMap: { key: { locationName: "Key" }, value: { locationName: "Value" }, locationName: "Tag" },
};
