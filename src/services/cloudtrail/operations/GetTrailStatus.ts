/**
 * GetTrailStatus: logging state and the latest delivery, notification, CloudWatch Logs and digest times and errors.
 * The "no longer in use" string members are returned too, as the AWS CLI example shows.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
 */
import type { Handler } from "../../types.js";
import { isoSeconds } from "../formats.js";
import { readState } from "../state.js";
import { findTrail } from "../trail.js";

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));
const iso = (ms: number | undefined) => (ms === undefined ? undefined : isoSeconds(ms));

export const GetTrailStatus: Handler = async (input: { Name: string }, ctx) => {
  const t = await findTrail(input.Name, ctx);
  const { logging, state: s } = await readState(ctx.stores, t.arn);
  return {
    IsLogging: logging,
    LatestDeliveryError: s.latestDeliveryError,
    LatestNotificationError: s.latestNotificationError,
    LatestDeliveryTime: date(s.latestDeliveryTime),
    LatestNotificationTime: date(s.latestNotificationTime),
    StartLoggingTime: date(s.startLoggingTime),
    StopLoggingTime: date(s.stopLoggingTime),
    LatestCloudWatchLogsDeliveryError: s.latestCloudWatchLogsDeliveryError,
    LatestCloudWatchLogsDeliveryTime: date(s.latestCloudWatchLogsDeliveryTime),
    LatestDigestDeliveryTime: date(s.latestDigestDeliveryTime),
    LatestDigestDeliveryError: s.latestDigestDeliveryError,
    LatestDeliveryAttemptTime: iso(s.latestDeliveryAttemptTime),
    LatestNotificationAttemptTime: iso(s.latestNotificationTime),
    LatestNotificationAttemptSucceeded: iso(s.latestNotificationTime),
    LatestDeliveryAttemptSucceeded: iso(s.latestDeliveryTime),
    TimeLoggingStarted: iso(s.startLoggingTime),
    TimeLoggingStopped: iso(s.stopLoggingTime),
  };
};
