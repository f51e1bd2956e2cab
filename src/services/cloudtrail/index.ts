/** CloudTrail (awsJson1_1): event history, trails (delivery, digests: see runtime.ts), selectors, tags, public keys. */
import type { ServiceDef } from "../types.js";
import { awsError, type AwsError } from "../../errors/index.js";
import { CreateTrail } from "./operations/CreateTrail.js";
import { DeleteTrail } from "./operations/DeleteTrail.js";
import { DescribeTrails } from "./operations/DescribeTrails.js";
import { GetEventSelectors } from "./operations/GetEventSelectors.js";
import { GetInsightSelectors } from "./operations/GetInsightSelectors.js";
import { GetTrail } from "./operations/GetTrail.js";
import { GetTrailStatus } from "./operations/GetTrailStatus.js";
import { ListPublicKeys } from "./operations/ListPublicKeys.js";
import { ListTrails } from "./operations/ListTrails.js";
import { LookupEvents } from "./operations/LookupEvents.js";
import { PutEventSelectors } from "./operations/PutEventSelectors.js";
import { PutInsightSelectors } from "./operations/PutInsightSelectors.js";
import { StartLogging } from "./operations/StartLogging.js";
import { StopLogging } from "./operations/StopLogging.js";
import { AddTags, ListTags, RemoveTags } from "./operations/tags.js";
import { UpdateTrail } from "./operations/UpdateTrail.js";

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
  handlers: {
    LookupEvents,
    CreateTrail,
    UpdateTrail,
    DeleteTrail,
    GetTrail,
    DescribeTrails,
    ListTrails,
    GetTrailStatus,
    StartLogging,
    StopLogging,
    PutEventSelectors,
    GetEventSelectors,
    PutInsightSelectors,
    GetInsightSelectors,
    AddTags,
    RemoveTags,
    ListTags,
    ListPublicKeys,
  },
  rewriteValidationError,
  resourceMembers: { Name: "AWS::CloudTrail::Trail", TrailName: "AWS::CloudTrail::Trail" },
};
