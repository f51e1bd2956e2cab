import type { AlarmsStore } from "./alarms-store.js";
import type { DeliveryStore } from "./delivery-store.js";
import type { EventsStore } from "./events-store.js";
import type { LogEventsStore } from "./log-events-store.js";
import type { LogsStore } from "./logs-store.js";
import type { MetricsStore } from "./metrics-store.js";
import type { S3Store } from "./s3-store.js";
import type { SqsStore } from "./sqs-store.js";
import type { SnsStore } from "./sns-store.js";
import type { TrailsStore } from "./trails-store.js";

/** Store interfaces. Every store is async, scoped by account and region, and resolves only after its write committed. */

export type Dialect = "sqlite" | "postgres";

/** One CloudTrail record as the audit store keeps it: indexed columns for LookupEvents plus the record itself. */
export interface AuditRow {
  eventId: string;
  account: string;
  region: string;
  /** Milliseconds since the epoch. */
  eventTime: number;
  eventName: string;
  eventSource: string;
  readOnly: boolean;
  /** userIdentity.userName (or the role/session name); LookupEvents' Username attribute. */
  username: string | null;
  accessKeyId: string | null;
  /** "Management" | "Data" | "Insight". */
  eventCategory: string;
  resources: { type: string; name: string }[];
  /** The full CloudTrail record, JSON, exactly as LookupEvents returns it in CloudTrailEvent. */
  record: string;
}

export type LookupAttributeKey =
  "EventId" | "EventName" | "ReadOnly" | "Username" | "ResourceType" | "ResourceName" | "EventSource" | "AccessKeyId";

export interface AuditQuery {
  account: string;
  region: string;
  /** Inclusive bounds, milliseconds since the epoch. */
  startTime: number;
  endTime: number;
  attribute?: { key: LookupAttributeKey; value: string };
  /** What LookupEvents lists: management or Insights events. Data events are stored (trails deliver them) but never looked up. */
  eventCategory: "Management" | "Insight";
  limit: number;
  /** Opaque cursor returned by a previous page. */
  cursor?: string;
}

export interface AuditStore {
  /** Appends records in one transaction; resolves after commit. */
  append(rows: AuditRow[]): Promise<void>;
  /** Newest first; `cursor` is set when more rows may follow. */
  query(q: AuditQuery): Promise<{ rows: AuditRow[]; cursor?: string }>;
  /** Deletes records older than the given instant (CloudTrail keeps 90 days of event history). */
  deleteBefore(time: number): Promise<number>;
}

export interface Stores {
  readonly dialect: Dialect;
  audit: AuditStore;
  logs: LogsStore;
  logEvents: LogEventsStore;
  sqs: SqsStore;
  sns: SnsStore;
  /** The delivery outbox (src/delivery/). */
  delivery: DeliveryStore;
  /** CloudTrail trails and their delivery state. */
  trails: TrailsStore;
  /** EventBridge buses, rules, targets and the rest. */
  events: EventsStore;
  /** CloudWatch alarms, their history and anomaly detectors. */
  alarms: AlarmsStore;
  /** S3 buckets and objects. */
  s3: S3Store;
  /** CloudWatch metrics, Logs metric filters and CloudWatch dashboards. */
  metrics: MetricsStore;
  /** Liveness of the storage: resolves when a trivial query succeeds. */
  ping(): Promise<void>;
  /** Wipes all state of all accounts (POST /_vigil/reset). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface StorageOptions {
  /** SQLite database file directory; ignored with ephemeral or databaseUrl. */
  dataDir?: string;
  /** Everything in memory (SQLite :memory:). */
  ephemeral?: boolean;
  /** postgres://... puts everything in PostgreSQL. */
  databaseUrl?: string;
}
