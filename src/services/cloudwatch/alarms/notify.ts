/**
 * What an alarm sends when its state changes: the SNS message JSON and subject, and the "CloudWatch Alarm State
 * Change" EventBridge event detail, in the shapes and member orders AWS uses.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
 */
import { randomUUID } from "node:crypto";
import type { AlarmRow, AlarmStateValue, CompositeAlarmConfig, MetricAlarmConfig, MetricDataQueryIn } from "./model.js";
import { compositeConfig, metricConfig, rowArn } from "./model.js";
import { awsDate, dbl, regionName, stringifyAws } from "./format.js";

export interface Transition {
  row: AlarmRow;
  oldState: AlarmStateValue;
  oldReason: string;
  oldReasonData: string | null;
  oldTimestamp: number;
  newState: AlarmStateValue;
  reason: string;
  reasonData: string | null;
  at: number;
  /** The alarm's configuration, parsed: given by the evaluator, or parsed once by configOf. */
  config?: MetricAlarmConfig | CompositeAlarmConfig;
}

/** The configuration of a transition's alarm (the SNS message, the event and the actions all need it). */
export function configOf(t: Transition): MetricAlarmConfig | CompositeAlarmConfig {
  return (t.config ??= t.row.type === "MetricAlarm" ? metricConfig(t.row) : compositeConfig(t.row));
}

const STATISTIC_NAMES: Record<string, string> = {
  SampleCount: "SAMPLE_COUNT",
  Average: "AVERAGE",
  Sum: "SUM",
  Minimum: "MINIMUM",
  Maximum: "MAXIMUM",
};

const lowerDims = (dims: { Name: string; Value: string }[] = []) => dims.map((d) => ({ value: d.Value, name: d.Name }));

function trigger(c: MetricAlarmConfig): Record<string, unknown> {
  const common = {
    ...(c.DatapointsToAlarm !== undefined ? { DatapointsToAlarm: c.DatapointsToAlarm } : {}),
    ComparisonOperator: c.ComparisonOperator,
    ...(c.Threshold !== undefined ? { Threshold: dbl(c.Threshold) } : {}),
    ...(c.ThresholdMetricId ? { ThresholdMetricId: c.ThresholdMetricId } : {}),
    TreatMissingData: c.TreatMissingData ?? "missing",
    EvaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile ?? "",
  };
  if (c.Metrics) {
    return {
      Period: c.Metrics.find((q) => q.MetricStat)?.MetricStat?.Period ?? c.Metrics[0].Period ?? 60,
      EvaluationPeriods: c.EvaluationPeriods,
      ...common,
      Metrics: c.Metrics.map((q) => ({
        ...(q.Expression !== undefined ? { Expression: q.Expression } : {}),
        Id: q.Id,
        ...(q.Label !== undefined ? { Label: q.Label } : {}),
        ...(q.MetricStat
          ? {
              MetricStat: {
                Metric: {
                  Dimensions: lowerDims(q.MetricStat.Metric.Dimensions),
                  MetricName: q.MetricStat.Metric.MetricName,
                  Namespace: q.MetricStat.Metric.Namespace,
                },
                Period: q.MetricStat.Period,
                Stat: q.MetricStat.Stat,
                ...(q.MetricStat.Unit ? { Unit: q.MetricStat.Unit } : {}),
              },
            }
          : {}),
        ReturnData: q.ReturnData ?? true,
      })),
    };
  }
  return {
    MetricName: c.MetricName,
    Namespace: c.Namespace,
    StatisticType: c.ExtendedStatistic ? "ExtendedStatistic" : "Statistic",
    ...(c.ExtendedStatistic
      ? { ExtendedStatistic: c.ExtendedStatistic }
      : { Statistic: STATISTIC_NAMES[c.Statistic!] ?? c.Statistic }),
    Unit: c.Unit ?? null,
    Dimensions: lowerDims(c.Dimensions),
    Period: c.Period,
    EvaluationPeriods: c.EvaluationPeriods,
    ...common,
  };
}

/**
 * The members of the SNS message that come from the configuration alone (the actions, Trigger or AlarmRule), as JSON
 * without its braces, by configuration: the alarms of a tick that change state each publish one.
 */
const configMembers = new WeakMap<MetricAlarmConfig | CompositeAlarmConfig, string>();

/** The JSON message an alarm publishes to its SNS topics. */
export function snsMessage(t: Transition): string {
  const r = t.row;
  const c = configOf(t);
  let tail = configMembers.get(c);
  if (tail === undefined) {
    const members: Record<string, unknown> = {
      OKActions: c.OKActions,
      AlarmActions: c.AlarmActions,
      InsufficientDataActions: c.InsufficientDataActions,
    };
    if (r.type === "MetricAlarm") members.Trigger = trigger(c as MetricAlarmConfig);
    else members.AlarmRule = (c as CompositeAlarmConfig).AlarmRule;
    configMembers.set(c, (tail = stringifyAws(members).slice(1, -1)));
  }
  // No Java doubles among these: plain JSON.stringify (stringifyAws's pass over a kilobyte is not free).
  const head = JSON.stringify({
    AlarmName: r.name,
    AlarmDescription: c.AlarmDescription ?? null,
    AWSAccountId: r.account,
    AlarmConfigurationUpdatedTimestamp: awsDate(r.configUpdatedAt),
    NewStateValue: t.newState,
    NewStateReason: t.reason,
    StateChangeTime: awsDate(t.at),
    Region: regionName(r.region),
    AlarmArn: rowArn(r),
    OldStateValue: t.oldState,
  });
  return tail ? `${head.slice(0, -1)},${tail}}` : head;
}

/** `ALARM: "name" in US East (N. Virginia)`, cut to SNS's 100-character subject limit. */
export function snsSubject(t: Transition): string {
  return `${t.newState}: "${t.row.name}" in ${regionName(t.row.region)}`.slice(0, 100);
}

function eventMetric(q: MetricDataQueryIn): Record<string, unknown> {
  return {
    id: q.Id,
    ...(q.MetricStat
      ? {
          metricStat: {
            metric: {
              namespace: q.MetricStat.Metric.Namespace,
              name: q.MetricStat.Metric.MetricName,
              dimensions: Object.fromEntries((q.MetricStat.Metric.Dimensions ?? []).map((d) => [d.Name, d.Value])),
            },
            period: q.MetricStat.Period,
            stat: q.MetricStat.Stat,
            ...(q.MetricStat.Unit ? { unit: q.MetricStat.Unit } : {}),
          },
        }
      : {}),
    ...(q.Expression !== undefined ? { expression: q.Expression } : {}),
    ...(q.Label !== undefined ? { label: q.Label } : {}),
    returnData: q.ReturnData ?? true,
  };
}

/** The detail of the "CloudWatch Alarm State Change" event. */
export function eventDetail(t: Transition): Record<string, unknown> {
  const r = t.row;
  const state = (value: string, reason: string, reasonData: string | null, at: number) => ({
    value,
    reason,
    ...(reasonData ? { reasonData } : {}),
    timestamp: awsDate(at),
  });
  let configuration: Record<string, unknown>;
  if (r.type === "MetricAlarm") {
    const c = configOf(t) as MetricAlarmConfig;
    const metrics = c.Metrics ?? [
      {
        Id: randomUUID(),
        MetricStat: {
          Metric: { Namespace: c.Namespace, MetricName: c.MetricName, Dimensions: c.Dimensions },
          Period: c.Period!,
          Stat: c.Statistic ?? c.ExtendedStatistic!,
          Unit: c.Unit,
        },
        ReturnData: true,
      },
    ];
    configuration = {
      ...(c.AlarmDescription !== undefined ? { description: c.AlarmDescription } : {}),
      metrics: metrics.map(eventMetric),
    };
  } else {
    const c = configOf(t) as CompositeAlarmConfig;
    configuration = {
      alarmRule: c.AlarmRule,
      ...(c.ActionsSuppressor
        ? {
            actionsSuppressor: c.ActionsSuppressor,
            actionsSuppressorWaitPeriod: c.ActionsSuppressorWaitPeriod,
            actionsSuppressorExtensionPeriod: c.ActionsSuppressorExtensionPeriod,
          }
        : {}),
      ...(c.AlarmDescription !== undefined ? { description: c.AlarmDescription } : {}),
    };
  }
  return {
    alarmName: r.name,
    state: state(t.newState, t.reason, t.reasonData, t.at),
    previousState: state(t.oldState, t.oldReason, t.oldReasonData, t.oldTimestamp),
    configuration,
  };
}
