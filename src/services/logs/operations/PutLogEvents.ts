/**
 * PutLogEvents: appends a batch to a stream, skipping (and reporting) the events too old, too new or past the
 * group's retention. Answered only after the chunk committed.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
 */
import type { Handler } from "../../types.js";
import { admitBatch, checkBatch, type InputLogEvent } from "../admit.js";
import { encodeSegment } from "../chunk.js";
import { groupNotFound, streamNotFound } from "../errors.js";
import { sequenceToken } from "../sequence-token.js";

interface PutLogEventsInput {
  logGroupName: string;
  logStreamName: string;
  logEvents: InputLogEvent[];
  /** Ignored, as AWS has ignored it since 2023. */
  sequenceToken?: string;
  /** Accepted and not kept: Vigil has no entity store. */
  entity?: unknown;
}

const DAY_MS = 24 * 3600 * 1000;

export const PutLogEvents: Handler = async (input: PutLogEventsInput, ctx) => {
  const measured = checkBatch(input.logEvents);
  const store = ctx.stores.logEvents;
  const { group, streamId } = await store.target(ctx.account, ctx.region, input.logGroupName, input.logStreamName);
  if (!group) throw groupNotFound();
  if (streamId === undefined) throw streamNotFound();
  const now = ctx.clock.now();
  const { accepted, rejected } = admitBatch(input.logEvents, measured, now, group.retentionDays);
  if (accepted.timestamps.length > 0) {
    const segment = encodeSegment({ ...accepted, ingestionTime: now });
    const stored = await store.append(
      {
        groupId: group.id,
        streamId,
        retentionCutoff: group.retentionDays === null ? undefined : now - group.retentionDays * DAY_MS,
      },
      { ...segment, ingestionTime: now },
    );
    if (!stored) {
      // Deleted while the batch was on its way: say which one is gone now.
      const again = await store.target(ctx.account, ctx.region, input.logGroupName);
      throw again.group ? streamNotFound() : groupNotFound();
    }
  }
  return { nextSequenceToken: sequenceToken(streamId, now), rejectedLogEventsInfo: rejected };
};
