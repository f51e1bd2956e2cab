/**
 * Every workload, in the order they run and appear in docs/benchmarks.md. To add one (PutLogEvents, PutMetricData,
 * SQS round trips, ...): write bench/workloads/<name>.ts exporting a Workload (most are a throughputWorkload({...})),
 * and append it here.
 */
import type { Workload } from "../lib/types.js";
import { cloudtrailLookupEvents } from "./cloudtrail-lookup-events.js";
import { cloudtrailTrailOverhead } from "./cloudtrail-trail-overhead.js";
import { cloudwatchGetMetricStatistics } from "./cloudwatch-get-metric-statistics.js";
import { cloudwatchPutMetricData } from "./cloudwatch-put-metric-data.js";
import { coldStart } from "./cold-start.js";
import { eventsPut } from "./events-put.js";
import { logsFilterLogEvents } from "./logs-filter-log-events.js";
import { logsIngestMemory } from "./logs-ingest-memory.js";
import { logsPutLogEvents } from "./logs-put-log-events.js";
import { sqsRoundTrip } from "./sqs-round-trip.js";
import { snsPublish } from "./sns-publish.js";
import { stsGetCallerIdentity } from "./sts-get-caller-identity.js";

export const WORKLOADS: Workload[] = [
  coldStart,
  stsGetCallerIdentity,
  cloudtrailLookupEvents,
  cloudtrailTrailOverhead,
  logsPutLogEvents,
  logsFilterLogEvents,
  logsIngestMemory,
  sqsRoundTrip,
  snsPublish,
  eventsPut,
  cloudwatchPutMetricData,
  cloudwatchGetMetricStatistics,
];
