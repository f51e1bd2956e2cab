/** Account resource policies: PutResourcePolicy, DescribeResourcePolicies, DeleteResourcePolicy. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CloudWatchLogsClient,
  DeleteResourcePolicyCommand,
  DescribeResourcePoliciesCommand,
  PutResourcePolicyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { awsCli, unique, type Vigil } from "../helpers/vigil.js";
import { accountKey, rejects, startLogsVigil } from "./metadata-helpers.js";

const START = Date.parse("2026-03-01T10:00:00Z");

let vigil: Vigil;
let logs: CloudWatchLogsClient;
before(async () => {
  vigil = await startLogsVigil({ clock: "manual", clockStart: new Date(START).toISOString() });
  logs = vigil.client(CloudWatchLogsClient);
});
after(() => vigil.close());

let accounts = 0;
/** A client of an account of its own: the 10-policy quota is per account and Region. */
const freshAccount = () =>
  vigil.client(CloudWatchLogsClient, accountKey(String(555_000_000_000 + process.pid * 100 + accounts++)));

const route53Policy = (resource: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Route53LogsToCloudWatchLogs",
        Effect: "Allow",
        Principal: { Service: ["route53.amazonaws.com"] },
        Action: "logs:PutLogEvents",
        Resource: resource,
      },
    ],
  });

test("PutResourcePolicy answers the policy as recorded; a second put replaces the document", async () => {
  const client = freshAccount();
  const name = unique("route53");
  const doc = route53Policy("arn:aws:logs:us-east-1:000000000000:log-group:/aws/route53/*");
  const res = await client.send(new PutResourcePolicyCommand({ policyName: name, policyDocument: doc }));
  assert.deepEqual(res.resourcePolicy, {
    policyName: name,
    policyDocument: doc,
    lastUpdatedTime: START,
    policyScope: "ACCOUNT",
  });
  await vigil.server.advance(60);
  const updated = JSON.stringify({
    Version: "2008-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "route53.amazonaws.com" }, Action: "logs:*", Resource: "*" }],
  });
  await client.send(new PutResourcePolicyCommand({ policyName: name, policyDocument: updated }));
  const described = await client.send(new DescribeResourcePoliciesCommand({}));
  assert.deepEqual(described.resourcePolicies, [
    { policyName: name, policyDocument: updated, lastUpdatedTime: START + 60_000, policyScope: "ACCOUNT" },
  ]);
});

test("DescribeResourcePolicies lists the account's policies in name order, in pages", async () => {
  const client = freshAccount();
  const names = ["c", "a", "b"].map((n) => `${unique("p")}-${n}`);
  for (const n of names) await client.send(new PutResourcePolicyCommand({ policyName: n, policyDocument: "{}" }));
  const all = await client.send(new DescribeResourcePoliciesCommand({}));
  assert.deepEqual(
    all.resourcePolicies!.map((p) => p.policyName),
    [...names].sort(),
  );
  const first = await client.send(new DescribeResourcePoliciesCommand({ limit: 2 }));
  assert.equal(first.resourcePolicies!.length, 2);
  const second = await client.send(new DescribeResourcePoliciesCommand({ limit: 2, nextToken: first.nextToken }));
  assert.deepEqual(
    [...first.resourcePolicies!, ...second.resourcePolicies!].map((p) => p.policyName),
    [...names].sort(),
  );
  assert.equal(second.nextToken, undefined);
  await rejects(
    logs.send(new DescribeResourcePoliciesCommand({ nextToken: first.nextToken })),
    "InvalidParameterException",
    "The specified nextToken is invalid.",
  );
  assert.deepEqual(
    (await client.send(new DescribeResourcePoliciesCommand({ policyScope: "RESOURCE" }))).resourcePolicies,
    [],
  );
  const stranger = freshAccount();
  assert.deepEqual((await stranger.send(new DescribeResourcePoliciesCommand({}))).resourcePolicies, []);
});

test("an account has at most 10 policies; replacing one at the quota still works", async () => {
  const client = freshAccount();
  const names = Array.from({ length: 10 }, (_, i) => `quota-${i}`);
  for (const n of names) await client.send(new PutResourcePolicyCommand({ policyName: n, policyDocument: "{}" }));
  await rejects(
    client.send(new PutResourcePolicyCommand({ policyName: "quota-10", policyDocument: "{}" })),
    "LimitExceededException",
    "Resource limit exceeded.",
  );
  await client.send(
    new PutResourcePolicyCommand({ policyName: "quota-3", policyDocument: '{"Version":"2012-10-17"}' }),
  );
  await client.send(new DeleteResourcePolicyCommand({ policyName: "quota-0" }));
  await client.send(new PutResourcePolicyCommand({ policyName: "quota-10", policyDocument: "{}" }));
});

test("DeleteResourcePolicy removes the policy; a missing one is named in the error", async () => {
  const client = freshAccount();
  await client.send(new PutResourcePolicyCommand({ policyName: "doomed", policyDocument: "{}" }));
  await client.send(new DeleteResourcePolicyCommand({ policyName: "doomed" }));
  assert.deepEqual((await client.send(new DescribeResourcePoliciesCommand({}))).resourcePolicies, []);
  await rejects(
    client.send(new DeleteResourcePolicyCommand({ policyName: "non-existent" })),
    "ResourceNotFoundException",
    "Policy with name [non-existent] does not exist.",
  );
});

test("the document must be JSON of at most 5120 characters; name and document are required", async () => {
  const client = freshAccount();
  for (const bad of ["not json", "[1,2]", '"text"', "{"]) {
    await rejects(
      client.send(new PutResourcePolicyCommand({ policyName: "p", policyDocument: bad })),
      "InvalidParameterException",
      "The policy document is not a valid JSON policy document.",
    );
  }
  const big = JSON.stringify({ Version: "2012-10-17", Sid: "x".repeat(5120) });
  await rejects(
    client.send(new PutResourcePolicyCommand({ policyName: "p", policyDocument: big })),
    "InvalidParameterException",
    "The policy document exceeds the maximum length of 5120 characters.",
  );
  const fits = JSON.stringify({ Sid: "x".repeat(5120 - 10) });
  assert.equal(fits.length, 5120);
  await client.send(new PutResourcePolicyCommand({ policyName: "p", policyDocument: fits }));
  await rejects(
    client.send(new PutResourcePolicyCommand({ policyDocument: "{}" })),
    "InvalidParameterException",
    "1 validation error detected: Value null at 'policyName' failed to satisfy constraint: Member must not be null",
  );
  await rejects(
    client.send(new PutResourcePolicyCommand({ policyName: "p" })),
    "InvalidParameterException",
    "1 validation error detected: Value null at 'policyDocument' failed to satisfy constraint: Member must not be null",
  );
  await rejects(
    client.send(new DeleteResourcePolicyCommand({})),
    "InvalidParameterException",
    "1 validation error detected: Value null at 'policyName' failed to satisfy constraint: Member must not be null",
  );
});

test("resource-scoped policies are not implemented yet, and say so", async () => {
  const resourceArn = "arn:aws:logs:us-east-1:000000000000:log-group:g";
  for (const [cmd, op] of [
    [new PutResourcePolicyCommand({ policyName: "p", policyDocument: "{}", resourceArn }), "PutResourcePolicy"],
    [new DeleteResourcePolicyCommand({ policyName: "p", resourceArn }), "DeleteResourcePolicy"],
  ] as const) {
    const err = await rejects(
      logs.send(cmd as PutResourcePolicyCommand),
      "NotImplemented",
      `Vigil does not implement resource-scoped policies (resourceArn) for logs:${op} yet (see docs/compatibility.md).`,
    );
    assert.equal(err.$metadata?.httpStatusCode, 501);
  }
  assert.deepEqual((await logs.send(new DescribeResourcePoliciesCommand({ resourceArn }))).resourcePolicies, []);
});

test("aws logs put-resource-policy / describe-resource-policies (CLI v1)", async () => {
  const key = String(556_000_000_000 + process.pid);
  const doc = route53Policy("*");
  await awsCli(vigil.url, ["logs", "put-resource-policy", "--policy-name", "cli", "--policy-document", doc], key);
  const out = JSON.parse(await awsCli(vigil.url, ["logs", "describe-resource-policies"], key)) as {
    resourcePolicies: { lastUpdatedTime: number }[];
  };
  const now = (await fetch(`${vigil.url}/_vigil/clock`).then((r) => r.json())) as { now: number };
  assert.deepEqual(out.resourcePolicies, [
    { policyName: "cli", policyDocument: doc, lastUpdatedTime: now.now, policyScope: "ACCOUNT" },
  ]);
});
