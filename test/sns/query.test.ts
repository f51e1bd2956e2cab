/**
 * SNS on the wire (Query): form requests answered with the XML AWS sends (result wrappers, the 2010-03-31 namespace,
 * ErrorResponse with Type Sender and the HTTP status of the error), and map members in `entry.N` form.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { FAKE_AUTH, raw } from "../helpers/raw.js";
import { unique, type Vigil } from "../helpers/vigil.js";
import { startSnsVigil } from "./helpers.js";

let vigil: Vigil;
before(async () => {
  vigil = await startSnsVigil();
});
after(() => vigil.close());

const NS = "http://sns.amazonaws.com/doc/2010-03-31/";

const query = (params: Record<string, string>) =>
  raw(vigil.url, {
    method: "POST",
    path: "/",
    headers: { authorization: FAKE_AUTH("sns"), "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: new URLSearchParams({ Version: "2010-03-31", ...params }).toString(),
  });

test("CreateTopic, Publish and GetTopicAttributes answer AWS's XML", async () => {
  const name = unique("xml");
  const created = await query({
    Action: "CreateTopic",
    Name: name,
    "Attributes.entry.1.key": "DisplayName",
    "Attributes.entry.1.value": "Shown",
  });
  assert.equal(created.status, 200);
  assert.match(
    created.body,
    new RegExp(
      `^<CreateTopicResponse xmlns="${NS}"><CreateTopicResult><TopicArn>arn:aws:sns:us-east-1:\\d{12}:${name}</TopicArn></CreateTopicResult><ResponseMetadata><RequestId>[0-9a-f-]+</RequestId></ResponseMetadata></CreateTopicResponse>$`,
    ),
  );
  const arn = /<TopicArn>([^<]+)</.exec(created.body)![1]!;
  const published = await query({
    Action: "Publish",
    TopicArn: arn,
    Message: "hi",
    "MessageAttributes.entry.1.Name": "a",
    "MessageAttributes.entry.1.Value.DataType": "String",
    "MessageAttributes.entry.1.Value.StringValue": "b",
  });
  assert.equal(published.status, 200);
  assert.match(
    published.body,
    /<PublishResponse xmlns="[^"]+"><PublishResult><MessageId>[0-9a-f-]{36}<\/MessageId><\/PublishResult>/,
  );
  const attrs = await query({ Action: "GetTopicAttributes", TopicArn: arn });
  assert.match(attrs.body, /<entry><key>DisplayName<\/key><value>Shown<\/value><\/entry>/);
});

test("errors: ErrorResponse with Type Sender, 404 for NotFound", async () => {
  const r = await query({ Action: "GetTopicAttributes", TopicArn: "arn:aws:sns:us-east-1:000000000000:nope" });
  assert.equal(r.status, 404);
  assert.match(
    r.body,
    /^<ErrorResponse xmlns="http:\/\/sns.amazonaws.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type><Code>NotFound<\/Code><Message>Topic does not exist<\/Message><\/Error><RequestId>[0-9a-f-]+<\/RequestId><\/ErrorResponse>$/,
  );
  const bad = await query({ Action: "Publish", TopicArn: "x", Message: "m" });
  assert.equal(bad.status, 400);
  assert.match(
    bad.body,
    /<Code>InvalidParameter<\/Code><Message>Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1<\/Message>/,
  );
});
