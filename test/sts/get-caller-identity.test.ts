import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { awsCli, awsEnv, python, startVigil, TEST_KEY, type Vigil } from "../helpers/vigil.js";

let vigil: Vigil;
before(async () => (vigil = await startVigil()));
after(() => vigil.close());

test("a key that is not 12 digits belongs to the default account, as an IAM user named after the key", async () => {
  const sts = vigil.client(STSClient);
  const id = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(id.Account, "000000000000");
  assert.equal(id.Arn, `arn:aws:iam::000000000000:user/${TEST_KEY}`);
  assert.match(id.UserId!, /^AIDA[A-Z2-7]{17}$/);
  const again = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(again.UserId, id.UserId, "the principal id is stable for a key");
});

test("a 12-digit access key selects that account", async () => {
  const sts = vigil.client(STSClient, { credentials: { accessKeyId: "123456789012", secretAccessKey: "s" } });
  const id = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(id.Account, "123456789012");
  assert.equal(id.Arn, "arn:aws:iam::123456789012:user/123456789012");
});

test("the partition follows the signing region", async () => {
  const sts = vigil.client(STSClient, { region: "cn-north-1" });
  const id = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(id.Arn, `arn:aws-cn:iam::000000000000:user/${TEST_KEY}`);
});

test("boto3 and the AWS CLI see the same identity as the JS SDK", async () => {
  const sdk = await vigil.client(STSClient).send(new GetCallerIdentityCommand({}));
  const out = await python(
    "import boto3, json; print(json.dumps(boto3.client('sts').get_caller_identity()))",
    awsEnv(vigil.url),
  );
  const b = JSON.parse(out) as { Account: string; Arn: string; UserId: string };
  assert.deepEqual([b.Account, b.Arn, b.UserId], [sdk.Account, sdk.Arn, sdk.UserId]);
  const cli = JSON.parse(await awsCli(vigil.url, ["sts", "get-caller-identity"])) as typeof b;
  assert.deepEqual([cli.Account, cli.Arn, cli.UserId], [sdk.Account, sdk.Arn, sdk.UserId]);
});
