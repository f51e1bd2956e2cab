/**
 * DeleteResourcePolicy: removes an account resource policy by name.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteResourcePolicy.html
 */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { missing, resourceScopedNotImplemented } from "../resource-policies.js";

interface DeleteResourcePolicyInput {
  policyName?: string;
  resourceArn?: string;
  expectedRevisionId?: string;
}

export const DeleteResourcePolicy: Handler = async (input: DeleteResourcePolicyInput, ctx) => {
  if (input.resourceArn !== undefined) throw resourceScopedNotImplemented("DeleteResourcePolicy");
  if (input.policyName === undefined) throw missing("policyName");
  if (!(await ctx.stores.logs.deleteResourcePolicy(ctx, input.policyName)))
    // Recorded message, with the name in brackets.
    throw awsError("ResourceNotFoundException", `Policy with name [${input.policyName}] does not exist.`);
  return {};
};
