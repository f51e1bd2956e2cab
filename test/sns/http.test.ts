/**
 * HTTP/S subscriptions: the SubscriptionConfirmation POST (headers, signed body, SubscribeURL that confirms), the
 * notifications with SNS's headers, raw delivery, the default retry policy (3 retries 20 s apart) and a subscription's
 * own DeliveryPolicy on the manual clock, no redirect followed, and the subscription dead-letter queue.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import {
  ConfirmSubscriptionCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Vigil } from "../helpers/vigil.js";
import { deliverAndReceive, newQueue, newTopic, rejects, startSnsVigil, START } from "./helpers.js";
import { verifyEnvelope } from "./verify.js";

interface Hit {
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let vigil: Vigil;
let sns: SNSClient;
let sqs: SQSClient;
let server: http.Server;
let base: string;
/** Per path: what the endpoint answers, and what it received. */
const answers = new Map<string, number>();
const hits = new Map<string, Hit[]>();

before(async () => {
  vigil = await startSnsVigil();
  sns = vigil.client(SNSClient);
  sqs = vigil.client(SQSClient);
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const list = hits.get(req.url!) ?? [];
      list.push({ at: vigil.server.clock.now() - START, headers: req.headers, body: Buffer.concat(chunks).toString() });
      hits.set(req.url!, list);
      const status = answers.get(req.url!) ?? 200;
      res.writeHead(status, status === 301 ? { location: "http://127.0.0.1:1/" } : {}).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await vigil.close();
  server.close();
});

const run = (seconds = 0) => vigil.server.scheduler.advance(seconds * 1000);

/** Subscribes the endpoint path, checks the confirmation request, confirms with its token. */
async function confirmed(topicArn: string, path: string, attributes: Record<string, string> = {}) {
  const sub = await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: "http", Endpoint: base + path, Attributes: attributes }),
  );
  assert.equal(sub.SubscriptionArn, "pending confirmation");
  await run();
  const [c] = hits.get(path) ?? [];
  assert.ok(c, "confirmation request received");
  hits.delete(path);
  const body = JSON.parse(c.body) as Record<string, string>;
  const r = await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: body.Token! }));
  return { arn: r.SubscriptionArn!, confirmation: c, body };
}

test("the SubscriptionConfirmation request is signed, and its SubscribeURL confirms the subscription", async () => {
  const { arn: topicArn } = await newTopic(sns);
  const path = "/confirm";
  const sub = await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: "http", Endpoint: base + path, ReturnSubscriptionArn: true }),
  );
  assert.match(sub.SubscriptionArn!, new RegExp(`^${topicArn}:`));
  const pending = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }));
  assert.equal(pending.Attributes!.PendingConfirmation, "true");
  const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
  assert.equal(listed.Subscriptions![0]!.SubscriptionArn, "PendingConfirmation");
  await run();
  const [c] = hits.get(path)!;
  assert.equal(c!.headers["x-amz-sns-message-type"], "SubscriptionConfirmation");
  assert.equal(c!.headers["x-amz-sns-topic-arn"], topicArn);
  assert.equal(c!.headers["content-type"], "text/plain; charset=UTF-8");
  assert.equal(c!.headers["user-agent"], "Amazon Simple Notification Service Agent");
  const body = JSON.parse(c!.body) as Record<string, string>;
  assert.deepEqual(Object.keys(body), [
    "Type",
    "MessageId",
    "Token",
    "TopicArn",
    "Message",
    "SubscribeURL",
    "Timestamp",
    "SignatureVersion",
    "Signature",
    "SigningCertURL",
  ]);
  assert.equal(c!.headers["x-amz-sns-message-id"], body.MessageId);
  assert.equal(
    body.Message,
    `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
  );
  await verifyEnvelope(body as never);
  await rejects(
    sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: "abcdef0123" })),
    "InvalidParameterException",
    "Invalid parameter: Token",
  );
  await rejects(
    sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: "not a token!" })),
    "InvalidParameterException",
    "Invalid token",
  );
  // Visiting the SubscribeURL (unsigned GET) confirms.
  const res = await fetch(body.SubscribeURL!);
  assert.equal(res.status, 200);
  assert.match(await res.text(), new RegExp(`<SubscriptionArn>${sub.SubscriptionArn}</SubscriptionArn>`));
  const done = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }));
  assert.equal(done.Attributes!.PendingConfirmation, "false");
  // No notification goes to a pending subscription; this one is confirmed now.
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "after confirm", Subject: "S" }));
  await run();
  const [n] = hits.get(path)!.slice(1);
  assert.equal(n!.headers["x-amz-sns-message-type"], "Notification");
  assert.equal(n!.headers["x-amz-sns-subscription-arn"], sub.SubscriptionArn);
  const e = JSON.parse(n!.body) as Record<string, string>;
  assert.equal(n!.headers["x-amz-sns-message-id"], e.MessageId);
  assert.equal(e.Message, "after confirm");
  assert.equal(e.Subject, "S");
  await verifyEnvelope(e as never);
});

test("a pending subscription receives nothing; raw delivery posts the bare message", async () => {
  const { arn: topicArn } = await newTopic(sns);
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "http", Endpoint: base + "/never" }));
  const { arn } = await confirmed(topicArn, "/raw", { RawMessageDelivery: "true" });
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "bare" }));
  await run();
  assert.equal(hits.get("/never")!.length, 1, "only the confirmation request");
  const [n] = hits.get("/raw")!;
  assert.equal(n!.body, "bare");
  assert.equal(n!.headers["x-amz-sns-rawdelivery"], "true");
  assert.equal(n!.headers["x-amz-sns-subscription-arn"], arn);
});

test("a failing endpoint is retried 3 times 20 seconds apart (the default HTTP policy), then given up", async () => {
  const { arn: topicArn } = await newTopic(sns);
  await confirmed(topicArn, "/fail500");
  answers.set("/fail500", 500);
  const t0 = vigil.server.clock.now() - START;
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "retry me" }));
  for (let i = 0; i < 10; i++) await run(10);
  const at = hits.get("/fail500")!.map((h) => h.at - t0);
  assert.equal(at.length, 4);
  assert.equal(at[0], 0);
  // 20 s targets with up to 10% jitter taken off, run on 10 s steps of the clock.
  for (let i = 1; i < 4; i++) assert.ok(at[i]! - at[i - 1]! >= 10_000 && at[i]! - at[i - 1]! <= 20_000, String(at));
});

test("a subscription DeliveryPolicy sets its own retries; a redirect is not followed and is not retried", async () => {
  const { arn: topicArn } = await newTopic(sns);
  await confirmed(topicArn, "/own", {
    DeliveryPolicy: JSON.stringify({
      healthyRetryPolicy: {
        minDelayTarget: 1,
        maxDelayTarget: 1,
        numRetries: 5,
        numNoDelayRetries: 2,
        backoffFunction: "linear",
      },
    }),
  });
  answers.set("/own", 503);
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "m" }));
  for (let i = 0; i < 10; i++) await run(1);
  assert.equal(hits.get("/own")!.length, 6);

  await confirmed(topicArn, "/moved");
  answers.set("/moved", 301);
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "m" }));
  for (let i = 0; i < 5; i++) await run(30);
  assert.equal(hits.get("/moved")!.length, 1);
});

test("a message the endpoint never takes goes to the subscription's dead-letter queue", async () => {
  const { arn: topicArn } = await newTopic(sns);
  const dlq = await newQueue(sqs);
  const { arn } = await confirmed(topicArn, "/dead", {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
  });
  answers.set("/dead", 400);
  const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "to the dlq" }));
  await run();
  const [m] = await deliverAndReceive(vigil, sqs, dlq.url);
  assert.ok(m, "dead-lettered");
  const e = JSON.parse(m.Body!) as Record<string, string>;
  assert.equal(e.Message, "to the dlq");
  assert.equal(e.MessageId, MessageId);
  assert.match(e.UnsubscribeURL!, new RegExp(arn));
  assert.equal(m.MessageAttributes!.ErrorCode!.StringValue, "HTTP_CLIENT_ERROR");
  assert.equal(m.MessageAttributes!.RequestID!.StringValue, MessageId);
});

test("AuthenticateOnUnsubscribe: the unsigned UnsubscribeURL is refused, the owner's signed call works", async () => {
  const { arn: topicArn } = await newTopic(sns);
  const path = "/auth-unsub";
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "http", Endpoint: base + path }));
  await run();
  const token = (JSON.parse(hits.get(path)![0]!.body) as { Token: string }).Token;
  const { SubscriptionArn } = await sns.send(
    new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: token, AuthenticateOnUnsubscribe: "true" }),
  );
  const a = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
  assert.equal(
    Object.keys(a.Attributes!).some((k) => k.includes("Unsubscribe")),
    false,
  );
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "m" }));
  await run();
  const url = (JSON.parse(hits.get(path)![1]!.body) as { UnsubscribeURL: string }).UnsubscribeURL;
  const res = await fetch(url);
  assert.equal(res.status, 403);
  assert.match(await res.text(), /<Code>AuthorizationError<\/Code>/);
  const other = vigil.client(SNSClient, { credentials: { accessKeyId: "111122223333", secretAccessKey: "x" } });
  await rejects(
    other.send(new UnsubscribeCommand({ SubscriptionArn })),
    "AuthorizationErrorException",
    /is not authorized to perform: SNS:Unsubscribe/,
  );
  await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
  await rejects(
    sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })),
    "NotFoundException",
    "Subscription does not exist",
  );
});
