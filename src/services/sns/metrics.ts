/**
 * AWS/SNS metrics (dimension TopicName): NumberOfMessagesPublished, PublishSize, NumberOfNotificationsFilteredOut at
 * publish; NumberOfNotificationsDelivered and NumberOfNotificationsFailed from the delivery engine's outcomes (a
 * failed attempt that will be retried counts as failed, as AWS counts attempts). Summed per minute (MetricSums).
 */
import type { TopicRecord } from "../../storage/sns-store.js";
import { MetricSums } from "../service-metrics.js";
import type { SnsState } from "./state.js";

export interface SnsMetrics {
  sums: MetricSums;
  published(topic: TopicRecord, size: number, filteredOut: number): void;
  delivered(scope: { account: string; region: string }, topicArn: string): void;
  failed(scope: { account: string; region: string }, topicArn: string): void;
}

const NS = "AWS/SNS";
const all = new WeakMap<SnsState, SnsMetrics>();
const topicName = (arn: string) => ({ Name: "TopicName", Value: arn.slice(arn.lastIndexOf(":") + 1) });

export function snsMetrics(state: SnsState): SnsMetrics {
  let m = all.get(state);
  if (!m) {
    const sums = new MetricSums();
    m = {
      sums,
      published(topic, size, filteredOut) {
        const d = topicName(topic.arn);
        sums.add(topic, NS, "NumberOfMessagesPublished", d, 1);
        sums.add(topic, NS, "PublishSize", d, size, "Bytes");
        if (filteredOut > 0) sums.add(topic, NS, "NumberOfNotificationsFilteredOut", d, filteredOut);
      },
      delivered: (scope, arn) => sums.add(scope, NS, "NumberOfNotificationsDelivered", topicName(arn), 1),
      failed: (scope, arn) => sums.add(scope, NS, "NumberOfNotificationsFailed", topicName(arn), 1),
    };
    all.set(state, m);
  }
  return m;
}
