/** CloudWatch Logs CreateExportTask / DescribeExportTasks / CancelExportTask to a real Vigil S3 bucket. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { gunzipSync } from "node:zlib";
import {
  CancelExportTaskCommand,
  CloudWatchLogsClient,
  CreateExportTaskCommand,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeExportTasksCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { startVigil, unique, type Vigil } from "../helpers/vigil.js";

let vigil: Vigil;
let s3: S3Client;
let logs: CloudWatchLogsClient;
const T0 = Date.parse("2024-08-01T00:00:00Z");

before(async () => {
  vigil = await startVigil({ clock: "manual", clockStart: "2024-08-01T01:00:00Z" });
  s3 = vigil.client(S3Client, { forcePathStyle: true });
  logs = vigil.client(CloudWatchLogsClient);
});
after(() => vigil.close());

async function bucketFor(allowLogs: boolean): Promise<string> {
  const bucket = unique("export");
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  if (allowLogs) {
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "logs.amazonaws.com" },
              Action: "s3:PutObject",
              Resource: `arn:aws:s3:::${bucket}/*`,
            },
          ],
        }),
      }),
    );
  }
  return bucket;
}

async function text(bucket: string, key: string, gz = false): Promise<string> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = Buffer.from(await got.Body!.transformToByteArray());
  return (gz ? gunzipSync(body) : body).toString();
}

test("an export task writes the write test object, then each stream's events in [from, to)", async () => {
  const group = unique("grp");
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  for (const stream of ["a", "b"]) {
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: stream,
        logEvents: [
          { timestamp: T0 + 1000, message: `${stream} one` },
          { timestamp: T0 + 2000, message: `${stream} two` },
          { timestamp: T0 + 10_000, message: `${stream} late` },
        ],
      }),
    );
  }
  const bucket = await bucketFor(true);
  const { taskId } = await logs.send(
    new CreateExportTaskCommand({
      taskName: "t1",
      logGroupName: group,
      from: T0,
      to: T0 + 10_000,
      destination: bucket,
      destinationPrefix: "exp",
    }),
  );
  assert.equal(await text(bucket, "exp/aws-logs-write-test"), "Permission Check Successful");
  const pending = await logs.send(new DescribeExportTasksCommand({ taskId }));
  assert.equal(pending.exportTasks![0].status!.code, "PENDING");
  await vigil.server.advance(1);
  const done = await logs.send(new DescribeExportTasksCommand({ taskId }));
  assert.equal(done.exportTasks![0].status!.code, "COMPLETED");
  assert.equal(done.exportTasks![0].destinationPrefix, "exp");
  const keys = (await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `exp/${taskId}/` }))).Contents!.map(
    (c) => c.Key,
  );
  assert.deepEqual(keys, [`exp/${taskId}/a/000000.gz`, `exp/${taskId}/b/000000.gz`]);
  assert.equal(
    await text(bucket, `exp/${taskId}/a/000000.gz`, true),
    "2024-08-01T00:00:01.000Z a one\n2024-08-01T00:00:02.000Z a two\n",
  );
  await assert.rejects(logs.send(new CancelExportTaskCommand({ taskId })), (e: Error) => {
    assert.equal(e.name, "InvalidOperationException");
    assert.equal(e.message, "The specified export task has already finished. Current status: COMPLETED");
    return true;
  });
});

test("export errors: missing group, missing bucket, bucket policy, one active task, cancel", async () => {
  const group = unique("grp");
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  const reject = async (p: Promise<unknown>, name: string, message: string) =>
    assert.rejects(p, (e: Error) => e.name === name && e.message === message);
  const denied = await bucketFor(false);
  await reject(
    logs.send(new CreateExportTaskCommand({ logGroupName: unique("nope"), from: T0, to: T0 + 1, destination: denied })),
    "ResourceNotFoundException",
    "The specified log group does not exist.",
  );
  await reject(
    logs.send(new CreateExportTaskCommand({ logGroupName: group, from: T0, to: T0 + 1, destination: unique("nobkt") })),
    "InvalidParameterException",
    "The specified bucket does not exist.",
  );
  await reject(
    logs.send(new CreateExportTaskCommand({ logGroupName: group, from: T0, to: T0 + 1, destination: denied })),
    "InvalidParameterException",
    "GetBucketAcl call on the given bucket failed. Please check if CloudWatch Logs has been granted permission to perform this operation.",
  );
  const ok = await bucketFor(true);
  const { taskId } = await logs.send(
    new CreateExportTaskCommand({ logGroupName: group, from: T0, to: T0 + 1, destination: ok }),
  );
  await reject(
    logs.send(new CreateExportTaskCommand({ logGroupName: group, from: T0, to: T0 + 1, destination: ok })),
    "LimitExceededException",
    "Resource limit exceeded.",
  );
  await logs.send(new CancelExportTaskCommand({ taskId }));
  await vigil.server.advance(1);
  const t = await logs.send(new DescribeExportTasksCommand({ taskId }));
  assert.equal(t.exportTasks![0].status!.code, "CANCELLED");
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: ok, Prefix: `exportedlogs/${taskId}/` }));
  assert.equal(listed.Contents, undefined);
});
