/**
 * Where S3 answers a model-constraint violation with its own words rather than the generic
 * "1 validation error detected": LocationConstraint values, notification filter rule names and event types.
 * (The gateway cannot name restXml operations before decoding: the member path identifies the operation.)
 */
import { awsError, type AwsError } from "../../errors/index.js";

const VALUE = /^1 validation error detected: Value '(.*)' at '([^']+)'/s;

export function rewriteValidation(error: AwsError): AwsError {
  const m = VALUE.exec(error.message);
  if (!m) return error;
  const [, value, path] = m as unknown as [string, string, string];
  if (path === "createBucketConfiguration.locationConstraint") {
    return awsError("InvalidLocationConstraint", "The specified location-constraint is not valid", 400, {
      LocationConstraint: value,
    });
  }
  if (/\.filterRules\.\d+\.member\.name$/.test(path)) {
    return awsError("InvalidArgument", "filter rule name must be either prefix or suffix", 400, {
      ArgumentName: "FilterRule.Name",
      ArgumentValue: value,
    });
  }
  if (path.startsWith("notificationConfiguration.") && /\.events\.\d+\.member$/.test(path)) {
    return awsError("InvalidArgument", "The event is not supported for notifications", 400, {
      ArgumentName: "Event",
      ArgumentValue: value,
    });
  }
  return error;
}
