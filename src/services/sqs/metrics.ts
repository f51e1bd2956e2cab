/**
 * The seam for the AWS/SQS CloudWatch metrics (NumberOfMessagesSent, SentMessageSize, NumberOfMessagesReceived,
 * NumberOfEmptyReceives, NumberOfMessagesDeleted), which arrive with the CloudWatch metrics issue: the message paths
 * report every event here; the hook is a no-op until the metrics engine installs one (setSqsMetricsHook). The
 * ApproximateNumberOf* gauges come from SqsStore.counts.
 */
import type { ServiceDeps } from "../internal.js";
import type { MetricSums } from "../service-metrics.js";
import { settingsOf } from "./attributes.js";
export interface QueueName {
  account: string;
  region: string;
  name: string;
}

export interface SqsMetricsHook {
  /** Messages accepted by SendMessage / SendMessageBatch (deduplicated FIFO messages included), with their sizes. */
  sent(queue: QueueName, sizes: number[]): void;
  /** A ReceiveMessage answered `count` messages (0: an empty receive). */
  received(queue: QueueName, count: number): void;
  deleted(queue: QueueName, count: number): void;
}

export const NO_METRICS: SqsMetricsHook = { sent() {}, received() {}, deleted() {} };

/**
 * Installs the AWS/SQS metrics: the message paths' counters (NumberOfMessagesSent, SentMessageSize,
 * NumberOfMessagesReceived, NumberOfEmptyReceives, NumberOfMessagesDeleted) and, each minute, the gauges
 * ApproximateNumberOfMessagesVisible / NotVisible / Delayed of the queues of every account and region that used SQS
 * since start (SqsStore has no list across scopes). ApproximateAgeOfOldestMessage is not emitted (the store keeps no
 * per-queue oldest time). Returns the hook to install with setSqsMetricsHook.
 */
export function sqsMetricsHook(deps: ServiceDeps, sums: MetricSums): SqsMetricsHook {
  const scopes = new Map<string, { account: string; region: string }>();
  const dim = (q: QueueName) => {
    scopes.set(`${q.account}\n${q.region}`, { account: q.account, region: q.region });
    return { Name: "QueueName", Value: q.name };
  };
  const NS = "AWS/SQS";
  deps.scheduler.register({
    name: "sqs-metrics-gauges",
    intervalMs: 60_000,
    run: async (now) => {
      for (const scope of scopes.values()) {
        let after: string | undefined;
        for (;;) {
          const queues = await deps.stores.sqs.queues(scope, { after, limit: 1000 });
          for (const q of queues) {
            const retention = settingsOf(q).retentionSeconds * 1000;
            const c = await deps.stores.sqs.counts(q.id, now, now - retention);
            const d = { Name: "QueueName", Value: q.name };
            sums.add(scope, NS, "ApproximateNumberOfMessagesVisible", d, c.visible);
            sums.add(scope, NS, "ApproximateNumberOfMessagesNotVisible", d, c.notVisible);
            sums.add(scope, NS, "ApproximateNumberOfMessagesDelayed", d, c.delayed);
          }
          if (queues.length < 1000) break;
          after = queues[queues.length - 1]!.name;
        }
      }
    },
  });
  return {
    sent(q, sizes) {
      const d = dim(q);
      sums.add(q, NS, "NumberOfMessagesSent", d, sizes.length);
      for (const s of sizes) sums.add(q, NS, "SentMessageSize", d, s, "Bytes");
    },
    received(q, count) {
      const d = dim(q);
      if (count === 0) sums.add(q, NS, "NumberOfEmptyReceives", d, 1);
      else sums.add(q, NS, "NumberOfMessagesReceived", d, count);
    },
    deleted(q, count) {
      sums.add(q, NS, "NumberOfMessagesDeleted", dim(q), count);
    },
  };
}
