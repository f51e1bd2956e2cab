/** What GetLogEvents and FilterLogEvents share: finding the group they name, and the bounds of a page. */
import type { RequestContext } from "../types.js";
import type { LogGroupRef } from "../../storage/log-events-store.js";
import { groupNameFromIdentifier } from "./arns.js";
import { groupNotFound, invalidParameter, nameAndIdentifier } from "./errors.js";

/** A page holds at most 10,000 events and 1 MB, counted as PutLogEvents counts a batch (UTF-8 bytes + 26 each). */
export const MAX_PAGE_EVENTS = 10_000;
export const MAX_PAGE_BYTES = 1_048_576;

const DAY_MS = 24 * 3600 * 1000;

/** The group named by `logGroupName` or `logGroupIdentifier` (its name or ARN), exactly one of them. */
export async function targetGroup(
  ctx: RequestContext,
  logGroupName: string | undefined,
  logGroupIdentifier: string | undefined,
  streamName?: string,
): Promise<{ group: LogGroupRef; streamId?: number }> {
  if (logGroupName !== undefined && logGroupIdentifier !== undefined) throw nameAndIdentifier();
  if (logGroupName === undefined && logGroupIdentifier === undefined)
    throw invalidParameter("Either LogGroup name or LogGroup ARN must be specified.");
  const name = logGroupName ?? groupNameFromIdentifier(ctx, logGroupIdentifier!);
  if (name === undefined) throw groupNotFound();
  const { group, streamId } = await ctx.stores.logEvents.target(ctx.account, ctx.region, name, streamName);
  if (!group) throw groupNotFound();
  return { group, streamId };
}

/** Reads never return events past the group's retention, even before the retention job deleted them. */
export const retentionFloor = (group: LogGroupRef, now: number): number =>
  group.retentionDays === null ? 0 : now - group.retentionDays * DAY_MS;
