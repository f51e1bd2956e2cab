/**
 * PutLogEvents: appends a batch to a stream, skipping (and reporting) the events too old, too new or past the
 * group's retention. Answered only after the chunk committed.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
 */
import type { Handler } from "../../types.js";
import type { InputLogEvent } from "../admit.js";
import { ingestLogEvents } from "../ingest.js";
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

export const PutLogEvents: Handler = async (input: PutLogEventsInput, ctx) => {
  const now = ctx.clock.now();
  const { streamId, rejected } = await ingestLogEvents(
    {
      stores: ctx.stores,
      now,
      onListenerError: (err) => ctx.log.error({ err }, "logs: ingest listener failed"),
    },
    {
      account: ctx.account,
      region: ctx.region,
      logGroupName: input.logGroupName,
      logStreamName: input.logStreamName,
      logEvents: input.logEvents,
    },
  );
  return { nextSequenceToken: sequenceToken(streamId, now), rejectedLogEventsInfo: rejected };
};
