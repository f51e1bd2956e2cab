/**
 * Where CloudWatch Logs answers a model-constraint violation with its own error instead of the generic
 * "1 validation error detected: ..." (ServiceDef.rewriteValidationError):
 * - a logGroupName or logStreamName over 512 characters: InvalidParameterException "Invalid LogGroup or LogStream,
 *   both must have length less than or equal to 512." (recorded on CreateLogGroup and DeleteMetricFilter);
 * - a tagging resourceArn the model's pattern rejects (the `:*` form DescribeLogGroups answers in `arn`):
 *   ValidationException "Invalid resourceArn", as AWS answers ListTagsForResource for that form.
 */
import { awsError, type AwsError } from "../../errors/index.js";

const NAME_TOO_LONG =
  /at '(logGroupName|logStreamName)' failed to satisfy constraint: Member must have length less than or equal to 512/;
const TAGGING = new Set(["TagResource", "UntagResource", "ListTagsForResource"]);

export const invalidResourceArn = () => awsError("ValidationException", "Invalid resourceArn");

export function rewriteValidationError(operation: string, error: AwsError): AwsError {
  if (NAME_TOO_LONG.test(error.message))
    return awsError(
      "InvalidParameterException",
      "Invalid LogGroup or LogStream, both must have length less than or equal to 512.",
    );
  if (
    TAGGING.has(operation) &&
    / at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression/.test(error.message)
  )
    return invalidResourceArn();
  return error;
}
