/**
 * The senders of SNS's delivery kinds (sqs, http/https, email/email-json), the subscription dead-letter handler, and
 * the shared `sns.publish` kind other services enqueue. HTTP/S requests carry the headers SNS sends
 * (https://docs.aws.amazon.com/sns/latest/dg/http-header.html); 2xx is delivered, 429 and 5xx and network failures
 * are retried on the subscription's delivery policy, other statuses (3xx included: SNS follows no redirect) fail.
 */
import nodemailer from "nodemailer";
import { isAwsError } from "../../errors/index.js";
import { delivered, permanent, retryable, type Delivery } from "../../delivery/engine.js";
import { errorOutcome, responseOutcome } from "../../delivery/targets/http.js";
import { internal, SNS_PUBLISH_KIND, type SnsMessage, type SnsPublishTarget } from "../internal.js";
import type { OutgoingMessage } from "../sqs/send.js";
import { snsMetrics } from "./metrics.js";
import {
  SNS_DLQ_KIND,
  SNS_EMAIL_KIND,
  SNS_HTTP_KIND,
  SNS_SQS_KIND,
  type SnsDlqTarget,
  type SnsEmailTarget,
  type SnsHttpTarget,
  type SnsSqsTarget,
} from "./publish.js";
import type { SnsState } from "./state.js";

/** SQS message attributes from the JSON payload (binary values travel as base64). */
function revive(m: OutgoingMessage): OutgoingMessage {
  if (!m.MessageAttributes) return m;
  const attrs: NonNullable<OutgoingMessage["MessageAttributes"]> = {};
  for (const [k, a] of Object.entries(m.MessageAttributes)) {
    const b = a.BinaryValue as unknown;
    attrs[k] = typeof b === "string" ? { ...a, BinaryValue: Buffer.from(b, "base64") } : a;
  }
  return { ...m, MessageAttributes: attrs };
}

export function registerSenders(state: SnsState): void {
  const { delivery, stores, config, log } = { ...state.deps, delivery: state.delivery };
  const metrics = snsMetrics(state);

  delivery.registerSender<SnsSqsTarget>(SNS_SQS_KIND, async (d) => {
    const send = internal(stores).sqsSend;
    if (!send) return retryable("InternalFailure", "SQS is not running");
    try {
      const id = await send(d.target.queueArn, revive(JSON.parse(d.payload.toString()) as OutgoingMessage), {
        account: d.target.account,
        service: "sns.amazonaws.com",
        sourceArn: d.target.topicArn,
      });
      return id === undefined
        ? permanent("AWS.SimpleQueueService.NonExistentQueue", `Queue ${d.target.queueArn} does not exist`)
        : delivered;
    } catch (err) {
      if (isAwsError(err)) return permanent(err.code, err.message);
      return retryable("InternalFailure", String(err));
    }
  });

  delivery.registerSender<SnsHttpTarget>(SNS_HTTP_KIND, async (d, signal) => {
    const http = delivery.http;
    if (!http) return permanent("InternalFailure", "no outbound HTTP client");
    const t = d.target;
    const headers: Record<string, string> = {
      "x-amz-sns-message-type": t.type,
      "x-amz-sns-message-id": t.messageId,
      "x-amz-sns-topic-arn": t.topicArn,
      "content-type": t.contentType,
      "user-agent": "Amazon Simple Notification Service Agent",
    };
    if (t.type !== "SubscriptionConfirmation") headers["x-amz-sns-subscription-arn"] = t.subscriptionArn;
    if (t.raw) headers["x-amz-sns-rawdelivery"] = "true";
    try {
      const res = await http.request({ url: t.url, method: "POST", headers, body: d.payload, signal });
      return responseOutcome(res);
    } catch (err) {
      return errorOutcome(err);
    }
  });

  let transport: ReturnType<typeof nodemailer.createTransport> | undefined;
  delivery.registerSender<SnsEmailTarget>(SNS_EMAIL_KIND, async (d) => {
    const url = config.smtpUrl;
    if (!url) return retryable("SmtpNotConfigured", "no SMTP server is configured (--smtp-url)");
    transport ??= nodemailer.createTransport(url);
    try {
      await transport.sendMail({
        from: d.target.fromName
          ? { name: d.target.fromName, address: config.smtpFrom ?? "no-reply@sns.amazonaws.com" }
          : (config.smtpFrom ?? "no-reply@sns.amazonaws.com"),
        to: d.target.to,
        subject: d.target.subject,
        text: d.payload.toString(),
      });
      return delivered;
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      // SMTP 5xx answers are permanent; connection problems and 4xx are worth another try.
      if (code !== undefined && code >= 500) return permanent("SmtpRejected", String((err as Error).message));
      return retryable("SmtpFailure", String((err as Error).message));
    }
  });

  // Subscription dead-letter queues: the message SNS would have delivered, with its error as message attributes
  // (https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html: the DLQ message carries RequestID,
  // ErrorCode and ErrorMessage attributes).
  delivery.registerDeadLetterHandler<SnsDlqTarget>(SNS_DLQ_KIND, async ({ delivery: d, deadLetter, error }) => {
    const send = internal(stores).sqsSend;
    if (!send) throw new Error("SQS is not running");
    const body =
      d.kind === SNS_SQS_KIND
        ? ((JSON.parse(d.payload.toString()) as OutgoingMessage).MessageBody ?? "")
        : d.payload.toString();
    const t = deadLetter.target;
    const message: OutgoingMessage = {
      MessageBody: body,
      MessageAttributes: {
        RequestID: { DataType: "String", StringValue: t.messageId },
        ErrorCode: { DataType: "String", StringValue: error.code },
        ErrorMessage: { DataType: "String", StringValue: error.message || error.code },
      },
    };
    if (t.queueArn.endsWith(".fifo")) {
      message.MessageGroupId = "sns-dlq";
      message.MessageDeduplicationId = `${t.messageId}-${t.subscriptionArn.slice(-36)}`.slice(0, 128);
    }
    const id = await send(t.queueArn, message, {
      account: t.account,
      service: "sns.amazonaws.com",
      sourceArn: t.topicArn,
    });
    if (id === undefined) throw new Error(`dead-letter queue ${t.queueArn} does not exist`);
  });

  // Services publishing on their own (alarm actions, rules, bucket notifications) enqueue sns.publish.
  delivery.registerSender<SnsPublishTarget>(SNS_PUBLISH_KIND, async (d: Delivery<SnsPublishTarget>) => {
    const publish = internal(stores).snsPublish;
    if (!publish) return retryable("InternalFailure", "SNS is not running");
    try {
      await publish(d.target.topicArn, JSON.parse(d.payload.toString()) as SnsMessage, d.target.publisher);
      return delivered;
    } catch (err) {
      if (isAwsError(err)) return permanent(err.code, err.message);
      return retryable("InternalFailure", String(err));
    }
  });

  delivery.onEvent((e) => {
    const k = e.delivery.kind;
    if (k !== SNS_SQS_KIND && k !== SNS_HTTP_KIND && k !== SNS_EMAIL_KIND) return;
    const t = e.delivery.target as { topicArn: string; type?: string };
    if (t.type && t.type !== "Notification") return;
    if (e.type === "delivered") metrics.delivered(e.delivery, t.topicArn);
    else metrics.failed(e.delivery, t.topicArn);
  });
  void log;
}
