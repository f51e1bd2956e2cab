/**
 * The AWS CLI v1 on SQS (`--endpoint-url`, which CLI v1 needs for sqs: it ignores AWS_ENDPOINT_URL there), on JSON as
 * it ships and on Query through a Query variant of the model, with AWS's error codes and messages.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { buildQueryModel } from "../../src/services/sqs/query-compat.js";
import { awsCli, unique, type Vigil } from "../helpers/vigil.js";
import { ACCOUNT, startSqsVigil } from "./helpers.js";

let vigil: Vigil;
before(async () => {
  vigil = await startSqsVigil();
});
after(() => vigil.close());

let queryDir: string | undefined;
function queryModelDir(): string {
  if (queryDir) return queryDir;
  queryDir = mkdtempSync(path.join(os.tmpdir(), "vigil-sqs-cli-"));
  mkdirSync(path.join(queryDir, "sqs", "2012-11-05"), { recursive: true });
  writeFileSync(path.join(queryDir, "sqs", "2012-11-05", "service-2.json"), JSON.stringify(buildQueryModel()));
  return queryDir;
}

/** Runs the CLI; resolves with its JSON output, or with the error line it printed. */
async function cli(protocol: string, args: string[]): Promise<{ out?: unknown; error?: string }> {
  const env = protocol === "query" ? { AWS_DATA_PATH: queryModelDir() } : {};
  try {
    const stdout = await awsCli(vigil.url, ["sqs", ...args], undefined, env);
    return { out: stdout.trim() ? JSON.parse(stdout) : undefined };
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? e);
    // With AWS_MAX_ATTEMPTS=1 botocore adds " (reached max retries: 0)" to every error: the client's, not the server's.
    const line = /An error occurred .*$/m.exec(stderr)?.[0] ?? stderr;
    return { error: line.replace(/ \(reached max retries: \d+\)/, "") };
  }
}

for (const protocol of ["json", "query"]) {
  test(`the AWS CLI v1 drives a queue on ${protocol}`, async () => {
    const name = unique(`cli-${protocol}`);
    const url = `${vigil.url}/${ACCOUNT}/${name}`;
    assert.deepEqual(
      (
        await cli(protocol, [
          "create-queue",
          "--queue-name",
          name,
          "--attributes",
          "VisibilityTimeout=60,DelaySeconds=0",
        ])
      ).out,
      { QueueUrl: url },
    );
    const sent = (
      await cli(protocol, [
        "send-message",
        "--queue-url",
        url,
        "--message-body",
        "hello from the cli",
        "--message-attributes",
        '{"k": {"DataType": "String", "StringValue": "v"}}',
      ])
    ).out as Record<string, string>;
    assert.equal(sent.MD5OfMessageBody, "d9753fc9dd33c4c963eaa685be8083bc");
    const got = (
      await cli(protocol, [
        "receive-message",
        "--queue-url",
        url,
        "--attribute-names",
        "All",
        "--message-attribute-names",
        "All",
      ])
    ).out as {
      Messages: {
        Body: string;
        ReceiptHandle: string;
        MessageAttributes: object;
        Attributes: Record<string, string>;
      }[];
    };
    assert.equal(got.Messages[0]!.Body, "hello from the cli");
    assert.deepEqual(got.Messages[0]!.MessageAttributes, { k: { DataType: "String", StringValue: "v" } });
    assert.equal(got.Messages[0]!.Attributes.ApproximateReceiveCount, "1");
    assert.equal(
      (await cli(protocol, ["delete-message", "--queue-url", url, "--receipt-handle", got.Messages[0]!.ReceiptHandle]))
        .error,
      undefined,
    );
    const attrs = (
      await cli(protocol, [
        "get-queue-attributes",
        "--queue-url",
        url,
        "--attribute-names",
        "VisibilityTimeout",
        "ApproximateNumberOfMessages",
      ])
    ).out;
    assert.deepEqual(attrs, { Attributes: { ApproximateNumberOfMessages: "0", VisibilityTimeout: "60" } });
    const listed = (await cli(protocol, ["list-queues", "--queue-name-prefix", name])).out;
    assert.deepEqual(listed, { QueueUrls: [url] });
  });

  test(`the AWS CLI v1 shows AWS's SQS errors on ${protocol}`, async () => {
    const name = unique(`clierr-${protocol}`);
    const url = `${vigil.url}/${ACCOUNT}/${name}`;
    await cli(protocol, ["create-queue", "--queue-name", name]);
    const wsdl = protocol === "query" ? " for this wsdl version" : "";
    const cases: [string[], string][] = [
      [
        ["get-queue-url", "--queue-name", unique("nope")],
        `An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: The specified queue does not exist${wsdl}.`,
      ],
      [
        ["receive-message", "--queue-url", url, "--wait-time-seconds", "21"],
        "An error occurred (InvalidParameterValue) when calling the ReceiveMessage operation: Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.",
      ],
      [
        ["delete-message", "--queue-url", url, "--receipt-handle", "garbage"],
        'An error occurred (ReceiptHandleIsInvalid) when calling the DeleteMessage operation: The input receipt handle "garbage" is not a valid receipt handle.',
      ],
      [
        ["set-queue-attributes", "--queue-url", url, "--attributes", "VisibilityTimeout=43201"],
        "An error occurred (InvalidAttributeValue) when calling the SetQueueAttributes operation: Invalid value for the parameter VisibilityTimeout.",
      ],
      [
        ["set-queue-attributes", "--queue-url", url, "--attributes", "Nope=1"],
        "An error occurred (InvalidAttributeName) when calling the SetQueueAttributes operation: Unknown Attribute Nope.",
      ],
      [
        ["send-message", "--queue-url", url, "--message-body", "x", "--delay-seconds", "901"],
        "An error occurred (InvalidParameterValue) when calling the SendMessage operation: Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.",
      ],
    ];
    for (const [args, message] of cases) assert.equal((await cli(protocol, args)).error, message);
  });
}
