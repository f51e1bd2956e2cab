/** SNS's errors, worded as AWS answers them (recorded in conformance/aws-recordings/sns). */
import { awsError } from "../../errors/index.js";

export const invalidParameter = (message: string) => awsError("InvalidParameter", `Invalid parameter: ${message}`);
/** InvalidParameter whose message is not prefixed (e.g. "Invalid token"). */
export const invalidParameterRaw = (message: string) => awsError("InvalidParameter", message);
export const parameterValueInvalid = (message: string) => awsError("ParameterValueInvalid", message);
export const topicNotFound = () => awsError("NotFound", "Topic does not exist", 404);
export const subscriptionNotFound = () => awsError("NotFound", "Subscription does not exist", 404);
export const resourceNotFound = () => awsError("ResourceNotFound", "Resource does not exist", 404);
export const authorizationError = (message: string) => awsError("AuthorizationError", message, 403);

/**
 * SNS checks an ARN parameter's shape before looking it up: "Invalid parameter: TopicArn Reason: An ARN must have at
 * least 6 elements, not 1". Returns the ARN's parts.
 */
export function checkArn(param: string, arn: string): string[] {
  const parts = arn.split(":");
  if (parts.length < 6)
    throw invalidParameter(`${param} Reason: An ARN must have at least 6 elements, not ${parts.length}`);
  return parts;
}

/** A topic ARN: arn:aws:sns:<region>:<account>:<name>. */
export function parseTopicArn(param: string, arn: string): { region: string; account: string; name: string } {
  const parts = checkArn(param, arn);
  if (parts[2] !== "sns" || parts.length !== 6) throw invalidParameter(param);
  return { region: parts[3]!, account: parts[4]!, name: parts[5]! };
}
