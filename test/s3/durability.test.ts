/**
 * Notifications are enqueued in the transaction that stores the object: an acknowledged PutObject's event is
 * delivered after a restart even when the server stopped before delivering it (manual clock: nothing is sent
 * until time moves).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { PutBucketNotificationConfigurationCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { startVigil } from "../helpers/vigil.js";
import { newBucket, s3Client } from "./helpers.js";

test("an acknowledged PutObject's notification survives a restart before delivery", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "vigil-s3-durable-"));
  const options = { dataDir, ephemeral: false, clock: "manual" as const, clockStart: "2026-11-23T10:00:00Z" };
  try {
    const first = await startVigil(options);
    let url: string;
    try {
      const s3 = s3Client(first);
      const sqs = first.client(SQSClient);
      const b = await newBucket(s3);
      url = (await sqs.send(new CreateQueueCommand({ QueueName: `durable-${b}` }))).QueueUrl!;
      const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] })))
        .Attributes!.QueueArn!;
      const policy = {
        Statement: [
          { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sqs:SendMessage", Resource: arn },
        ],
      };
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(policy) } }));
      await s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: b,
          NotificationConfiguration: { QueueConfigurations: [{ QueueArn: arn, Events: ["s3:ObjectCreated:*"] }] },
        }),
      );
      await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 })); // the test event
      await s3.send(new PutObjectCommand({ Bucket: b, Key: "kept", Body: "x" }));
      // Acknowledged, not delivered: the event waits in the outbox.
      const pending = await first.server.stores.delivery.list({ state: "pending", kind: "sqs.send" });
      assert.equal(pending.length, 1);
    } finally {
      await first.close(); // before any clock advance: the event is still in the outbox
    }
    const second = await startVigil(options);
    try {
      await second.server.advance(0);
      const got = await second
        .client(SQSClient)
        .send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
      const records = (got.Messages ?? []).map(
        (m) =>
          (JSON.parse(m.Body!) as { Records: { eventName: string; s3: { object: { key: string } } }[] }).Records[0]!,
      );
      assert.deepEqual(
        records.map((r) => [r.eventName, r.s3.object.key]),
        [["ObjectCreated:Put", "kept"]],
      );
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
