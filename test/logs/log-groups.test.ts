/** Log groups: CreateLogGroup, DeleteLogGroup, DescribeLogGroups, retention and deletion protection. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutLogGroupDeletionProtectionCommand,
  PutRetentionPolicyCommand,
  type DescribeLogGroupsCommandInput,
} from "@aws-sdk/client-cloudwatch-logs";
import { logs as logsService } from "../../src/services/logs/index.js";
import { awsCli, unique, type Vigil } from "../helpers/vigil.js";
import { accountKey, newGroup, rejects, startLogsVigil } from "./metadata-helpers.js";

const START = Date.parse("2026-03-01T10:00:00Z");
const ACCOUNT = "000000000000";

let vigil: Vigil;
let logs: CloudWatchLogsClient;
before(async () => {
  vigil = await startLogsVigil({ clock: "manual", clockStart: new Date(START).toISOString() });
  logs = vigil.client(CloudWatchLogsClient);
});
after(() => vigil.close());

const describe = (input: DescribeLogGroupsCommandInput, client = logs) =>
  client.send(new DescribeLogGroupsCommand(input));
const names = async (input: DescribeLogGroupsCommandInput) =>
  (await describe(input)).logGroups!.map((g) => g.logGroupName);

test("a new group is described with AWS's fields, both ARN forms and no retention", async () => {
  const name = unique("/vigil/groups/shape");
  await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  const res = await describe({ logGroupNamePrefix: name });
  assert.deepEqual(res.logGroups, [
    {
      logGroupName: name,
      creationTime: START,
      metricFilterCount: 0,
      arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}:*`,
      storedBytes: 0,
      logGroupClass: "STANDARD",
      logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`,
      deletionProtectionEnabled: false,
    },
  ]);
  assert.equal(res.nextToken, undefined);
});

test("creating an existing group fails; the name rules are AWS's", async () => {
  const name = await newGroup(logs);
  await rejects(
    logs.send(new CreateLogGroupCommand({ logGroupName: name })),
    "ResourceAlreadyExistsException",
    "The specified log group already exists",
  );
  await rejects(
    logs.send(new CreateLogGroupCommand({ logGroupName: "a".repeat(513) })),
    "InvalidParameterException",
    "Invalid LogGroup or LogStream, both must have length less than or equal to 512.",
  );
  await rejects(
    logs.send(new CreateLogGroupCommand({ logGroupName: "bad name" })),
    "InvalidParameterException",
    "1 validation error detected: Value 'bad name' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
  );
  for (const reserved of ["aws/mine", "AWS/mine"]) {
    await rejects(
      logs.send(new CreateLogGroupCommand({ logGroupName: reserved })),
      "InvalidParameterException",
      "Log groups starting with AWS/ are reserved for AWS.",
    );
  }
  const lambdaStyle = unique("/aws/lambda/fn");
  await logs.send(new CreateLogGroupCommand({ logGroupName: lambdaStyle }));
  await rejects(
    logs.send(new CreateLogGroupCommand({ logGroupName: unique("/g"), logGroupClass: "COLD" as "STANDARD" })),
    "InvalidParameterException",
    /Member must satisfy enum value set: \[STANDARD, INFREQUENT_ACCESS, DELIVERY\]$/,
  );
});

test("a class, a KMS key and deletion protection given at creation are described", async () => {
  const name = unique("/vigil/groups/settings");
  const key = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  await logs.send(
    new CreateLogGroupCommand({
      logGroupName: name,
      logGroupClass: "INFREQUENT_ACCESS",
      kmsKeyId: key,
      deletionProtectionEnabled: true,
    }),
  );
  const [g] = (await describe({ logGroupNamePrefix: name })).logGroups!;
  assert.equal(g!.logGroupClass, "INFREQUENT_ACCESS");
  assert.equal(g!.kmsKeyId, key);
  assert.equal(g!.deletionProtectionEnabled, true);
});

test("DeleteLogGroup removes the group; deleting it again fails", async () => {
  const name = await newGroup(logs);
  await logs.send(new DeleteLogGroupCommand({ logGroupName: name }));
  assert.deepEqual(await names({ logGroupNamePrefix: name }), []);
  await rejects(
    logs.send(new DeleteLogGroupCommand({ logGroupName: name })),
    "ResourceNotFoundException",
    "The specified log group does not exist.",
  );
});

test("deletion protection blocks DeleteLogGroup until it is switched off", async () => {
  const name = unique("/vigil/groups/protected");
  await logs.send(new CreateLogGroupCommand({ logGroupName: name, deletionProtectionEnabled: true }));
  await rejects(
    logs.send(new DeleteLogGroupCommand({ logGroupName: name })),
    "ValidationException",
    "Cannot delete log group with deletion protection enabled. Disable deletion protection first.",
  );
  await logs.send(
    new PutLogGroupDeletionProtectionCommand({ logGroupIdentifier: name, deletionProtectionEnabled: false }),
  );
  assert.equal((await describe({ logGroupNamePrefix: name })).logGroups![0]!.deletionProtectionEnabled, false);
  await logs.send(new DeleteLogGroupCommand({ logGroupName: name }));
  await rejects(
    logs.send(new PutLogGroupDeletionProtectionCommand({ logGroupIdentifier: name, deletionProtectionEnabled: true })),
    "ResourceNotFoundException",
    "The specified log group does not exist.",
  );
});

test("DeleteLogGroup deletes the group's streams, and a group re-created under its name starts empty", async () => {
  const name = await newGroup(logs);
  await logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: "s" }));
  await logs.send(new DeleteLogGroupCommand({ logGroupName: name }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  assert.deepEqual((await logs.send(new DescribeLogStreamsCommand({ logGroupName: name }))).logStreams, []);
});

test(
  "DeleteLogGroup deletes the events too",
  { skip: !logsService.handlers.PutLogEvents && "PutLogEvents lands with the events issue" },
  async () => {
    const name = await newGroup(logs);
    await logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: "s" }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: name,
        logStreamName: "s",
        logEvents: [{ timestamp: START - 1000, message: "gone with the group" }],
      }),
    );
    await logs.send(new DeleteLogGroupCommand({ logGroupName: name }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: "s" }));
    const res = await logs.send(
      new GetLogEventsCommand({ logGroupName: name, logStreamName: "s", startFromHead: true }),
    );
    assert.deepEqual(res.events, []);
  },
);

test("logGroupNamePrefix lists the matching groups in ASCII order", async () => {
  const prefix = unique("/vigil/groups/prefix");
  const created = [`${prefix}/b`, `${prefix}/B`, `${prefix}/a_1`, `${prefix}/a-1`, `${prefix}/a.1`, `${prefix}#`];
  for (const n of created) await logs.send(new CreateLogGroupCommand({ logGroupName: n }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: `${prefix.toUpperCase()}/other` }));
  assert.deepEqual(await names({ logGroupNamePrefix: prefix }), [...created].sort());
});

test("logGroupNamePattern is a case-sensitive substring search answering fewer fields", async () => {
  const id = unique("Pat");
  const a = `/vigil/${id}/one`;
  const b = `/vigil/x${id}y`;
  const lower = `/vigil/${id.toLowerCase()}`;
  for (const n of [a, b, lower]) await logs.send(new CreateLogGroupCommand({ logGroupName: n }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: a, retentionInDays: 7 }));
  const res = await describe({ logGroupNamePattern: id });
  assert.deepEqual(
    res.logGroups!.map((g) => g.logGroupName),
    [a, b],
  );
  // Recorded: only these fields (no storedBytes, retentionInDays, kmsKeyId or deletionProtectionEnabled).
  assert.deepEqual(res.logGroups![0], {
    logGroupName: a,
    creationTime: START,
    metricFilterCount: 0,
    arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${a}:*`,
    logGroupClass: "STANDARD",
    logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${a}`,
  });
  await rejects(
    describe({ logGroupNamePattern: id, logGroupNamePrefix: a }),
    "InvalidParameterException",
    "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.",
  );
});

test("logGroupClass filters; logGroupIdentifiers takes names and ARNs of the caller's groups", async () => {
  const prefix = unique("/vigil/groups/class");
  await logs.send(new CreateLogGroupCommand({ logGroupName: `${prefix}/std` }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: `${prefix}/ia`, logGroupClass: "INFREQUENT_ACCESS" }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: `${prefix}/dl`, logGroupClass: "DELIVERY" }));
  assert.deepEqual(await names({ logGroupNamePrefix: prefix, logGroupClass: "INFREQUENT_ACCESS" }), [`${prefix}/ia`]);
  assert.deepEqual(await names({ logGroupNamePrefix: prefix, logGroupClass: "DELIVERY" }), [`${prefix}/dl`]);
  assert.deepEqual(
    await names({
      logGroupIdentifiers: [
        `${prefix}/std`,
        `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${prefix}/dl`,
        `arn:aws:logs:us-east-1:111122223333:log-group:${prefix}/ia`,
        `${prefix}/missing`,
      ],
    }),
    [`${prefix}/dl`, `${prefix}/std`],
  );
  await rejects(
    describe({ logGroupIdentifiers: [`${prefix}/std`], logGroupNamePrefix: prefix }),
    "InvalidParameterException",
    "LogGroup identifiers and LogGroup name prefix or pattern are mutually exclusive parameters.",
  );
});

test("pages follow nextToken; a token only works with the query that issued it", async () => {
  const prefix = unique("/vigil/groups/page");
  const all = Array.from({ length: 7 }, (_, i) => `${prefix}/${i}`);
  for (const n of all) await logs.send(new CreateLogGroupCommand({ logGroupName: n }));
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await describe({ logGroupNamePrefix: prefix, limit: 3, nextToken: token });
    seen.push(...page.logGroups!.map((g) => g.logGroupName!));
    token = page.nextToken;
    pages++;
  } while (token);
  assert.equal(pages, 3);
  assert.deepEqual(seen, all);

  const first = await describe({ logGroupNamePrefix: prefix, limit: 3 });
  const next = await describe({ logGroupNamePrefix: prefix, limit: 50, nextToken: first.nextToken });
  assert.equal(next.logGroups!.length, 4, "the limit may change between pages");
  for (const other of [{ logGroupNamePrefix: `${prefix}/1` }, { logGroupNamePattern: "page" }, {}]) {
    await rejects(
      describe({ ...other, nextToken: first.nextToken }),
      "InvalidParameterException",
      "The specified nextToken is invalid.",
    );
  }
  await rejects(describe({ nextToken: "garbage" }), "InvalidParameterException", "The specified nextToken is invalid.");
  const otherAccount = vigil.client(CloudWatchLogsClient, accountKey("123456789012"));
  await rejects(
    describe({ logGroupNamePrefix: prefix, limit: 3, nextToken: first.nextToken }, otherAccount),
    "InvalidParameterException",
    "The specified nextToken is invalid.",
  );
  await rejects(
    describe({ limit: 51 }),
    "InvalidParameterException",
    "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50",
  );
});

test("retention: PutRetentionPolicy accepts only AWS's values; DeleteRetentionPolicy removes it", async () => {
  const name = await newGroup(logs);
  for (const days of [1, 400, 1096, 3653]) {
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: days }));
    assert.equal((await describe({ logGroupNamePrefix: name })).logGroups![0]!.retentionInDays, days);
  }
  for (const days of [0, 2, 10, 4000, -1]) {
    await rejects(
      logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: days })),
      "InvalidParameterException",
      `1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]`,
    );
  }
  await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: name }));
  assert.equal((await describe({ logGroupNamePrefix: name })).logGroups![0]!.retentionInDays, undefined);
  for (const cmd of [
    new PutRetentionPolicyCommand({ logGroupName: `${name}-missing`, retentionInDays: 7 }),
    new DeleteRetentionPolicyCommand({ logGroupName: `${name}-missing` }),
  ]) {
    await rejects(
      logs.send(cmd as PutRetentionPolicyCommand),
      "ResourceNotFoundException",
      "The specified log group does not exist.",
    );
  }
});

test("accounts and regions are separate; ARNs carry the region's partition", async () => {
  const name = unique("/vigil/groups/shared-name");
  const a = vigil.client(CloudWatchLogsClient, accountKey("111111111111"));
  const b = vigil.client(CloudWatchLogsClient, accountKey("222222222222"));
  const west = vigil.client(CloudWatchLogsClient, { region: "eu-west-1" });
  const china = vigil.client(CloudWatchLogsClient, { region: "cn-north-1" });
  for (const c of [a, b, west, china]) await c.send(new CreateLogGroupCommand({ logGroupName: name }));
  await a.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: 5 }));
  const [ga] = (await describe({ logGroupNamePrefix: name }, a)).logGroups!;
  const [gb] = (await describe({ logGroupNamePrefix: name }, b)).logGroups!;
  assert.equal(ga!.arn, `arn:aws:logs:us-east-1:111111111111:log-group:${name}:*`);
  assert.equal(gb!.arn, `arn:aws:logs:us-east-1:222222222222:log-group:${name}:*`);
  assert.equal(ga!.retentionInDays, 5);
  assert.equal(gb!.retentionInDays, undefined);
  assert.equal(
    (await describe({ logGroupNamePrefix: name }, west)).logGroups![0]!.logGroupArn,
    `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${name}`,
  );
  assert.equal(
    (await describe({ logGroupNamePrefix: name }, china)).logGroups![0]!.logGroupArn,
    `arn:aws-cn:logs:cn-north-1:${ACCOUNT}:log-group:${name}`,
  );
  assert.deepEqual(await names({ logGroupNamePrefix: name }), [], "the default account has none in us-east-1");
  await a.send(new DeleteLogGroupCommand({ logGroupName: name }));
  assert.equal((await describe({ logGroupNamePrefix: name }, b)).logGroups!.length, 1);
});

test("aws logs create-log-group / describe-log-groups (CLI v1)", async () => {
  const name = unique("/vigil/groups/cli");
  await awsCli(vigil.url, ["logs", "create-log-group", "--log-group-name", name, "--tags", "team=core"]);
  await awsCli(vigil.url, ["logs", "put-retention-policy", "--log-group-name", name, "--retention-in-days", "30"]);
  const out = JSON.parse(await awsCli(vigil.url, ["logs", "describe-log-groups", "--log-group-name-prefix", name])) as {
    logGroups: Record<string, unknown>[];
  };
  assert.deepEqual(out.logGroups, [
    {
      logGroupName: name,
      creationTime: START,
      retentionInDays: 30,
      metricFilterCount: 0,
      arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}:*`,
      storedBytes: 0,
      logGroupClass: "STANDARD",
      logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`,
      deletionProtectionEnabled: false,
    },
  ]);
  await assert.rejects(
    awsCli(vigil.url, ["logs", "create-log-group", "--log-group-name", name]),
    /ResourceAlreadyExistsException.*The specified log group already exists/s,
  );
  // The CLI follows nextToken itself: every group of the prefix, across pages of one.
  const paged = JSON.parse(
    await awsCli(vigil.url, [
      "logs",
      "describe-log-groups",
      "--log-group-name-prefix",
      "/vigil/groups/cli",
      "--page-size",
      "1",
    ]),
  ) as { logGroups: { logGroupName: string }[] };
  assert.ok(paged.logGroups.some((g) => g.logGroupName === name));
});
