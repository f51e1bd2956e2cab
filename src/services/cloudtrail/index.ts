/** CloudTrail (awsJson1_1): event history now; trails, digests and Insights arrive with their issue. */
import type { ServiceDef } from "../types.js";
import { awsError, type AwsError } from "../../errors/index.js";
import { LookupEvents } from "./operations/LookupEvents.js";

/** LookupEvents answers its own errors for constraint violations of these members (API reference, Errors). */
const LOOKUP_EVENTS_CODES: Record<string, string> = {
  maxResults: "InvalidMaxResultsException",
  eventCategory: "InvalidEventCategoryException",
  lookupAttributes: "InvalidLookupAttributesException",
};

function rewriteValidationError(operation: string, error: AwsError): AwsError {
  const member = / at '([A-Za-z0-9]+)/.exec(error.message)?.[1];
  const code = operation === "LookupEvents" && member ? LOOKUP_EVENTS_CODES[member] : undefined;
  return code ? awsError(code, error.message, error.httpStatus) : error;
}

export const cloudtrail: ServiceDef = {
  name: "cloudtrail",
  signingName: "cloudtrail",
  eventSource: "cloudtrail.amazonaws.com",
  protocols: ["awsJson1_1"],
  validationErrorCode: "ValidationException",
  handlers: { LookupEvents },
  rewriteValidationError,
  resourceMembers: { Name: "AWS::CloudTrail::Trail", TrailName: "AWS::CloudTrail::Trail" },
};
