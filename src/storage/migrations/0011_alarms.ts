/**
 * CloudWatch alarms: metric and composite alarms (one row each, configuration as JSON, state in columns so the
 * evaluator can read every alarm of a region in one scan), their history, and anomaly detectors.
 */
import type { Migration } from "./types.js";

const tables = (id: string) => [
  `CREATE TABLE cw_alarms (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    alarm_type TEXT NOT NULL,
    config TEXT NOT NULL,
    actions_enabled INTEGER NOT NULL,
    state_value TEXT NOT NULL,
    state_reason TEXT NOT NULL,
    state_reason_data TEXT,
    state_updated_at BIGINT NOT NULL,
    state_transitioned_at BIGINT NOT NULL,
    config_updated_at BIGINT NOT NULL,
    eval_state TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (account, region, name)
  )`,
  `CREATE TABLE cw_alarm_history (
    id ${id},
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    alarm_name TEXT NOT NULL,
    alarm_type TEXT NOT NULL,
    item_type TEXT NOT NULL,
    at BIGINT NOT NULL,
    summary TEXT NOT NULL,
    data TEXT NOT NULL
  )`,
  "CREATE INDEX cw_alarm_history_at ON cw_alarm_history (account, region, at, id)",
  "CREATE INDEX cw_alarm_history_name ON cw_alarm_history (account, region, alarm_name, at)",
  `CREATE TABLE cw_anomaly_detectors (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    detector_key TEXT NOT NULL,
    detector TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account, region, detector_key)
  )`,
];

export const alarms: Migration = {
  version: 11,
  name: "alarms",
  sqlite: tables("INTEGER PRIMARY KEY AUTOINCREMENT"),
  postgres: tables("BIGSERIAL PRIMARY KEY"),
};
