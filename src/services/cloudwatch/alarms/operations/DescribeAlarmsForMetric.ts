/**
 * DescribeAlarmsForMetric: the metric alarms watching a metric, narrowed by statistic, dimensions, period and unit
 * when given. Metric-math alarms count when one of their MetricStat queries matches.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmsForMetric.html
 */
import type { Dimension } from "../../engine-api.js";
import type { Handler } from "../../../types.js";
import { metricConfig, toMetricAlarm } from "../model.js";

interface Input {
  MetricName: string;
  Namespace: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions?: Dimension[];
  Period?: number;
  Unit?: string;
}

const dimKey = (d: Dimension[] = []) =>
  d
    .map((x) => `${x.Name}\u0000${x.Value}`)
    .sort()
    .join("\u0001");

export const DescribeAlarmsForMetric: Handler = async (input: Input, ctx) => {
  const rows = (await ctx.stores.alarms.list(ctx.account, ctx.region)).filter((r) => r.type === "MetricAlarm");
  const matches = (ns?: string, name?: string, stat?: string, dims?: Dimension[], period?: number, unit?: string) =>
    ns === input.Namespace &&
    name === input.MetricName &&
    (input.Statistic === undefined || stat === input.Statistic) &&
    (input.ExtendedStatistic === undefined || stat === input.ExtendedStatistic) &&
    (input.Dimensions === undefined || dimKey(dims) === dimKey(input.Dimensions)) &&
    (input.Period === undefined || period === input.Period) &&
    (input.Unit === undefined || unit === input.Unit);
  const found = rows.filter((r) => {
    const c = metricConfig(r);
    if (c.Metrics)
      return c.Metrics.some(
        (q) =>
          q.MetricStat &&
          matches(
            q.MetricStat.Metric.Namespace,
            q.MetricStat.Metric.MetricName,
            q.MetricStat.Stat,
            q.MetricStat.Metric.Dimensions,
            q.MetricStat.Period,
            q.MetricStat.Unit,
          ),
      );
    return matches(c.Namespace, c.MetricName, c.Statistic ?? c.ExtendedStatistic, c.Dimensions, c.Period, c.Unit);
  });
  return { MetricAlarms: found.map(toMetricAlarm) };
};
