/** boto3 and the AWS CLI v1 against EventBridge: the same operations and error shapes as the JS SDK sees. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { awsCli, awsEnv, python, unique, type Vigil } from "../helpers/vigil.js";
import { startEventsVigil } from "./helpers.js";

let vigil: Vigil;
before(async () => {
  vigil = await startEventsVigil();
});
after(() => vigil.close());

test("boto3: bus, rule, target, PutEvents to a queue, and a ResourceNotFoundException", async () => {
  const bus = unique("bus");
  const out = await python(
    `
import boto3, json
eb = boto3.client("events")
sqs = boto3.client("sqs")
q = sqs.create_queue(QueueName="${unique("q")}")["QueueUrl"]
arn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
eb.create_event_bus(Name="${bus}")
eb.put_rule(Name="r", EventBusName="${bus}", EventPattern=json.dumps({"source": ["boto"]}))
eb.put_targets(Rule="r", EventBusName="${bus}", Targets=[{"Id": "q", "Arn": arn}])
res = eb.put_events(Entries=[{"EventBusName": "${bus}", "Source": "boto", "DetailType": "t", "Detail": json.dumps({"a": 1})}])
try:
    eb.describe_rule(Name="missing", EventBusName="${bus}")
    err = None
except eb.exceptions.ResourceNotFoundException as e:
    err = e.response["Error"]
print(json.dumps({"failed": res["FailedEntryCount"], "id": res["Entries"][0]["EventId"], "queue": q, "err": err}))
`,
    awsEnv(vigil.url),
  );
  const r = JSON.parse(out) as { failed: number; id: string; queue: string; err: { Code: string; Message: string } };
  assert.equal(r.failed, 0);
  assert.deepEqual(r.err, {
    Code: "ResourceNotFoundException",
    Message: `Rule missing does not exist on EventBus ${bus}.`,
  });
  for (let i = 0; i < 20; i++) await vigil.server.advance(0);
  const got = await python(
    `
import boto3, json
sqs = boto3.client("sqs")
m = sqs.receive_message(QueueUrl="${r.queue}").get("Messages", [])
print(json.dumps([json.loads(x["Body"]) for x in m]))
`,
    awsEnv(vigil.url),
  );
  const events = JSON.parse(got) as { id: string; detail: unknown }[];
  assert.deepEqual(
    events.map((e) => [e.id, e.detail]),
    [[r.id, { a: 1 }]],
  );
});

test("AWS CLI v1: list-event-buses, put-rule, and the error line for a missing bus", async () => {
  const buses = JSON.parse(await awsCli(vigil.url, ["events", "list-event-buses", "--name-prefix", "default"])) as {
    EventBuses: { Name: string }[];
  };
  assert.deepEqual(
    buses.EventBuses.map((b) => b.Name),
    ["default"],
  );
  const name = unique("cli");
  const put = JSON.parse(
    await awsCli(vigil.url, ["events", "put-rule", "--name", name, "--schedule-expression", "rate(1 hour)"]),
  ) as { RuleArn: string };
  assert.equal(put.RuleArn, `arn:aws:events:us-east-1:000000000000:rule/${name}`);
  const err = await awsCli(vigil.url, ["events", "describe-event-bus", "--name", "nope-bus"]).then(
    () => "",
    (e: { stderr?: string }) => String(e.stderr),
  );
  assert.match(
    err,
    /An error occurred \(ResourceNotFoundException\) when calling the DescribeEventBus operation( \(reached max retries: 0\))?: Event bus nope-bus does not exist\./,
  );
});
