/** Kinesis Data Streams (awsJson1_1): operations arrive with their issue; until then every operation answers NotImplemented. */
import type { ServiceDef } from "../types.js";

export const kinesis: ServiceDef = {
  name: "kinesis",
  signingName: "kinesis",
  eventSource: "kinesis.amazonaws.com",
  protocols: ["awsJson1_1"],
  validationErrorCode: "ValidationException",
  handlers: {},
  dataEvents: new Set(["PutRecord", "PutRecords", "GetRecords", "GetShardIterator", "SubscribeToShard"]),
  resourceMembers: { StreamName: "AWS::Kinesis::Stream", StreamARN: "AWS::Kinesis::Stream" },
};
