/** Subscription ARN checks, worded as SNS answers them (recorded). */
import { invalidParameter } from "./errors.js";

export function checkSubscriptionArn(arn: string | undefined): string {
  if (!arn) throw invalidParameter("SubscriptionArn Reason: no value for required parameter");
  const parts = arn.split(":");
  if (parts.length < 6)
    throw invalidParameter(`SubscriptionArn Reason: An ARN must have at least 6 elements, not ${parts.length}`);
  if (parts.length !== 7 || parts[2] !== "sns") throw invalidParameter("SubscriptionId");
  return arn;
}
