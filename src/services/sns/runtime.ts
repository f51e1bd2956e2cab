/**
 * The SNS runtime: the delivery senders (sqs, http/https, email, dead letters, the shared sns.publish kind), the
 * internal snsPublish entry other services call, the FIFO deduplication expiry, the per-minute flush of the AWS/SNS
 * and AWS/SQS metrics, and the AWS/SQS metrics hook.
 */
import { isAwsError } from "../../errors/index.js";
import { internal, type ServiceDeps, type ServiceRuntime } from "../internal.js";
import { sqsMetricsHook } from "../sqs/metrics.js";
import { setSqsMetricsHook } from "../sqs/runtime.js";
import { mayPublish, publishDenied } from "./access.js";
import { topicNotFound } from "./errors.js";
import { snsMetrics } from "./metrics.js";
import { checkPublish, publishChecked } from "./publish.js";
import { registerSenders } from "./senders.js";
import { initSnsState } from "./state.js";

export function startSns(deps: ServiceDeps): ServiceRuntime {
  const state = initSnsState(deps);
  const { stores, scheduler, log } = deps;
  registerSenders(state);
  const metrics = snsMetrics(state);
  setSqsMetricsHook(stores, sqsMetricsHook(deps, metrics.sums));

  internal(stores).snsPublish = async (topicArn, message, publisher) => {
    const topic = await stores.sns.getTopic(topicArn);
    if (!topic) throw topicNotFound();
    if (!mayPublish(topic, publisher)) throw publishDenied(topic, publisher);
    const checked = checkPublish(topic, {
      Message: message.message,
      Subject: message.subject,
      MessageStructure: message.messageStructure,
      MessageAttributes: message.messageAttributes,
      MessageGroupId: message.messageGroupId,
      MessageDeduplicationId: message.messageDeduplicationId,
    });
    // Service deliveries have no request endpoint: the server's own address as configured.
    const endpoint = `http://${deps.config.host === "0.0.0.0" ? "127.0.0.1" : deps.config.host}:${deps.config.port}`;
    const { messageId } = await publishChecked(state, topic, checked, endpoint);
    return { messageId };
  };

  scheduler.register({
    name: "sns-dedup-expiry",
    intervalMs: 60_000,
    run: async (now) => void (await stores.sns.expireDedup(now)),
  });
  scheduler.register({
    name: "sns-sqs-metrics-flush",
    intervalMs: 60_000,
    run: async (now) => {
      try {
        await metrics.sums.flush(deps, now);
      } catch (err) {
        if (!isAwsError(err)) log.warn({ err }, "sns: metrics flush failed");
      }
    },
  });
  return {};
}
