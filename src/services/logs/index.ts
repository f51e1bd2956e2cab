/** CloudWatch Logs (awsJson1_1, Logs_20140328). Operations without a handler answer NotImplemented. */
import { loadModel } from "../../protocol/model.js";
import type { ServiceDef } from "../types.js";
import { eventHandlers } from "./events.js";
import { metadataHandlers } from "./metadata.js";
import { metricFilterHandlers } from "./metric-filter-handlers.js";
import { exportTaskHandlers } from "./operations/export-tasks.js";
import { rewriteValidationError } from "./validation.js";

/** Logs answers InvalidParameterException where the operation models it, and ValidationException in the newer operations. */
function validationErrorCodeFor(operation: string): string {
  const errors = loadModel("logs").operations[operation]?.errors ?? [];
  return errors.some((e) => e.shape === "InvalidParameterException")
    ? "InvalidParameterException"
    : "ValidationException";
}

export const logs: ServiceDef = {
  name: "logs",
  signingName: "logs",
  eventSource: "logs.amazonaws.com",
  protocols: ["awsJson1_1"],
  validationErrorCode: "InvalidParameterException",
  validationErrorCodeFor,
  rewriteValidationError,
  handlers: { ...metadataHandlers, ...eventHandlers, ...metricFilterHandlers, ...exportTaskHandlers },
  dataEvents: new Set([
    "PutLogEvents",
    "GetLogEvents",
    "FilterLogEvents",
    "GetLogRecord",
    "StartLiveTail",
    "GetLogObject",
  ]),
  resourceMembers: {
    logGroupName: "AWS::Logs::LogGroup",
    logStreamName: "AWS::Logs::LogStream",
    destinationName: "AWS::Logs::Destination",
  },
};
