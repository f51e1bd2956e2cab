/**
 * Email subscriptions through SMTP (smtp-server as the sink): the confirmation email with its SubscribeURL, then
 * notifications as plain text (email) and as the signed JSON envelope (email-json), with the Subject.
 */
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { SMTPServer } from "smtp-server";
import { GetSubscriptionAttributesCommand, PublishCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import type { Vigil } from "../helpers/vigil.js";
import { newTopic, rejects, startSnsVigil } from "./helpers.js";
import { verifyEnvelope, type Envelope } from "./verify.js";

interface Mail {
  to: string[];
  raw: string;
}

let vigil: Vigil;
let sns: SNSClient;
let smtp: SMTPServer;
const mails: Mail[] = [];

before(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString() });
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
  const port = (smtp.server.address() as AddressInfo).port;
  vigil = await startSnsVigil({ smtpUrl: `smtp://127.0.0.1:${port}` });
  sns = vigil.client(SNSClient);
});
after(async () => {
  await vigil.close();
  await new Promise<void>((r) => smtp.close(() => r()));
});

/** The text body of a mail (nodemailer sends quoted-printable for long lines). */
function body(m: Mail): string {
  const text = m.raw
    .split(/\r\n\r\n/)
    .slice(1)
    .join("\r\n\r\n");
  return text.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

const run = () => vigil.server.scheduler.advance(0);
const take = (to: string) => {
  const i = mails.findIndex((m) => m.to.includes(to));
  return i < 0 ? undefined : mails.splice(i, 1)[0];
};

test("email: a confirmation email, then plain-text notifications with the subject", async () => {
  const { arn } = await newTopic(sns, { DisplayName: "Alerts" });
  const to = "ops@example.com";
  const sub = await sns.send(
    new SubscribeCommand({ TopicArn: arn, Protocol: "email", Endpoint: to, ReturnSubscriptionArn: true }),
  );
  await run();
  const confirm = take(to);
  assert.ok(confirm, "confirmation email sent");
  assert.match(confirm.raw, /Subject: AWS Notification - Subscription Confirmation/);
  const url = /(http:\/\/\S+Action=ConfirmSubscription\S+)/.exec(body(confirm))![1]!;
  assert.equal((await fetch(url)).status, 200);
  const a = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }));
  assert.equal(a.Attributes!.PendingConfirmation, "false");

  await sns.send(new PublishCommand({ TopicArn: arn, Message: "disk is full", Subject: "Disk alarm" }));
  await run();
  const n = take(to);
  assert.ok(n, "notification sent");
  assert.match(n.raw, /Subject: Disk alarm/);
  assert.match(n.raw, /From: Alerts <no-reply@sns.amazonaws.com>/);
  assert.match(body(n), /^disk is full\r?\n/);
  assert.match(body(n), /Action=Unsubscribe/);
});

test("email-json: the signed envelope as the mail body", async () => {
  const { arn } = await newTopic(sns);
  const to = "json@example.com";
  await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: "email-json", Endpoint: to }));
  await run();
  const confirm = JSON.parse(body(take(to)!)) as Record<string, string>;
  assert.equal(confirm.Type, "SubscriptionConfirmation");
  assert.equal((await fetch(confirm.SubscribeURL!)).status, 200);
  await sns.send(new PublishCommand({ TopicArn: arn, Message: "as json" }));
  await run();
  const e = JSON.parse(body(take(to)!)) as Envelope;
  assert.equal(e.Type, "Notification");
  assert.equal(e.Message, "as json");
  await verifyEnvelope(e);
});

test("email endpoints must be addresses", async () => {
  const { arn } = await newTopic(sns);
  await rejects(
    sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: "email", Endpoint: "not-an-address" })),
    "InvalidParameterException",
    "Invalid parameter: Email address",
  );
});
