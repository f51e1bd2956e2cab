/**
 * The seam for the AWS/SQS CloudWatch metrics (NumberOfMessagesSent, SentMessageSize, NumberOfMessagesReceived,
 * NumberOfEmptyReceives, NumberOfMessagesDeleted), which arrive with the CloudWatch metrics issue: the message paths
 * report every event here; the hook is a no-op until the metrics engine installs one (setSqsMetricsHook). The
 * ApproximateNumberOf* gauges come from SqsStore.counts.
 */
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
