/** The CloudWatch Logs errors several operations answer, with AWS's messages (conformance/aws-recordings/logs). */
import { awsError } from "../../errors/index.js";

export const groupNotFound = () => awsError("ResourceNotFoundException", "The specified log group does not exist.");

export const streamNotFound = () => awsError("ResourceNotFoundException", "The specified log stream does not exist.");

export const invalidParameter = (message: string) => awsError("InvalidParameterException", message);

/** GetLogEvents and FilterLogEvents were recorded answering this; the Describe operations answer the same. */
export const invalidNextToken = () => invalidParameter("The specified nextToken is invalid.");

/** Both `logGroupName` and `logGroupIdentifier` (recorded on DescribeLogStreams). */
export const nameAndIdentifier = () =>
  awsError("ValidationException", "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
