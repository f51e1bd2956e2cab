/** EventBridge (awsJson1_1, AWSEvents): operations arrive with their issue; until then every operation answers NotImplemented. */
import type { ServiceDef } from "../types.js";

export const events: ServiceDef = {
  name: "events",
  signingName: "events",
  eventSource: "events.amazonaws.com",
  protocols: ["awsJson1_1"],
  validationErrorCode: "ValidationException",
  handlers: {},
  dataEvents: new Set(["PutEvents"]),
  resourceMembers: { Name: "AWS::Events::Rule", Rule: "AWS::Events::Rule", EventBusName: "AWS::Events::EventBus" },
};
