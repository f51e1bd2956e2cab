/**
 * Log file delivery (spec cloudtrail.md §3). Every delivery interval, each logging trail takes the audit records
 * committed since its cursor, keeps those its selectors select, and writes them per region as one gzipped
 * {"Records":[...]} object, then notifies its SNS topic and copies the records to its CloudWatch Logs group.
 *
 * Exactly once across crashes: the batch (audit seq range and delivery time) is stored before any object is written,
 * and the object keys derive from it, so a batch redone after a crash overwrites the same keys; the cursor moves past
 * the batch only after every object of it is written. Each record therefore ends up in exactly one file.
 */
import { internal } from "../internal.js";
import type { Stores } from "../../storage/types.js";
import type { AuditRecordRow } from "../../storage/trails-store.js";
import { cloudTrailPublisher, logGroupName } from "./checks.js";
import { gzipAsync, isoSeconds, logFileBody, logFileKey, uniqueSuffix } from "./formats.js";
import { selects, type SelectableRecord } from "./selectors.js";
import { sha256Hex } from "./signing.js";
import { readState, withTrailLock, type DeliveredFile, type TrailState } from "./state.js";
import { parseConfig, type Trail } from "./trail.js";

/** Audit rows one batch reads at most; a longer backlog goes out over several batches. */
export const BATCH_ROWS = 5000;

interface ParsedRecord {
  row: AuditRecordRow;
  json: Record<string, unknown>;
}

/**
 * The resources selectors match: the record's own `resources` when it has them, else ARNs built from the audit row's
 * resource members (S3: the bucket and the object `arn:aws:s3:::<bucket>/<key>`, as AWS writes them in data events).
 */
function resourcesOf(p: ParsedRecord): { type?: string; ARN?: string }[] {
  if (Array.isArray(p.json.resources)) return p.json.resources as { type?: string; ARN?: string }[];
  const out: { type?: string; ARN?: string }[] = [];
  const bucket = p.row.resources.find((r) => r.type === "AWS::S3::Bucket")?.name;
  for (const r of p.row.resources) {
    if (r.type === "AWS::S3::Bucket") out.push({ type: r.type, ARN: `arn:aws:s3:::${r.name}` });
    else if (r.type === "AWS::S3::Object" && bucket !== undefined) {
      out.push({ type: r.type, ARN: `arn:aws:s3:::${bucket}/${r.name}` });
    } else out.push({ type: r.type, ARN: r.name.startsWith("arn:") ? r.name : undefined });
  }
  return out;
}

function selectable(p: ParsedRecord): SelectableRecord {
  const j = p.json;
  const resources = resourcesOf(p);
  return {
    eventCategory: p.row.eventCategory,
    readOnly: p.row.readOnly,
    eventSource: p.row.eventSource,
    eventName: p.row.eventName,
    awsRegion: p.row.region,
    resources,
    errorCode: typeof j.errorCode === "string" ? j.errorCode : undefined,
    eventType: typeof j.eventType === "string" ? j.eventType : undefined,
    userIdentityArn: (j.userIdentity as { arn?: string } | undefined)?.arn,
  };
}

const errorCode = (e: unknown) =>
  (e as { code?: string }).code ?? (e as { name?: string }).name ?? (e instanceof Error ? e.message : String(e));

/** Delivers one trail's due records (one batch). Returns whether more batches are waiting. */
export async function deliverTrail(stores: Stores, arn: string, now: number): Promise<boolean> {
  return withTrailLock(stores, arn, async () => {
    const stored = await stores.trails.get(arn);
    if (!stored) return false;
    const t = parseConfig(stored);
    const { logging, state } = await readState(stores, arn);
    if (!logging && state.deliverUntil === undefined && !state.pending) return false;
    const save = () => stores.trails.putState(arn, logging, JSON.stringify(state));

    let rows: AuditRecordRow[];
    let capped = false;
    if (state.pending) {
      rows = await stores.trails.auditAfter(state.pending.from, state.pending.to, Number.MAX_SAFE_INTEGER);
    } else {
      const max = await stores.trails.maxAuditSeq();
      if (max <= state.cursor) {
        if (!logging && state.deliverUntil !== undefined) {
          state.deliverUntil = undefined;
          await save();
        }
        return false;
      }
      rows = await stores.trails.auditAfter(state.cursor, max, BATCH_ROWS);
      capped = rows.length === BATCH_ROWS;
      const to = capped ? rows[rows.length - 1].seq : max;
      state.pending = { from: state.cursor, to, at: now };
      // The batch is durable before any object is written: a redo uses the same range, time and keys.
      await save();
    }
    const batch = state.pending!;
    const until = logging ? undefined : state.deliverUntil;
    const chosen = new Map<string, ParsedRecord[]>();
    for (const row of rows) {
      if (row.account !== t.account) continue;
      if (until !== undefined && row.eventTime > until) continue;
      // Only advanced selectors read record fields beyond the audit row's columns: parse the JSON for them alone.
      let json: Record<string, unknown> = {};
      if (t.cfg.AdvancedEventSelectors) {
        try {
          json = JSON.parse(row.record) as Record<string, unknown>;
        } catch {
          continue;
        }
      }
      const p = { row, json };
      if (!selects(t.cfg, t.region, selectable(p))) continue;
      const list = chosen.get(row.region) ?? [];
      list.push(p);
      chosen.set(row.region, list);
    }

    const files: (DeliveredFile & { records: ParsedRecord[] })[] = [];
    state.latestDeliveryAttemptTime = now;
    const put = internal(stores).s3PutObject;
    for (const [region, recs] of [...chosen].sort(([a], [b]) => a.localeCompare(b))) {
      const key = logFileKey(
        t.cfg.S3KeyPrefix,
        t.account,
        region,
        batch.at,
        uniqueSuffix(`${t.arn}|${batch.from}|${batch.to}|${region}`),
      );
      const body = logFileBody(recs.map((r) => r.row.record));
      const times = recs.map((r) => r.row.eventTime);
      try {
        if (!put) throw Object.assign(new Error("S3 is not available"), { code: "NoSuchBucket" });
        await put(
          {
            bucket: t.cfg.S3BucketName,
            key,
            body: await gzipAsync(body),
            contentType: "application/json",
            contentEncoding: "gzip",
          },
          cloudTrailPublisher(t.account, t.arn),
        );
      } catch (e) {
        // The batch stays pending and is redone next time with the same keys (GetTrailStatus shows the error).
        state.latestDeliveryError = errorCode(e);
        await save();
        return false;
      }
      files.push({
        region,
        bucket: t.cfg.S3BucketName,
        key,
        hash: sha256Hex(body),
        newest: isoSeconds(Math.max(...times)),
        oldest: isoSeconds(Math.min(...times)),
        at: batch.at,
        records: recs,
      });
    }
    if (t.cfg.LogFileValidationEnabled) {
      for (const { records: _r, ...f } of files) {
        if (!state.undigested.some((u) => u.key === f.key)) state.undigested.push(f);
      }
    }
    state.cursor = batch.to;
    state.pending = undefined;
    state.latestDeliveryError = undefined;
    if (files.length) state.latestDeliveryTime = now;
    if (!logging && !capped) state.deliverUntil = undefined;
    await save();
    if (files.length) await afterDelivery(stores, t, state, files, now);
    await save();
    return capped;
  });
}

/** SNS notification and CloudWatch Logs copy of a delivered batch; failures are reported, never redone. */
async function afterDelivery(
  stores: Stores,
  t: Trail,
  state: TrailState,
  files: (DeliveredFile & { records: ParsedRecord[] })[],
  now: number,
): Promise<void> {
  const services = internal(stores);
  if (t.cfg.SnsTopicARN) {
    try {
      if (!services.snsPublish) throw Object.assign(new Error("SNS is not available"), { code: "NotFound" });
      await services.snsPublish(
        t.cfg.SnsTopicARN,
        { message: JSON.stringify({ s3Bucket: t.cfg.S3BucketName, s3ObjectKey: files.map((f) => f.key) }) },
        cloudTrailPublisher(t.account, t.arn),
      );
      state.latestNotificationTime = now;
      state.latestNotificationError = undefined;
    } catch (e) {
      state.latestNotificationError = errorCode(e);
    }
  }
  if (t.cfg.CloudWatchLogsLogGroupArn) {
    try {
      if (!services.putLogEvents)
        throw Object.assign(new Error("Logs is not available"), { code: "ResourceNotFoundException" });
      const group = logGroupName(t.cfg.CloudWatchLogsLogGroupArn);
      for (const f of files) {
        const events = f.records
          .map((r) => ({ timestamp: r.row.eventTime, message: r.row.record }))
          .sort((a, b) => a.timestamp - b.timestamp);
        await services.putLogEvents(t.account, t.region, group, `${t.account}_CloudTrail_${f.region}`, events);
      }
      state.latestCloudWatchLogsDeliveryTime = now;
      state.latestCloudWatchLogsDeliveryError = undefined;
    } catch (e) {
      state.latestCloudWatchLogsDeliveryError = errorCode(e);
    }
  }
}

/** Delivers every batch a trail has waiting. */
export async function flushTrail(stores: Stores, arn: string, now: number): Promise<void> {
  for (let i = 0; i < 1000 && (await deliverTrail(stores, arn, now)); i++);
}
