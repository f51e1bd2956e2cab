/** KMS keys of log groups: CreateLogGroup's kmsKeyId, AssociateKmsKey and DisassociateKmsKey. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  AssociateKmsKeyCommand,
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  DisassociateKmsKeyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { unique, type Vigil } from "../helpers/vigil.js";
import { newGroup, rejects, startLogsVigil } from "./metadata-helpers.js";

const KEY = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OTHER_KEY = "arn:aws:kms:us-east-1:000000000000:key/mrk-1234abcd12ab34cd56ef1234567890ab";

let vigil: Vigil;
let logs: CloudWatchLogsClient;
before(async () => {
  vigil = await startLogsVigil();
  logs = vigil.client(CloudWatchLogsClient);
});
after(() => vigil.close());

const keyOf = async (name: string) =>
  (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups![0]!.kmsKeyId;

test("a key given at creation is described; associating another replaces it; disassociating removes it", async () => {
  const name = unique("/vigil/kms/create");
  await logs.send(new CreateLogGroupCommand({ logGroupName: name, kmsKeyId: KEY }));
  assert.equal(await keyOf(name), KEY);
  await logs.send(new AssociateKmsKeyCommand({ logGroupName: name, kmsKeyId: OTHER_KEY }));
  assert.equal(await keyOf(name), OTHER_KEY);
  await logs.send(new DisassociateKmsKeyCommand({ logGroupName: name }));
  assert.equal(await keyOf(name), undefined);
  await logs.send(new DisassociateKmsKeyCommand({ logGroupName: name }));
});

test("the group may be named by its ARN in resourceIdentifier, but not by both", async () => {
  const name = await newGroup(logs);
  const arn = `arn:aws:logs:us-east-1:000000000000:log-group:${name}`;
  await logs.send(new AssociateKmsKeyCommand({ resourceIdentifier: arn, kmsKeyId: KEY }));
  assert.equal(await keyOf(name), KEY);
  await logs.send(new DisassociateKmsKeyCommand({ resourceIdentifier: arn }));
  assert.equal(await keyOf(name), undefined);
  for (const input of [{ logGroupName: name, resourceIdentifier: arn }, {}]) {
    await rejects(
      logs.send(new AssociateKmsKeyCommand({ ...input, kmsKeyId: KEY })),
      "InvalidParameterException",
      "Specify either logGroupName or resourceIdentifier, but not both.",
    );
    await rejects(
      logs.send(new DisassociateKmsKeyCommand(input)),
      "InvalidParameterException",
      "Specify either logGroupName or resourceIdentifier, but not both.",
    );
  }
  await rejects(
    logs.send(new AssociateKmsKeyCommand({ resourceIdentifier: "arn:aws:s3:::bucket", kmsKeyId: KEY })),
    "InvalidParameterException",
    "Invalid resourceIdentifier: arn:aws:s3:::bucket",
  );
});

test("a missing group, or another account's, is not found", async () => {
  const name = unique("/vigil/kms/missing");
  for (const input of [
    { logGroupName: name },
    { resourceIdentifier: `arn:aws:logs:us-east-1:000000000000:log-group:${name}` },
    { resourceIdentifier: `arn:aws:logs:us-east-1:111122223333:log-group:${name}` },
  ]) {
    await rejects(
      logs.send(new AssociateKmsKeyCommand({ ...input, kmsKeyId: KEY })),
      "ResourceNotFoundException",
      "The specified log group does not exist.",
    );
    await rejects(
      logs.send(new DisassociateKmsKeyCommand(input)),
      "ResourceNotFoundException",
      "The specified log group does not exist.",
    );
  }
});

test("the key must be a KMS key ARN", async () => {
  const name = await newGroup(logs);
  for (const bad of [
    "1234abcd-12ab-34cd-56ef-1234567890ab",
    "alias/mine",
    "arn:aws:kms:us-east-1:000000000000:alias/x",
  ]) {
    await rejects(
      logs.send(new AssociateKmsKeyCommand({ logGroupName: name, kmsKeyId: bad })),
      "InvalidParameterException",
      `Specified KMS key is not a valid key ARN: ${bad}`,
    );
    await rejects(
      logs.send(new CreateLogGroupCommand({ logGroupName: unique("/vigil/kms/bad"), kmsKeyId: bad })),
      "InvalidParameterException",
      `Specified KMS key is not a valid key ARN: ${bad}`,
    );
  }
  assert.equal(await keyOf(name), undefined);
});

test("query results have no key yet: Logs Insights is not implemented", async () => {
  const err = await rejects(
    logs.send(
      new AssociateKmsKeyCommand({
        resourceIdentifier: "arn:aws:logs:us-east-1:000000000000:query-result:*",
        kmsKeyId: KEY,
      }),
    ),
    "NotImplemented",
    "Vigil does not implement logs:AssociateKmsKey for query results yet (see docs/compatibility.md).",
  );
  assert.equal(err.$metadata?.httpStatusCode, 501);
});
