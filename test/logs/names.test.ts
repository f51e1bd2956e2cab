/**
 * Names at their boundaries and with every character class the models' patterns allow and forbid:
 * log group names `[\.\-_/#A-Za-z0-9]+` (1-512), log stream names `[^:*]*` (1-512).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import type { Vigil } from "../helpers/vigil.js";
import { newGroup, rejects, startLogsVigil } from "./metadata-helpers.js";

let vigil: Vigil;
let logs: CloudWatchLogsClient;
before(async () => {
  vigil = await startLogsVigil();
  logs = vigil.client(CloudWatchLogsClient);
});
after(() => vigil.close());

const GROUP_PATTERN = "[\\.\\-_/#A-Za-z0-9]+";
const suffix = () => randomBytes(4).toString("hex");

test("group names take every allowed character class, at 1 and 512 characters", async () => {
  // The one-character name is used by no other test on this server.
  const names = [`.-_/#AZaz09-${suffix()}`, "#", `${suffix()}${"g".repeat(504)}`];
  assert.equal(names[2]!.length, 512);
  for (const name of names) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    const got = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    assert.equal(got.logGroups![0]!.logGroupName, name);
  }
});

test("group names with a forbidden character or empty are refused with AWS's validation message", async () => {
  for (const bad of ["a b", "a:b", "a*b", "a?b", "a@b", "caf\u00e9", "a\u0000b", "a+b", "a=b", "a,b"]) {
    await rejects(
      logs.send(new CreateLogGroupCommand({ logGroupName: bad })),
      "InvalidParameterException",
      `1 validation error detected: Value '${bad}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${GROUP_PATTERN}`,
    );
  }
  // An empty name breaks two constraints; AWS lists both, pattern first, as the model orders them.
  await rejects(
    logs.send(new CreateLogGroupCommand({ logGroupName: "" })),
    "InvalidParameterException",
    `2 validation errors detected: Value '' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${GROUP_PATTERN}; Value '' at 'logGroupName' failed to satisfy constraint: Member must have length greater than or equal to 1`,
  );
});

test("stream names take anything but ':' and '*', at 1 and 512 characters", async () => {
  const group = await newGroup(logs);
  const names = ["s", "with space", "caf\u00e9 \u{1F600}", "#/\\?@!%[]{}", "x".repeat(512)];
  for (const name of names) await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: name }));
  const got = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
  assert.deepEqual(got.logStreams!.map((s) => s.logStreamName).sort(), [...names].sort());
  for (const bad of ["a:b", "a*b", ":", "*"]) {
    await rejects(
      logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: bad })),
      "InvalidParameterException",
      `1 validation error detected: Value '${bad}' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*`,
    );
  }
});
