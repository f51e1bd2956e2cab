/**
 * Alarms as stored and as DescribeAlarms returns them: the configuration PutMetricAlarm / PutCompositeAlarm received
 * (normalized) plus state, and the conversions between the store's rows and the model's MetricAlarm / CompositeAlarm.
 */
import type { AlarmRow, AlarmStateValue } from "../../../storage/alarms-store.js";
import type { Dimension } from "../engine-api.js";

export type { AlarmRow, AlarmStateValue };

export interface Tag {
  Key: string;
  Value: string;
}

export interface MetricDataQueryIn {
  Id: string;
  MetricStat?: {
    Metric: { Namespace?: string; MetricName?: string; Dimensions?: Dimension[] };
    Period: number;
    Stat: string;
    Unit?: string;
  };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
  AccountId?: string;
}

/** A metric alarm's configuration, with the wire's member names. */
export interface MetricAlarmConfig {
  AlarmName: string;
  AlarmDescription?: string;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions: Dimension[];
  Period?: number;
  Unit?: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold?: number;
  ComparisonOperator: string;
  TreatMissingData?: string;
  EvaluateLowSampleCountPercentile?: string;
  Metrics?: MetricDataQueryIn[];
  ThresholdMetricId?: string;
}

export interface CompositeAlarmConfig {
  AlarmName: string;
  AlarmDescription?: string;
  AlarmRule: string;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  ActionsSuppressor?: string;
  ActionsSuppressorWaitPeriod?: number;
  ActionsSuppressorExtensionPeriod?: number;
}

export const INITIAL_REASON = "Unchecked: Initial alarm creation";

export const alarmArn = (account: string, region: string, name: string): string =>
  `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`;

export const rowArn = (r: AlarmRow): string => alarmArn(r.account, r.region, r.name);

export const metricConfig = (r: AlarmRow): MetricAlarmConfig => JSON.parse(r.config) as MetricAlarmConfig;
export const compositeConfig = (r: AlarmRow): CompositeAlarmConfig => JSON.parse(r.config) as CompositeAlarmConfig;

/** The period the alarm evaluates over: Period, or the period of the query that returns data. */
export function alarmPeriod(c: MetricAlarmConfig): number {
  if (c.Period) return c.Period;
  const q = c.Metrics?.find((m) => m.ReturnData !== false && m.Id !== c.ThresholdMetricId) ?? c.Metrics?.[0];
  return q?.MetricStat?.Period ?? q?.Period ?? 60;
}

/** DescribeAlarms' MetricAlarm. Members AWS leaves out when unset stay out (AlarmDescription, Unit, ...). */
export function toMetricAlarm(r: AlarmRow): Record<string, unknown> {
  const c = metricConfig(r);
  return {
    AlarmName: r.name,
    AlarmArn: rowArn(r),
    AlarmDescription: c.AlarmDescription,
    AlarmConfigurationUpdatedTimestamp: r.configUpdatedAt,
    ActionsEnabled: r.actionsEnabled,
    OKActions: c.OKActions,
    AlarmActions: c.AlarmActions,
    InsufficientDataActions: c.InsufficientDataActions,
    StateValue: r.stateValue,
    StateReason: r.stateReason,
    StateReasonData: r.stateReasonData ?? undefined,
    StateUpdatedTimestamp: r.stateUpdatedAt,
    MetricName: c.MetricName,
    Namespace: c.Namespace,
    Statistic: c.Statistic,
    ExtendedStatistic: c.ExtendedStatistic,
    Dimensions: c.Dimensions,
    Period: c.Period,
    Unit: c.Unit,
    EvaluationPeriods: c.EvaluationPeriods,
    DatapointsToAlarm: c.DatapointsToAlarm,
    Threshold: c.Threshold,
    ComparisonOperator: c.ComparisonOperator,
    TreatMissingData: c.TreatMissingData,
    EvaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile,
    Metrics: c.Metrics,
    ThresholdMetricId: c.ThresholdMetricId,
    StateTransitionedTimestamp: r.stateTransitionedAt,
  };
}

export function toCompositeAlarm(r: AlarmRow): Record<string, unknown> {
  const c = compositeConfig(r);
  const ev = r.evalState ? (JSON.parse(r.evalState) as { suppressedBy?: string; suppressedReason?: string }) : {};
  return {
    ActionsEnabled: r.actionsEnabled,
    AlarmActions: c.AlarmActions,
    AlarmArn: rowArn(r),
    AlarmConfigurationUpdatedTimestamp: r.configUpdatedAt,
    AlarmDescription: c.AlarmDescription,
    AlarmName: r.name,
    AlarmRule: c.AlarmRule,
    InsufficientDataActions: c.InsufficientDataActions,
    OKActions: c.OKActions,
    StateReason: r.stateReason,
    StateReasonData: r.stateReasonData ?? undefined,
    StateUpdatedTimestamp: r.stateUpdatedAt,
    StateValue: r.stateValue,
    StateTransitionedTimestamp: r.stateTransitionedAt,
    ActionsSuppressedBy: c.ActionsSuppressor ? (ev.suppressedBy ?? "None") : undefined,
    ActionsSuppressedReason: ev.suppressedReason,
    ActionsSuppressor: c.ActionsSuppressor,
    ActionsSuppressorWaitPeriod: c.ActionsSuppressor ? c.ActionsSuppressorWaitPeriod : undefined,
    ActionsSuppressorExtensionPeriod: c.ActionsSuppressor ? c.ActionsSuppressorExtensionPeriod : undefined,
  };
}

/** The actions a state runs. */
export function actionsFor(c: MetricAlarmConfig | CompositeAlarmConfig, state: AlarmStateValue): string[] {
  return state === "ALARM" ? c.AlarmActions : state === "OK" ? c.OKActions : c.InsufficientDataActions;
}
