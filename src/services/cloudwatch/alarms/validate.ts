/**
 * The checks PutMetricAlarm and PutCompositeAlarm make beyond the model's constraints, in the order AWS makes them.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 * Where AWS's exact wording is not in the recordings, the message is our best knowledge of it (marked "assumed").
 */
import { awsError, type AwsError } from "../../../errors/index.js";
import type { MetricAlarmConfig, MetricDataQueryIn } from "./model.js";
import { callsTo } from "../metrics/math/parse.js";
import { checkQueries as checkMetricDataQueries, type QueryInput } from "../metrics/metric-data.js";

const invalid = (message: string): AwsError => awsError("ValidationError", message);
const invalidParam = (message: string): AwsError => awsError("InvalidParameterValue", message);
const combination = (message: string): AwsError => awsError("InvalidParameterCombination", message);
const missing = (member: string): AwsError =>
  invalid(
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );

const TREAT_MISSING = ["breaching", "notBreaching", "ignore", "missing"];
const BAND_OPERATORS = [
  "LessThanLowerOrGreaterThanUpperThreshold",
  "LessThanLowerThreshold",
  "GreaterThanUpperThreshold",
];
const ONE_DAY = 86_400;
const SEVEN_DAYS = 7 * ONE_DAY;

/** pNN, pNN.NN, tmNN, wmNN, tcNN, tsNN, PR(a:b), TM(a:b), IQR: the extended statistics alarms accept. */
const EXTENDED =
  /^(p(\d{1,2}(\.\d{1,10})?|100)|(tm|wm|tc|ts)(\d{1,2}(\.\d{1,10})?|100)|(PR|TM|WM|TC|TS)\(\d*(\.\d+)?%?:\d*(\.\d+)?%?\)|IQR)$/;

export const isExtendedStatistic = (s: string): boolean => EXTENDED.test(s);

/** Period: 10, 20, 30 or a multiple of 60 (AWS: high-resolution alarms support 10, 20 and 30). */
export function checkPeriod(period: number, member = "Period"): void {
  if (period === 10 || period === 20 || period === 30 || period % 60 === 0) return;
  // assumed wording
  throw invalid(`The parameter ${member} must be 10, 20, 30 or a multiple of 60.`);
}

/** Action ARNs and the action types AWS supports. */
export function checkActions(actions: string[] | undefined, region: string): void {
  for (const arn of actions ?? []) {
    const parts = arn.split(":");
    if (parts.length < 6 || parts[0] !== "arn" || !parts[1] || !parts[2]) throw invalid(`Invalid arn syntax: ${arn}`);
    const service = parts[2];
    const ok =
      service === "sns" ||
      service === "lambda" ||
      service === "ssm" ||
      service === "ssm-incidents" ||
      (service === "autoscaling" && parts[5].startsWith("scalingPolicy")) ||
      (service === "automate" && parts[5].startsWith("ec2")) ||
      service === "swf";
    if (!ok) throw invalid(`Invalid arn syntax: ${arn}`);
    // Actions must be in the alarm's region (SNS topics, Lambda functions), except the global automate ARNs' region.
    if (service !== "automate" && parts[3] && parts[3] !== region)
      throw invalid(`Invalid region ${parts[3]} specified. Only ${region} is supported.`);
  }
}

function checkQueries(c: MetricAlarmConfig): void {
  const metrics = c.Metrics!;
  if (metrics.length === 0 || metrics.length > 10)
    throw invalid("The value of Metrics must contain between 1 and 10 elements.");
  const ids = new Set<string>();
  for (const q of metrics) {
    if (ids.has(q.Id)) throw invalid(`The value ${q.Id} for field Id is duplicated.`);
    ids.add(q.Id);
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(q.Id))
      throw invalid(`Invalid metrics list: The value ${q.Id} for field Id must start with a lowercase letter.`);
    if ((q.MetricStat ? 1 : 0) + (q.Expression !== undefined ? 1 : 0) !== 1)
      throw invalid("Exactly one element of MetricStat and Expression must be specified in each MetricDataQuery.");
    if (q.MetricStat) {
      checkPeriod(q.MetricStat.Period, "Period");
      if (!q.MetricStat.Metric.MetricName || !q.MetricStat.Metric.Namespace)
        throw invalid("MetricStat must specify Metric with MetricName and Namespace."); // assumed wording
    }
  }
  // Expressions parse and refer to ids of the list, as GetMetricData checks them (the same engine evaluates them).
  const { parsed } = checkMetricDataQueries(metrics as unknown as QueryInput[], "Metrics");
  for (const [id, node] of parsed)
    // "You can't create an alarm based on the SEARCH expression": it can return many time series.
    if (callsTo(node, "SEARCH").length > 0)
      throw invalid(`Error in expression '${id}': SEARCH is not supported on Metric Alarms.`); // assumed wording
  const returning = metrics.filter((q) => q.ReturnData !== false);
  if (c.ThresholdMetricId) {
    if (!ids.has(c.ThresholdMetricId))
      throw invalid(`ThresholdMetricId ${c.ThresholdMetricId} does not reference an expression in Metrics.`); // assumed
    if (returning.filter((q) => q.Id !== c.ThresholdMetricId).length !== 1)
      throw invalid("Exactly one element of the metrics list should return data.");
  } else if (returning.length !== 1) throw invalid("Exactly one element of the metrics list should return data.");
}

/** Checks a PutMetricAlarm input; returns nothing, throws the AwsError AWS answers. */
export function checkPutMetricAlarm(c: MetricAlarmConfig, region: string): void {
  if (c.EvaluationPeriods === undefined) throw missing("evaluationPeriods");
  if (c.ComparisonOperator === undefined) throw missing("comparisonOperator");
  const single = c.MetricName !== undefined || c.Namespace !== undefined;
  if (c.Metrics) {
    if (single || c.Statistic || c.ExtendedStatistic || c.Period !== undefined || c.Dimensions.length || c.Unit)
      throw combination(
        "The parameters MetricName, Namespace, Statistic, ExtendedStatistic, Dimensions, Period and Unit must not be specified when Metrics is specified.",
      ); // assumed wording
    checkQueries(c);
  } else {
    if (c.MetricName === undefined) throw missing("metricName");
    if (c.Namespace === undefined) throw missing("namespace");
    if (c.Statistic && c.ExtendedStatistic)
      throw combination("Exactly one of Statistic or ExtendedStatistic must be specified."); // assumed wording
    if (!c.Statistic && !c.ExtendedStatistic)
      throw combination("Exactly one of Statistic or ExtendedStatistic must be specified."); // assumed wording
    if (c.ExtendedStatistic && !isExtendedStatistic(c.ExtendedStatistic))
      throw invalidParam(`The value ${c.ExtendedStatistic} for parameter ExtendedStatistic is not supported.`);
    if (c.Period === undefined) throw missing("period");
    checkPeriod(c.Period);
  }
  if (c.DatapointsToAlarm !== undefined && c.DatapointsToAlarm > c.EvaluationPeriods)
    throw invalid("DatapointsToAlarm must be less than or equal to EvaluationPeriods."); // assumed wording
  const band = BAND_OPERATORS.includes(c.ComparisonOperator);
  if (band && !c.ThresholdMetricId)
    throw invalid(`ComparisonOperators ${BAND_OPERATORS.join(", ")} require ThresholdMetricId.`); // assumed
  if (!band && c.ThresholdMetricId)
    throw invalid("ThresholdMetricId is only supported with anomaly detection comparison operators."); // assumed
  if (!c.ThresholdMetricId && c.Threshold === undefined) throw missing("threshold");
  if (c.ThresholdMetricId && c.Threshold !== undefined)
    throw combination("The parameters Threshold and ThresholdMetricId cannot be specified together."); // assumed
  if (c.TreatMissingData !== undefined && !TREAT_MISSING.includes(c.TreatMissingData))
    throw invalid(
      `The value ${c.TreatMissingData} is not supported for TreatMissingData. Supported values are [${TREAT_MISSING.join(", ")}].`,
    ); // assumed wording
  if (c.EvaluateLowSampleCountPercentile !== undefined) {
    if (!["evaluate", "ignore"].includes(c.EvaluateLowSampleCountPercentile))
      throw invalid(
        `The value ${c.EvaluateLowSampleCountPercentile} is not supported for EvaluateLowSampleCountPercentile. Supported values are [evaluate, ignore].`,
      ); // assumed wording
    if (!c.ExtendedStatistic || !/^p/.test(c.ExtendedStatistic))
      throw invalid("EvaluateLowSampleCountPercentile is only supported for percentile statistics."); // assumed
  }
  // AWS: Period x EvaluationPeriods may not exceed one day, or seven days for alarms with a period of an hour or more.
  const period = c.Period ?? c.Metrics?.find((q) => q.MetricStat)?.MetricStat?.Period ?? 60;
  const cap = period >= 3600 ? SEVEN_DAYS : ONE_DAY;
  if (period * c.EvaluationPeriods > cap)
    throw invalid(`Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= ${cap}).`);
  checkActions(c.OKActions, region);
  checkActions(c.AlarmActions, region);
  checkActions(c.InsufficientDataActions, region);
}

export type { MetricDataQueryIn };
