/**
 * DescribeLogGroups: the caller's groups in ASCII order of name, by prefix, substring pattern, class or identifiers.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html
 * Vigil has no cross-account observability: includeLinkedAccounts and accountIdentifiers select nothing beyond the
 * caller's own account, as for an account that is not a monitoring account.
 */
import type { LogGroupClass, LogGroupQuery } from "../../../storage/logs-store.js";
import type { Handler } from "../../types.js";
import { groupNameFromIdentifier } from "../arns.js";
import { invalidParameter } from "../errors.js";
import { decodePageToken, encodePageToken } from "../pagination.js";
import { logGroupView, metricFilterCounts } from "../views.js";

interface DescribeLogGroupsInput {
  accountIdentifiers?: string[];
  logGroupNamePrefix?: string;
  logGroupNamePattern?: string;
  nextToken?: string;
  limit?: number;
  includeLinkedAccounts?: boolean;
  logGroupClass?: LogGroupClass;
  logGroupIdentifiers?: string[];
}

const isName = (c: unknown): c is string => typeof c === "string" && c.length > 0;

export const DescribeLogGroups: Handler = async (input: DescribeLogGroupsInput, ctx) => {
  const { logGroupNamePrefix: prefix, logGroupNamePattern: pattern, logGroupIdentifiers: identifiers } = input;
  if (prefix !== undefined && pattern !== undefined)
    throw invalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
  // "If you specify this parameter, the only other filter that you can choose to specify is includeLinkedAccounts."
  if (identifiers !== undefined && (prefix !== undefined || pattern !== undefined))
    throw invalidParameter(
      "LogGroup identifiers and LogGroup name prefix or pattern are mutually exclusive parameters.",
    );

  const names = identifiers?.flatMap((id) => groupNameFromIdentifier(ctx, id) ?? []);
  const binding = [ctx.account, ctx.region, "DescribeLogGroups", prefix, pattern, input.logGroupClass, identifiers];
  const after = input.nextToken === undefined ? undefined : decodePageToken(input.nextToken, binding, isName);
  const limit = input.limit ?? 50;
  const q: LogGroupQuery = {
    prefix,
    contains: pattern,
    names,
    logGroupClass: input.logGroupClass,
    after,
    limit: limit + 1,
  };
  const found = await ctx.stores.logs.groups(ctx, q);
  const page = found.slice(0, limit);
  const counts = await metricFilterCounts(ctx, page);
  return {
    logGroups: page.map((g) => logGroupView(ctx, g, counts.get(g.id) ?? 0, pattern !== undefined)),
    nextToken: found.length > limit ? encodePageToken(binding, page[page.length - 1]!.name) : undefined,
  };
};
