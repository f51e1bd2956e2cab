/** Log group tags: TagResource / UntagResource / ListTagsForResource and the legacy TagLogGroup family. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagLogGroupCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { awsCli, unique, type Vigil } from "../helpers/vigil.js";
import { accountKey, newGroup, rejects, startLogsVigil } from "./metadata-helpers.js";

let vigil: Vigil;
let logs: CloudWatchLogsClient;
before(async () => {
  vigil = await startLogsVigil();
  logs = vigil.client(CloudWatchLogsClient);
});
after(() => vigil.close());

const arnOf = (name: string, account = "000000000000", region = "us-east-1") =>
  `arn:aws:logs:${region}:${account}:log-group:${name}`;
const tagsOf = async (name: string) => {
  const legacy = (await logs.send(new ListTagsLogGroupCommand({ logGroupName: name }))).tags;
  const current = (await logs.send(new ListTagsForResourceCommand({ resourceArn: arnOf(name) }))).tags;
  assert.deepEqual(legacy, current, "both APIs see the same tags");
  return current;
};
const manyTags = (n: number, prefix = "k") =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, `v${i}`]));

test("tags given at creation, then the new and legacy APIs on the same tags (as recorded on AWS)", async () => {
  const name = unique("/vigil/tags/both");
  await logs.send(new CreateLogGroupCommand({ logGroupName: name, tags: { env: "testing1" } }));
  assert.deepEqual(await tagsOf(name), { env: "testing1" });
  const arn = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups![0]!.logGroupArn!;
  await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { test1: "val1", test2: "val2" } }));
  assert.deepEqual(await tagsOf(name), { env: "testing1", test1: "val1", test2: "val2" });
  await logs.send(new TagLogGroupCommand({ logGroupName: name, tags: { test3: "val3" } }));
  assert.deepEqual(await tagsOf(name), { env: "testing1", test1: "val1", test2: "val2", test3: "val3" });
  await logs.send(new UntagLogGroupCommand({ logGroupName: name, tags: ["test3"] }));
  await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["env", "test1", "never-there"] }));
  assert.deepEqual(await tagsOf(name), { test2: "val2" });
});

test("a tag given again replaces its value; a group without tags lists {}", async () => {
  const name = await newGroup(logs);
  assert.deepEqual(await tagsOf(name), {});
  await logs.send(new TagLogGroupCommand({ logGroupName: name, tags: { k: "1" } }));
  await logs.send(new TagResourceCommand({ resourceArn: arnOf(name), tags: { k: "2", other: "" } }));
  assert.deepEqual(await tagsOf(name), { k: "2", other: "" });
});

test("the :* ARN DescribeLogGroups answers in arn is not a tagging ARN", async () => {
  const name = await newGroup(logs);
  for (const cmd of [
    new ListTagsForResourceCommand({ resourceArn: `${arnOf(name)}:*` }),
    new TagResourceCommand({ resourceArn: `${arnOf(name)}:*`, tags: { a: "b" } }),
    new UntagResourceCommand({ resourceArn: `${arnOf(name)}:*`, tagKeys: ["a"] }),
    new ListTagsForResourceCommand({ resourceArn: "not-an-arn" }),
    new ListTagsForResourceCommand({ resourceArn: `${arnOf(name)}:log-stream:s` }),
    new ListTagsForResourceCommand({ resourceArn: "arn:aws:sqs:us-east-1:000000000000:queue" }),
  ]) {
    await rejects(logs.send(cmd as ListTagsForResourceCommand), "ValidationException", "Invalid resourceArn");
  }
});

test("tagging a group that does not exist, or another account's, fails", async () => {
  const name = await newGroup(logs);
  for (const arn of [arnOf(`${name}-missing`), arnOf(name, "111122223333"), arnOf(name, "000000000000", "eu-west-1")]) {
    await rejects(
      logs.send(new TagResourceCommand({ resourceArn: arn, tags: { a: "b" } })),
      "ResourceNotFoundException",
      "The specified log group does not exist.",
    );
  }
  const stranger = vigil.client(CloudWatchLogsClient, accountKey("444444444444"));
  await rejects(
    stranger.send(new ListTagsLogGroupCommand({ logGroupName: name })),
    "ResourceNotFoundException",
    "The specified log group does not exist.",
  );
  await rejects(
    logs.send(new UntagLogGroupCommand({ logGroupName: `${name}-missing`, tags: ["a"] })),
    "ResourceNotFoundException",
    "The specified log group does not exist.",
  );
  await rejects(
    logs.send(new ListTagsForResourceCommand({ resourceArn: "arn:aws:logs:us-east-1:000000000000:destination:d" })),
    "ResourceNotFoundException",
    "The specified destination does not exist.",
  );
});

test("at most 50 tags per group, whichever API adds them", async () => {
  const name = await newGroup(logs);
  await logs.send(new TagResourceCommand({ resourceArn: arnOf(name), tags: manyTags(50) }));
  await logs.send(new TagResourceCommand({ resourceArn: arnOf(name), tags: { k0: "replaced" } }));
  const err = await rejects(
    logs.send(new TagResourceCommand({ resourceArn: arnOf(name), tags: { one: "more" } })),
    "TooManyTagsException",
    "A resource can have no more than 50 tags.",
  );
  assert.equal((err as unknown as { resourceName: string }).resourceName, arnOf(name));
  await rejects(
    logs.send(new TagLogGroupCommand({ logGroupName: name, tags: { one: "more" } })),
    "InvalidParameterException",
    "A resource can have no more than 50 tags.",
  );
  assert.equal(Object.keys((await tagsOf(name))!).length, 50);
  await rejects(
    logs.send(new CreateLogGroupCommand({ logGroupName: unique("/vigil/tags/51"), tags: manyTags(51) })),
    "InvalidParameterException",
    /^1 validation error detected: Value '\{.*\}' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/,
  );
});

test("keys and values follow AWS's rules; aws: keys are reserved", async () => {
  const name = await newGroup(logs);
  await logs.send(
    new TagResourceCommand({ resourceArn: arnOf(name), tags: { "a b_c.d:e/f=g+h-i@j": "ok", ünï: "çødé" } }),
  );
  await rejects(
    logs.send(new TagResourceCommand({ resourceArn: arnOf(name), tags: { "bad*key": "v" } })),
    "InvalidParameterException",
    /^1 validation error detected: .* at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: \[Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: \^\(\[\\p\{L\}\\p\{Z\}\\p\{N\}_\.:\/=\+\\-@\]\+\)\$\]$/,
  );
  await rejects(
    logs.send(new TagResourceCommand({ resourceArn: arnOf(name), tags: { k: "v".repeat(257) } })),
    "InvalidParameterException",
    /Map value must satisfy constraint: \[Member must have length less than or equal to 256/,
  );
  for (const key of ["aws:owner", "AWS:owner"]) {
    await rejects(
      logs.send(new TagResourceCommand({ resourceArn: arnOf(name), tags: { [key]: "v" } })),
      "InvalidParameterException",
      `Tag keys starting with 'aws:' are reserved for AWS use: ${key}`,
    );
  }
  await rejects(
    logs.send(new CreateLogGroupCommand({ logGroupName: unique("/vigil/tags/aws"), tags: { "aws:x": "v" } })),
    "InvalidParameterException",
    "Tag keys starting with 'aws:' are reserved for AWS use: aws:x",
  );
});

test("aws logs tag-resource / list-tags-for-resource (CLI v1)", async () => {
  const name = await newGroup(logs);
  await awsCli(vigil.url, ["logs", "tag-resource", "--resource-arn", arnOf(name), "--tags", "team=core,tier=1"]);
  const out = JSON.parse(await awsCli(vigil.url, ["logs", "list-tags-for-resource", "--resource-arn", arnOf(name)]));
  assert.deepEqual(out, { tags: { team: "core", tier: "1" } });
});
