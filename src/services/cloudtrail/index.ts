/** CloudTrail (awsJson1_1): event history now; trails, digests and Insights arrive with their issue. */
import type { ServiceDef } from "../types.js";
import { LookupEvents } from "./operations/LookupEvents.js";

export const cloudtrail: ServiceDef = {
  name: "cloudtrail",
  signingName: "cloudtrail",
  eventSource: "cloudtrail.amazonaws.com",
  protocols: ["awsJson1_1"],
  validationErrorCode: "ValidationException",
  handlers: { LookupEvents },
  validationCodes: {
    LookupEvents: {
      maxResults: "InvalidMaxResultsException",
      eventCategory: "InvalidEventCategoryException",
      lookupAttributes: "InvalidLookupAttributesException",
    },
  },
  resourceMembers: { Name: "AWS::CloudTrail::Trail", TrailName: "AWS::CloudTrail::Trail" },
};
