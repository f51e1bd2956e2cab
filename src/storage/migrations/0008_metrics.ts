/**
 * CloudWatch metrics, metric filters (CloudWatch Logs) and dashboards.
 *
 * A metric (namespace, name, exact dimension set) is one row of metric_series. Its data are per-period aggregates in
 * metric_points: one row per (series, tier, period start, unit) written by each PutMetricData request (append only,
 * so a request is a batch of inserts), merged and rolled up later by the roll-up job. Tiers are AWS's retention
 * schedule: 1 s (high-resolution data, 3 hours), 60 s (15 days), 300 s (63 days), 3600 s (455 days). `std` marks
 * 1-minute rows of standard-resolution data (what a sub-minute period reads besides the 1 s tier); `rolled` marks
 * 1-minute rows already merged into the 5-minute and 1-hour tiers. `sk_count` is how many of `count` values the
 * sketch holds (percentiles are answered only when it holds them all, as AWS documents for statistic sets).
 *
 * Metric filters belong to a log group and go with it (ON DELETE CASCADE).
 */
import type { Migration } from "./types.js";

const tables = (id: string, double: string, blob: string) => [
  `CREATE TABLE metric_series (
    id ${id},
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    dims_key TEXT NOT NULL,
    dims TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_put BIGINT NOT NULL,
    UNIQUE (account, region, namespace, name, dims_key)
  )`,
  `CREATE TABLE metric_points (
    id ${id},
    series_id BIGINT NOT NULL,
    tier INTEGER NOT NULL,
    ts BIGINT NOT NULL,
    unit TEXT NOT NULL,
    std INTEGER NOT NULL,
    rolled INTEGER NOT NULL,
    count ${double} NOT NULL,
    sum ${double} NOT NULL,
    min ${double} NOT NULL,
    max ${double} NOT NULL,
    sk_count ${double} NOT NULL,
    sketch ${blob}
  )`,
  "CREATE INDEX metric_points_series ON metric_points (series_id, tier, ts)",
  "CREATE INDEX metric_points_unrolled ON metric_points (rolled, tier)",
  "CREATE INDEX metric_points_age ON metric_points (tier, ts)",
  `CREATE TABLE metric_filters (
    group_id BIGINT NOT NULL REFERENCES log_groups (id) ON DELETE CASCADE,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    log_group_name TEXT NOT NULL,
    filter_name TEXT NOT NULL,
    filter_pattern TEXT NOT NULL,
    transformations TEXT NOT NULL,
    apply_on_transformed INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, filter_name)
  )`,
  "CREATE INDEX metric_filters_scope ON metric_filters (account, region, log_group_name, filter_name)",
  `CREATE TABLE cw_dashboards (
    account TEXT NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    size BIGINT NOT NULL,
    last_modified BIGINT NOT NULL,
    PRIMARY KEY (account, name)
  )`,
];

export const metrics: Migration = {
  version: 8,
  name: "metrics",
  sqlite: tables("INTEGER PRIMARY KEY AUTOINCREMENT", "REAL", "BLOB"),
  postgres: tables("BIGSERIAL PRIMARY KEY", "DOUBLE PRECISION", "BYTEA"),
};
