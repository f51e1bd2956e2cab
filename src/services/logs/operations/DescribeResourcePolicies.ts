/**
 * DescribeResourcePolicies: the account's resource policies in name order (at most 10, so pages are small).
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeResourcePolicies.html
 */
import type { Handler } from "../../types.js";
import { decodePageToken, encodePageToken } from "../pagination.js";
import { resourcePolicyView } from "../resource-policies.js";

interface DescribeResourcePoliciesInput {
  nextToken?: string;
  limit?: number;
  resourceArn?: string;
  policyScope?: "ACCOUNT" | "RESOURCE";
}

const isName = (c: unknown): c is string => typeof c === "string";

export const DescribeResourcePolicies: Handler = async (input: DescribeResourcePoliciesInput, ctx) => {
  const binding = [ctx.account, ctx.region, "DescribeResourcePolicies", input.resourceArn, input.policyScope];
  const after = input.nextToken === undefined ? undefined : decodePageToken(input.nextToken, binding, isName);
  // Resource-scoped policies are not implemented, so none exists.
  if (input.resourceArn !== undefined || input.policyScope === "RESOURCE") return { resourcePolicies: [] };
  const limit = input.limit ?? 50;
  const all = (await ctx.stores.logs.resourcePolicies(ctx)).filter(
    // UTF-8 byte order is the code-point order the store sorts by.
    (p) => after === undefined || Buffer.compare(Buffer.from(p.name), Buffer.from(after)) > 0,
  );
  const page = all.slice(0, limit);
  return {
    resourcePolicies: page.map(resourcePolicyView),
    nextToken: all.length > limit ? encodePageToken(binding, page[page.length - 1]!.name) : undefined,
  };
};
