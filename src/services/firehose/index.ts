/** Data Firehose (awsJson1_1): operations arrive with their issue; until then every operation answers NotImplemented. */
import type { ServiceDef } from "../types.js";

export const firehose: ServiceDef = {
  name: "firehose",
  signingName: "firehose",
  eventSource: "firehose.amazonaws.com",
  protocols: ["awsJson1_1"],
  validationErrorCode: "InvalidArgumentException",
  handlers: {},
  dataEvents: new Set(["PutRecord", "PutRecordBatch"]),
  resourceMembers: { DeliveryStreamName: "AWS::KinesisFirehose::DeliveryStream" },
};
