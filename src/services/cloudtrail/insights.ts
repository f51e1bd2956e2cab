/**
 * CloudTrail Insights (spec cloudtrail.md §6). Every --trail-insights-window seconds, for each logging trail with
 * insight selectors and each region it covers, the management calls of the last window are counted per API
 * (eventSource, eventName): write calls for ApiCallRateInsight, calls that returned an error for ApiErrorRateInsight.
 * The baseline is the average count per window over the --trail-insights-baseline seconds before it.
 *
 * AWS does not publish its detection model; Vigil's (an emulation, as the spec suggests): unusual when the window's
 * count exceeds 2 x baseline + 5. A Start record is written when an API becomes unusual and an End record when its
 * rate is back under the threshold, sharing one sharedEventID; both go to `CloudTrail-Insight/` and to the event
 * history (LookupEvents with EventCategory insight).
 */
import { randomUUID } from "node:crypto";
import { internal } from "../internal.js";
import type { Stores } from "../../storage/types.js";
import type { AuditRecordRow } from "../../storage/trails-store.js";
import { cloudTrailPublisher } from "./checks.js";
import { gzipAsync, isoSeconds, logFileBody, logFileKey, uniqueSuffix } from "./formats.js";
import { readState, withTrailLock } from "./state.js";
import { parseConfig, type Trail } from "./trail.js";

const MAX_ROWS = 200_000;

export interface ActiveInsight {
  sharedEventId: string;
  insightType: string;
  eventSource: string;
  eventName: string;
  region: string;
  start: number;
  baselineAverage: number;
  counts: number[];
}

interface Attribution {
  attribute: string;
  insight: { value: string; average: number }[];
  baseline: { value: string; average: number }[];
}

const round = (n: number) => Math.round(n * 1e10) / 1e10;

function errorOf(row: AuditRecordRow): string | undefined {
  // Cheap test before parsing: most records have no error.
  if (!row.record.includes('"errorCode"')) return undefined;
  const j = JSON.parse(row.record) as { errorCode?: string };
  return j.errorCode;
}

function top(rows: AuditRecordRow[], windows: number, pick: (r: AuditRecordRow) => string) {
  const m = new Map<string, number>();
  for (const r of rows) m.set(pick(r), (m.get(pick(r)) ?? 0) + 1);
  return [...m]
    .map(([value, n]) => ({ value, average: round(n / Math.max(1, windows)) }))
    .sort((a, b) => b.average - a.average)
    .slice(0, 5);
}

function attributions(
  now: AuditRecordRow[],
  base: AuditRecordRow[],
  baseWindows: number,
  nowWindows = 1,
): Attribution[] {
  const fields: [string, (r: AuditRecordRow) => string][] = [
    [
      "userIdentityArn",
      (r) => (JSON.parse(r.record) as { userIdentity?: { arn?: string } }).userIdentity?.arn ?? "null",
    ],
    ["userAgent", (r) => (JSON.parse(r.record) as { userAgent?: string }).userAgent ?? "null"],
    ["errorCode", (r) => errorOf(r) ?? "null"],
  ];
  return fields.map(([attribute, pick]) => ({
    attribute,
    insight: top(now, nowWindows, pick),
    baseline: top(base, baseWindows, pick),
  }));
}

export interface InsightsSettings {
  baselineMs: number;
  windowMs: number;
}

/** Runs the detection for one trail at `now` (the end of the window just closed). */
export async function insightsForTrail(stores: Stores, arn: string, now: number, s: InsightsSettings): Promise<void> {
  await withTrailLock(stores, arn, async () => {
    const stored = await stores.trails.get(arn);
    if (!stored) return;
    const t = parseConfig(stored);
    const { logging, state } = await readState(stores, arn);
    const selectors = t.cfg.InsightSelectors ?? [];
    const active = state.insights ?? {};
    if (!logging || !selectors.some((x) => (x.EventCategories ?? ["Management"]).includes("Management"))) {
      return;
    }
    const records: Record<string, unknown>[] = [];
    const windowStart = now - s.windowMs;
    const baseWindows = Math.max(1, Math.round(s.baselineMs / s.windowMs));
    // A single-region trail analyses its home region; a multi-region trail every region with activity.
    const scope = t.cfg.IsMultiRegionTrail ? undefined : t.region;
    const currentAll = await stores.trails.managementBetween(t.account, scope, windowStart, now, MAX_ROWS);
    const baselineAll = await stores.trails.managementBetween(
      t.account,
      scope,
      windowStart - s.baselineMs,
      windowStart,
      MAX_ROWS,
    );
    const regions = new Set([...currentAll.map((r) => r.region), ...Object.values(active).map((a) => a.region)]);
    for (const region of regions) {
      const current = currentAll.filter((r) => r.region === region);
      const baseline = baselineAll.filter((r) => r.region === region);
      for (const sel of selectors) {
        const type = sel.InsightType;
        const counted = (r: AuditRecordRow) =>
          r.eventCategory === "Management" && (type === "ApiCallRateInsight" ? !r.readOnly : errorOf(r) !== undefined);
        const group = (rows: AuditRecordRow[]) => {
          const m = new Map<string, AuditRecordRow[]>();
          for (const r of rows) {
            if (!counted(r)) continue;
            const k = `${r.eventSource}|${r.eventName}`;
            m.set(k, [...(m.get(k) ?? []), r]);
          }
          return m;
        };
        const cur = group(current);
        const base = group(baseline);
        const keys = new Set([
          ...cur.keys(),
          ...Object.values(active)
            .filter((a) => a.insightType === type && a.region === region)
            .map((a) => `${a.eventSource}|${a.eventName}`),
        ]);
        for (const k of keys) {
          const [eventSource, eventName] = k.split("|");
          const id = `${type}|${region}|${k}`;
          const count = cur.get(k)?.length ?? 0;
          const baseRows = base.get(k) ?? [];
          const baselineAverage = baseRows.length / baseWindows;
          const threshold = 2 * baselineAverage + 5;
          const open = active[id];
          const details = (
            state_: "Start" | "End",
            avg: number,
            minutes: number,
            attrs: Attribution[],
            shared: string,
          ) => ({
            eventVersion: "1.08",
            eventTime: isoSeconds(state_ === "Start" ? windowStart : now),
            awsRegion: region,
            eventID: randomUUID(),
            eventType: "AwsCloudTrailInsight",
            recipientAccountId: t.account,
            sharedEventID: shared,
            insightDetails: {
              state: state_,
              eventSource,
              eventName,
              insightType: type,
              insightContext: {
                statistics: {
                  baseline: { average: round(open?.baselineAverage ?? baselineAverage) },
                  insight: { average: round(avg) },
                  insightDuration: minutes,
                  baselineDuration: Math.round(s.baselineMs / 60_000),
                },
                attributions: attrs,
              },
            },
            eventCategory: "Insight",
          });
          if (!open && count > threshold) {
            const shared = randomUUID();
            active[id] = {
              sharedEventId: shared,
              insightType: type,
              eventSource,
              eventName,
              region,
              start: windowStart,
              baselineAverage,
              counts: [count],
            };
            records.push(details("Start", count, 1, attributions(cur.get(k) ?? [], baseRows, baseWindows), shared));
          } else if (open && count > 2 * open.baselineAverage + 5) {
            open.counts.push(count);
          } else if (open) {
            const avg = open.counts.reduce((a, b) => a + b, 0) / open.counts.length;
            const minutes = Math.max(1, Math.round((windowStart - open.start) / 60_000));
            records.push(
              details("End", avg, minutes, attributions(cur.get(k) ?? [], baseRows, baseWindows), open.sharedEventId),
            );
            delete active[id];
          }
        }
      }
    }
    state.insights = active;
    await stores.trails.putState(arn, logging, JSON.stringify(state));
    if (records.length) await deliverInsights(stores, t, records, now);
  });
}

/** Writes Insights records to CloudTrail-Insight/ per region and to the event history. */
async function deliverInsights(
  stores: Stores,
  t: Trail,
  records: Record<string, unknown>[],
  now: number,
): Promise<void> {
  const byRegion = new Map<string, Record<string, unknown>[]>();
  for (const r of records) byRegion.set(r.awsRegion as string, [...(byRegion.get(r.awsRegion as string) ?? []), r]);
  await stores.audit.append(
    records.map((r) => {
      const d = r.insightDetails as { eventSource: string; eventName: string };
      return {
        eventId: r.eventID as string,
        account: t.account,
        region: r.awsRegion as string,
        eventTime: Date.parse(r.eventTime as string),
        eventName: d.eventName,
        eventSource: d.eventSource,
        readOnly: false,
        username: null,
        accessKeyId: null,
        eventCategory: "Insight",
        resources: [],
        record: JSON.stringify(r),
      };
    }),
  );
  const put = internal(stores).s3PutObject;
  if (!put) return;
  for (const [region, recs] of byRegion) {
    const key = logFileKey(
      t.cfg.S3KeyPrefix,
      t.account,
      region,
      now,
      uniqueSuffix(`${t.arn}|insight|${recs.map((r) => r.eventID as string).join(",")}`),
      "CloudTrail-Insight",
    );
    try {
      await put(
        {
          bucket: t.cfg.S3BucketName,
          key,
          body: await gzipAsync(logFileBody(recs.map((r) => JSON.stringify(r)))),
          contentType: "application/json",
          contentEncoding: "gzip",
        },
        cloudTrailPublisher(t.account, t.arn),
      );
    } catch {
      // Insights files are best effort, as AWS's delivery of them; the records stay in the event history.
    }
  }
}
