/**
 * DescribeLogStreams: a group's streams by name or by last event time, either direction.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html
 */
import type { LogStreamOrder, LogStreamQuery } from "../../../storage/logs-store.js";
import type { Handler } from "../../types.js";
import { groupNameFromIdentifier } from "../arns.js";
import { groupNotFound, invalidParameter, nameAndIdentifier } from "../errors.js";
import { decodePageToken, encodePageToken } from "../pagination.js";
import { logStreamView } from "../views.js";

interface DescribeLogStreamsInput {
  logGroupName?: string;
  logGroupIdentifier?: string;
  logStreamNamePrefix?: string;
  orderBy?: LogStreamOrder;
  descending?: boolean;
  nextToken?: string;
  limit?: number;
}

type Cursor = NonNullable<LogStreamQuery["after"]>;
const isCursor = (c: unknown): c is Cursor => {
  const x = c as Cursor;
  return (
    typeof x === "object" &&
    x !== null &&
    typeof x.name === "string" &&
    (x.lastEventTimestamp === null || Number.isSafeInteger(x.lastEventTimestamp))
  );
};

export const DescribeLogStreams: Handler = async (input: DescribeLogStreamsInput, ctx) => {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) throw nameAndIdentifier();
  if (input.logGroupName === undefined && input.logGroupIdentifier === undefined)
    throw invalidParameter("Either LogGroup name or LogGroup ARN must be specified.");
  const orderBy = input.orderBy ?? "LogStreamName";
  const prefix = input.logStreamNamePrefix;
  if (orderBy === "LastEventTime" && prefix !== undefined)
    throw invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");

  const groupName = input.logGroupName ?? groupNameFromIdentifier(ctx, input.logGroupIdentifier!);
  const group = groupName === undefined ? undefined : await ctx.stores.logs.group(ctx, groupName);
  if (!group) throw groupNotFound();

  const descending = input.descending ?? false;
  const binding = [ctx.account, ctx.region, "DescribeLogStreams", group.id, prefix, orderBy, descending];
  const after = input.nextToken === undefined ? undefined : decodePageToken(input.nextToken, binding, isCursor);
  const limit = input.limit ?? 50;
  const found = await ctx.stores.logs.streams(group.id, { prefix, orderBy, descending, after, limit: limit + 1 });
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  return {
    logStreams: page.map((s) => logStreamView(ctx, group.name, s)),
    nextToken:
      found.length > limit && last
        ? encodePageToken(binding, { name: last.name, lastEventTimestamp: last.lastEventTimestamp })
        : undefined,
  };
};
