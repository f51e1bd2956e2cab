/**
 * PutMetricData with 20 datums per call (20 metrics of one namespace, one dimension each, a single Value), JSON 1.0,
 * each call answered after its datapoints committed. Goal: at least 20x moto's datapoints per second.
 */
import { throughputWorkload } from "../lib/throughput.js";
import { perEvent } from "./logs-common.js";
import { cloudwatch } from "./cloudwatch-common.js";

const PER_CALL = 20;

export const cloudwatchPutMetricData = perEvent(
  throughputWorkload({
    name: "cloudwatch-put-metric-data",
    title: "CloudWatch PutMetricData throughput",
    description:
      "`cloudwatch:PutMetricData` (JSON 1.0, SigV4-signed) with 20 datums per call: 20 metrics of one namespace, " +
      "each with one dimension and a single Value, timestamped now. Every call is answered after its datapoints " +
      "committed. datapoints/s = req/s × 20.",
    request: (host) =>
      cloudwatch(host, "PutMetricData", {
        Namespace: "Bench/Put",
        MetricData: Array.from({ length: PER_CALL }, (_, i) => ({
          MetricName: `m${i}`,
          Dimensions: [{ Name: "Host", Value: `host-${i % 4}` }],
          Value: i * 1.5,
          Unit: "Milliseconds",
        })),
      }),
    goal: { key: "rps", better: "higher", ratio: 20 },
  }),
  "datapointsPerSec",
  "datapoints/s",
  PER_CALL,
);
