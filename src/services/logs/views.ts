/** LogGroup and LogStream as DescribeLogGroups and DescribeLogStreams answer them (recorded in conformance/aws-recordings/logs). */
import type { LogGroupRecord, LogsScope, LogStreamRecord } from "../../storage/logs-store.js";
import type { Stores } from "../../storage/types.js";
import { logGroupArn, logGroupArnWildcard, logStreamArn } from "./arns.js";
import { sequenceToken } from "./sequence-token.js";

/** Metric filters per group (one count per group of the page, from the metrics store when the caller has one). */
export async function metricFilterCounts(
  scope: LogsScope & { stores?: Stores },
  groups: LogGroupRecord[],
): Promise<Map<number, number>> {
  return scope.stores ? scope.stores.metrics.metricFilterCounts(groups.map((g) => g.id)) : new Map();
}

/**
 * A LogGroup. With `logGroupNamePattern` AWS leaves out storedBytes, retentionInDays, kmsKeyId and
 * deletionProtectionEnabled (documented: "only arn, creationTime, and logGroupName"; recorded: also logGroupArn,
 * logGroupClass and metricFilterCount). dataProtectionStatus appears once a data protection policy exists, which
 * Vigil does not implement yet, so it never does.
 */
export function logGroupView(scope: LogsScope, g: LogGroupRecord, metricFilterCount: number, reduced = false) {
  const common = {
    logGroupName: g.name,
    creationTime: g.creationTime,
    metricFilterCount,
    arn: logGroupArnWildcard(scope, g.name),
    logGroupClass: g.logGroupClass,
    logGroupArn: logGroupArn(scope, g.name),
  };
  if (reduced) return common;
  return {
    ...common,
    retentionInDays: g.retentionInDays ?? undefined,
    storedBytes: g.storedBytes,
    kmsKeyId: g.kmsKeyId ?? undefined,
    deletionProtectionEnabled: g.deletionProtection,
  };
}

/**
 * A LogStream. storedBytes is "no longer supported for log streams, and is always reported as zero" (model
 * documentation; recorded as 0). The event fields and uploadSequenceToken appear once the stream has events.
 */
export function logStreamView(scope: LogsScope, groupName: string, s: LogStreamRecord) {
  return {
    logStreamName: s.name,
    creationTime: s.creationTime,
    firstEventTimestamp: s.firstEventTimestamp ?? undefined,
    lastEventTimestamp: s.lastEventTimestamp ?? undefined,
    lastIngestionTime: s.lastIngestionTime ?? undefined,
    uploadSequenceToken: s.lastIngestionTime === null ? undefined : sequenceToken(s.id, s.lastIngestionTime),
    arn: logStreamArn(scope, groupName, s.name),
    storedBytes: 0,
  };
}
