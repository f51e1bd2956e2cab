/**
 * The SQS errors several operations answer, with AWS's codes and messages (conformance/aws-recordings/sqs and the
 * API reference). Codes are the Query codes SQS clients know; the codec writes the JSON `__type` from the model
 * (InvalidParameterValue travels as InvalidParameterValueException with `x-amzn-query-error: InvalidParameterValue`).
 */
import { awsError } from "../../errors/index.js";
import type { RequestContext } from "../types.js";

/** Query clients were recorded getting the WSDL-era wording. */
export const queueDoesNotExist = (ctx: Pick<RequestContext, "protocol">) =>
  awsError(
    "QueueDoesNotExist",
    ctx.protocol === "awsQuery"
      ? "The specified queue does not exist for this wsdl version."
      : "The specified queue does not exist.",
  );

export const invalidParameterValue = (message: string) => awsError("InvalidParameterValue", message);

/** `Value <v> for parameter <name> is invalid. Reason: <reason>` (recorded for MaxNumberOfMessages, DelaySeconds, ...). */
export const invalidParameter = (name: string, value: unknown, reason: string) =>
  invalidParameterValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);

export const missingParameter = (name: string) =>
  awsError("MissingParameter", `The request must contain the parameter ${name}.`);

export const invalidAttributeName = (message: string) => awsError("InvalidAttributeName", message);

export const unknownAttribute = (name: string) => invalidAttributeName(`Unknown Attribute ${name}.`);

export const invalidAttributeValue = (name: string, reason?: string) =>
  awsError("InvalidAttributeValue", `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ""}`);

export const receiptHandleIsInvalid = (handle: string) =>
  awsError("ReceiptHandleIsInvalid", `The input receipt handle "${handle}" is not a valid receipt handle.`);

/** A FIFO receipt used after its receive lost the message (recorded on DeleteMessage). */
export const receiptHandleExpired = (handle: string) =>
  invalidParameter("ReceiptHandle", handle, "The receipt handle has expired.");

export const invalidAddress = (address: string) =>
  awsError("InvalidAddress", `The address ${address} is not valid for this endpoint.`);

export const resourceNotFound = (message: string) => awsError("ResourceNotFoundException", message, 404);

export const unsupportedOperation = (message: string) => awsError("UnsupportedOperation", message);
