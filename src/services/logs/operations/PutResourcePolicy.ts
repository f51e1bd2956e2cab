/**
 * PutResourcePolicy: creates or replaces an account resource policy that lets AWS services put events.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutResourcePolicy.html
 */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import {
  checkPolicyDocument,
  MAX_RESOURCE_POLICIES,
  missing,
  resourcePolicyView,
  resourceScopedNotImplemented,
} from "../resource-policies.js";

interface PutResourcePolicyInput {
  policyName?: string;
  policyDocument?: string;
  resourceArn?: string;
  expectedRevisionId?: string;
}

export const PutResourcePolicy: Handler = async (input: PutResourcePolicyInput, ctx) => {
  if (input.resourceArn !== undefined) throw resourceScopedNotImplemented("PutResourcePolicy");
  if (input.policyName === undefined) throw missing("policyName");
  if (input.policyDocument === undefined) throw missing("policyDocument");
  checkPolicyDocument(input.policyDocument);
  const put = await ctx.stores.logs.putResourcePolicy(
    ctx,
    { name: input.policyName, document: input.policyDocument, lastUpdated: ctx.clock.now() },
    MAX_RESOURCE_POLICIES,
  );
  // Recorded: creating an 11th policy answers LimitExceededException "Resource limit exceeded.".
  if (put === "limit") throw awsError("LimitExceededException", "Resource limit exceeded.");
  return { resourcePolicy: resourcePolicyView(put) };
};
