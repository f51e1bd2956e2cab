/** Helpers shared by the event path's tests (PutLogEvents, GetLogEvents, FilterLogEvents, retention). */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  type InputLogEvent,
} from "@aws-sdk/client-cloudwatch-logs";
import { unique } from "../helpers/vigil.js";

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Where the manual clock of these tests starts. */
export const T0 = Date.parse("2026-03-01T12:00:00Z");

export interface Stream {
  group: string;
  stream: string;
}

/** A new group with one stream (and a retention, when given). */
export async function newStream(logs: CloudWatchLogsClient, retentionInDays?: number): Promise<Stream> {
  const group = unique("/vigil/events");
  const stream = unique("stream");
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  if (retentionInDays !== undefined)
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  return { group, stream };
}

export async function addStream(logs: CloudWatchLogsClient, group: string, name = unique("stream")): Promise<string> {
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: name }));
  return name;
}

export async function put(logs: CloudWatchLogsClient, s: Stream, logEvents: InputLogEvent[]) {
  return logs.send(new PutLogEventsCommand({ logGroupName: s.group, logStreamName: s.stream, logEvents }));
}

/** Every event of a stream, oldest first, following nextForwardToken until it comes back unchanged. */
export async function allEvents(logs: CloudWatchLogsClient, s: Stream, limit?: number) {
  const out: { timestamp: number; message: string; ingestionTime: number }[] = [];
  let token: string | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await logs.send(
      new GetLogEventsCommand({
        logGroupName: s.group,
        logStreamName: s.stream,
        startFromHead: true,
        nextToken: token,
        limit,
      }),
    );
    for (const e of page.events ?? [])
      out.push({ timestamp: e.timestamp!, message: e.message!, ingestionTime: e.ingestionTime! });
    if (page.nextForwardToken === token) return out;
    token = page.nextForwardToken;
  }
  throw new Error("GetLogEvents never ended");
}

export const messages = async (logs: CloudWatchLogsClient, s: Stream) =>
  (await allEvents(logs, s)).map((e) => e.message);

/** n events one millisecond apart from `start`, messages `${prefix}${i}`. */
export const seq = (n: number, start: number, prefix = "event "): InputLogEvent[] =>
  Array.from({ length: n }, (_, i) => ({ timestamp: start + i, message: `${prefix}${i}` }));
