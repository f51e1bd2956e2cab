/**
 * EventBridge PutEvents with 10 entries per call on a bus with 100 rules (99 that do not match, 1 that matches with
 * an SQS queue target), from concurrent closed-loop clients. Every call is answered after the matching deliveries
 * were stored in the outbox; they are delivered to the queue meanwhile. Goal: at least 300x moto's entries/s.
 */
import { jsonRequest, type HttpRequestSpec } from "../lib/aws.js";
import { oneShot, type Target } from "../lib/load.js";
import { throughputWorkload } from "../lib/throughput.js";
import { perEvent } from "./logs-common.js";

const PER_CALL = 10;
const QUEUE = "bench-events";

const events = (host: string, operation: string, input: unknown): HttpRequestSpec =>
  jsonRequest(host, "events", `AWSEvents.${operation}`, "1.1", input);
const sqs = (host: string, operation: string, input: unknown): HttpRequestSpec =>
  jsonRequest(host, "sqs", `AmazonSQS.${operation}`, "1.0", input);

async function call(target: Target, spec: HttpRequestSpec): Promise<Record<string, unknown>> {
  const r = await oneShot(target, spec, 60_000);
  const text = r.body.toString("utf8");
  if (r.status < 200 || r.status >= 300) throw new Error(`HTTP ${r.status} ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

const detail = JSON.stringify({ command: "update-account", payload: { acc_id: "0a787ecb-4015", sf_id: "baz" } });

export const eventsPut = perEvent(
  throughputWorkload({
    name: "events-put",
    title: "EventBridge PutEvents throughput (100 rules, 1 matching with an SQS target)",
    description:
      "`events:PutEvents` (JSON 1.1, SigV4-signed) with 10 entries per call on the default bus, which has 100 " +
      "rules: 99 on other sources and 1 matching every entry with an SQS queue target. Each call is answered after " +
      "its deliveries are stored; the queue receives the events. entries/s = req/s × 10.",
    async setup(server, host) {
      const created = await call(server.target, sqs(host, "CreateQueue", { QueueName: QUEUE }));
      const attrs = await call(
        server.target,
        sqs(host, "GetQueueAttributes", { QueueUrl: created.QueueUrl, AttributeNames: ["QueueArn"] }),
      );
      const arn = (attrs.Attributes as Record<string, string>).QueueArn;
      for (let i = 0; i < 99; i++)
        await call(
          server.target,
          events(host, "PutRule", {
            Name: `other-${i}`,
            EventPattern: JSON.stringify({ source: [`bench.other-${i}`], detail: { command: [`c-${i}`] } }),
          }),
        );
      await call(
        server.target,
        events(host, "PutRule", { Name: "match", EventPattern: '{"source": ["bench.match"]}' }),
      );
      await call(server.target, events(host, "PutTargets", { Rule: "match", Targets: [{ Id: "q", Arn: arn }] }));
    },
    request: (host) =>
      events(host, "PutEvents", {
        Entries: Array.from({ length: PER_CALL }, () => ({
          Source: "bench.match",
          DetailType: "bench",
          Detail: detail,
        })),
      }),
    goal: { key: "rps", better: "higher", ratio: 300 },
  }),
  "entriesPerSec",
  "entries/s",
  PER_CALL,
);
