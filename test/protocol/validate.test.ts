/**
 * validateInput against the real models. Expected messages marked "recorded" are verbatim from real AWS
 * (conformance/aws-recordings); the others follow the same format.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { loadModel } from "../../src/protocol/model.js";
import { compilePattern, javaDouble, validateInput } from "../../src/protocol/validate.js";
import { isAwsError } from "../../src/errors/index.js";

const models = {
  logs: loadModel("logs"),
  events: loadModel("events"),
  cloudwatch: loadModel("cloudwatch"),
  sns: loadModel("sns"),
};
type ModelName = keyof typeof models;

/** The message validateInput throws, or undefined when the input is valid. */
function check(model: ModelName, operation: string, input: Record<string, unknown>): string | undefined {
  try {
    validateInput(models[model], operation, input, "ValidationException");
  } catch (e) {
    assert.ok(isAwsError(e), String(e));
    assert.equal(e.code, "ValidationException");
    assert.equal(e.httpStatus, 400);
    return e.message;
  }
  return undefined;
}

const X = (n: number) => "X".repeat(n);
const DETAIL = '{"command": "update-account", "payload": {"acc_id": "0a787ecb-4015", "sf_id": "baz"}}';
const ENTRY_TEXT =
  "PutEventsRequestEntry(time=null, source=core.update-account-command, resources=null, " +
  `detailType=core.update-account-command, detail=${DETAIL}, eventBusName=bus-name, traceHeader=null, ` +
  "kmsKeyIdentifier=null, internalMetadata=null)";

const cases: [
  name: string,
  model: ModelName,
  operation: string,
  input: Record<string, unknown>,
  message: string | undefined,
][] = [
  ["a valid input passes", "logs", "CreateLogGroup", { logGroupName: "/aws/lambda/fn-1" }, undefined],
  [
    "pattern (Logs)",
    "logs",
    "CreateLogGroup",
    { logGroupName: "x y" },
    "1 validation error detected: Value 'x y' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
  ],
  [
    "required member missing",
    "logs",
    "CreateLogGroup",
    {},
    "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null",
  ],
  [
    "max length, recorded",
    "logs",
    "DeleteMetricFilter",
    { logGroupName: "g", filterName: X(513) },
    `1 validation error detected: Value '${X(513)}' at 'filterName' failed to satisfy constraint: Member must have length less than or equal to 512`,
  ],
  [
    "min length",
    "logs",
    "CreateLogGroup",
    { logGroupName: "" },
    "2 validation errors detected: Value '' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+; Value '' at 'logGroupName' failed to satisfy constraint: Member must have length greater than or equal to 1",
  ],
  [
    "max value, recorded",
    "logs",
    "GetLogEvents",
    { logStreamName: "s", limit: 10001 },
    "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
  ],
  [
    "min value",
    "cloudwatch",
    "DescribeAlarms",
    { MaxRecords: 0 },
    "1 validation error detected: Value '0' at 'maxRecords' failed to satisfy constraint: Member must have value greater than or equal to 1",
  ],
  [
    "enum in AWS's printed order, recorded",
    "cloudwatch",
    "SetAlarmState",
    { AlarmName: "a", StateValue: "INVALID", StateReason: "r" },
    "1 validation error detected: Value 'INVALID' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]",
  ],
  [
    "enum, recorded",
    "logs",
    "PutDeliveryDestination",
    { name: "d", outputFormat: "foobar", deliveryDestinationConfiguration: { destinationResourceArn: "arn:x" } },
    "1 validation error detected: Value 'foobar' at 'outputFormat' failed to satisfy constraint: Member must satisfy enum value set: [w3c, raw, json, plain, parquet]",
  ],
  [
    "pattern, length and enum together, in member order, recorded",
    "events",
    "CreateConnection",
    {
      Name: "This should fail with two errors 123467890123412341234123412341234",
      AuthorizationType: "INVALID",
      AuthParameters: {},
    },
    "3 validation errors detected: Value 'This should fail with two errors 123467890123412341234123412341234' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+; Value 'This should fail with two errors 123467890123412341234123412341234' at 'name' failed to satisfy constraint: Member must have length less than or equal to 64; Value 'INVALID' at 'authorizationType' failed to satisfy constraint: Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]",
  ],
  [
    "list elements that are structures: 1-based index and .member., recorded",
    "events",
    "PutTargets",
    { Rule: "r", Targets: [{ Id: "!@#$@!#$", Arn: "arn:aws:sqs:us-east-1:000000000000:q" }] },
    "1 validation error detected: Value '!@#$@!#$' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
  ],
  [
    "required member missing inside a list element",
    "events",
    "PutTargets",
    { Rule: "r", Targets: [{ Id: "ok", Arn: "arn:x" }, { Id: "t2" }] },
    "1 validation error detected: Value null at 'targets.2.member.arn' failed to satisfy constraint: Member must not be null",
  ],
  [
    "map values that are structures: key then .member., recorded",
    "sns",
    "Publish",
    { Message: "m", MessageAttributes: { attr1: { StringValue: "x" } } },
    "1 validation error detected: Value null at 'messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null",
  ],
  [
    "maps inside list elements, recorded",
    "sns",
    "PublishBatch",
    {
      TopicArn: "arn:t",
      PublishBatchRequestEntries: [{ Id: "1", Message: "m", MessageAttributes: { attr1: { StringValue: "x" } } }],
    },
    "1 validation error detected: Value null at 'publishBatchRequestEntries.1.member.messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null",
  ],
  [
    "required map, recorded",
    "sns",
    "CreatePlatformApplication",
    { Name: "n", Platform: "GCM" },
    "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null",
  ],
  [
    "lists of structures render Java-style, recorded",
    "events",
    "PutEvents",
    {
      Entries: Array.from({ length: 11 }, () => ({
        Source: "core.update-account-command",
        DetailType: "core.update-account-command",
        Detail: DETAIL,
        // The recording shows "<bus-name>" (a snapshot placeholder for a valid name).
        EventBusName: "bus-name",
      })),
    },
    `1 validation error detected: Value '[${Array(11).fill(ENTRY_TEXT).join(", ")}]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10`,
  ],
  [
    "structure rendering lists every member, recorded",
    "logs",
    "PutMetricFilter",
    {
      logGroupName: "g",
      filterName: "f",
      filterPattern: "",
      metricTransformations: [
        { metricName: "metric1", metricNamespace: "namespace1", metricValue: "1" },
        { metricName: "metric2", metricNamespace: "namespace2", metricValue: "1" },
      ],
    },
    "1 validation error detected: Value '[MetricTransformation(metricName=metric1, metricNamespace=namespace1, metricValue=1, defaultValue=null, unit=null, dimensions=null), MetricTransformation(metricName=metric2, metricNamespace=namespace2, metricValue=1, defaultValue=null, unit=null, dimensions=null)]' at 'metricTransformations' failed to satisfy constraint: Member must have length less than or equal to 1",
  ],
  [
    "Dates render as java.util.Date, lists of strings as [a, b]",
    "events",
    "PutEvents",
    {
      Entries: Array.from({ length: 11 }, () => ({
        Time: new Date(Date.UTC(2023, 10, 14, 22, 13, 20)),
        Source: "s",
        Resources: ["r1", "r2"],
      })),
    },
    `1 validation error detected: Value '[${Array(11)
      .fill(
        "PutEventsRequestEntry(time=Tue Nov 14 22:13:20 UTC 2023, source=s, resources=[r1, r2], detailType=null, detail=null, eventBusName=null, traceHeader=null, kmsKeyIdentifier=null, internalMetadata=null)",
      )
      .join(", ")}]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10`,
  ],
  [
    "scalar list elements: one error at the list with the element's constraints",
    "cloudwatch",
    "DeleteAlarms",
    { AlarmNames: ["ok", "", X(256)] },
    `1 validation error detected: Value '[ok, , ${X(256)}]' at 'alarmNames' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 1]`,
  ],
  [
    "scalar map values",
    "logs",
    "TagResource",
    { resourceArn: "arn:aws:logs:us-east-1:000000000000:log-group:g", tags: { k: X(257) } },
    `1 validation error detected: Value '{k=${X(257)}}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$]`,
  ],
  [
    "map keys",
    "logs",
    "TagResource",
    { resourceArn: "arn:aws:logs:us-east-1:000000000000:log-group:g", tags: { "": "v" } },
    "1 validation error detected: Value '{=v}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$]",
  ],
  [
    "map length",
    "logs",
    "TagResource",
    { resourceArn: "arn:aws:logs:us-east-1:000000000000:log-group:g", tags: {} },
    "1 validation error detected: Value '{}' at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1",
  ],
  [
    "sensitive values are not echoed",
    "events",
    "CreateConnection",
    {
      Name: "c",
      AuthorizationType: "BASIC",
      AuthParameters: { BasicAuthParameters: { Username: "u", Password: X(513) } },
    },
    "1 validation error detected: Value at 'authParameters.basicAuthParameters.password' failed to satisfy constraint: Member must have length less than or equal to 512",
  ],
  [
    "sensitive members inside a rendered structure are ***",
    "events",
    "CreateConnection",
    {
      Name: "c",
      AuthorizationType: "BASIC",
      AuthParameters: {
        InvocationHttpParameters: {
          BodyParameters: Array.from({ length: 101 }, () => ({ Key: "k", Value: "secret", IsValueSecret: true })),
        },
      },
    },
    `1 validation error detected: Value '[${Array(101)
      .fill("ConnectionBodyParameter(key=k, value=***, isValueSecret=true)")
      .join(
        ", ",
      )}]' at 'authParameters.invocationHttpParameters.bodyParameters' failed to satisfy constraint: Member must have length less than or equal to 100`,
  ],
];

describe("validateInput", () => {
  for (const [name, model, operation, input, message] of cases) {
    test(name, () => assert.equal(check(model, operation, input), message));
  }

  test("lengths count Unicode code points, not UTF-16 units", () => {
    const emoji = "😀".repeat(64);
    assert.equal(emoji.length, 128);
    assert.equal(
      check("events", "PutTargets", { Rule: "r", Targets: [{ Id: "a", Arn: "x", Input: emoji }] }),
      undefined,
    );
    assert.equal(
      check("events", "CreateConnection", {
        Name: "c",
        AuthorizationType: "BASIC",
        AuthParameters: {},
        Description: "😀".repeat(512),
      }),
      undefined,
    );
    assert.match(
      check("events", "CreateConnection", {
        Name: "c",
        AuthorizationType: "BASIC",
        AuthParameters: {},
        Description: "😀".repeat(513),
      })!,
      /at 'description' failed to satisfy constraint: Member must have length less than or equal to 512$/,
    );
  });

  test("at most 10 violations are listed", () => {
    const msg = check("events", "PutTargets", {
      Rule: "r",
      Targets: Array.from({ length: 12 }, () => ({ Id: "!" })),
    })!;
    assert.match(msg, /^10 validation errors detected: /);
    assert.equal(msg.split("; ").length, 10);
    assert.ok(msg.startsWith("10 validation errors detected: Value '!' at 'targets.1.member.id' failed"));
  });

  test("nested structures render as ShapeName(...) inside their parent", () => {
    const msg = check("events", "PutTargets", {
      Rule: "r",
      Targets: Array.from({ length: 101 }, (_, i) => ({
        Id: `t${i}`,
        Arn: "a",
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 60 },
      })),
    })!;
    const first =
      "Target(id=t0, arn=a, roleArn=null, input=null, inputPath=null, inputTransformer=null, kinesisParameters=null, " +
      "runCommandParameters=null, ecsParameters=null, batchParameters=null, sqsParameters=null, httpParameters=null, " +
      "redshiftDataParameters=null, sageMakerPipelineParameters=null, deadLetterConfig=null, " +
      "retryPolicy=RetryPolicy(maximumRetryAttempts=3, maximumEventAgeInSeconds=60), appSyncParameters=null)";
    assert.ok(msg.startsWith(`1 validation error detected: Value '[${first}, Target(id=t1, `), msg.slice(0, 600));
    assert.ok(
      msg.endsWith(
        "appSyncParameters=null)]' at 'targets' failed to satisfy constraint: Member must have length less than or equal to 100",
      ),
    );
  });

  test("operations without input accept anything; unknown operations are ignored", () => {
    validateInput(models.sns, "NoSuchOperation", { anything: 1 }, "ValidationError");
  });

  test("patterns: Java \\uXXXX escapes are understood, uncompilable ones (lookarounds) are skipped", () => {
    const latin1 = compilePattern("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+")!;
    assert.ok(latin1.testExact("héllo\tworld"));
    assert.ok(!latin1.testExact("emoji 😀"));
    const supplementary = compilePattern("[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*")!;
    assert.ok(supplementary.testExact("a😀b"));
    assert.ok(!supplementary.testExact("\u0001"));
    assert.equal(compilePattern("\\\\u0041")!.testExact("\\u0041"), true);
    assert.equal(compilePattern("^(?!\\s*$).+"), null);
  });

  test("every pattern in the vendored models either compiles or is skipped without error", () => {
    for (const name of [
      "logs",
      "cloudwatch",
      "events",
      "cloudtrail",
      "sns",
      "sqs",
      "s3",
      "iam",
      "sts",
      "kinesis",
      "firehose",
    ]) {
      for (const shape of Object.values(loadModel(name).shapes)) {
        if (shape.pattern !== undefined) compilePattern(shape.pattern);
      }
    }
  });

  test("javaDouble renders like Java's Double.toString", () => {
    const table: [number, string][] = [
      [1, "1.0"],
      [0.5, "0.5"],
      [1e7, "1.0E7"],
      [123456789.25, "1.2345678925E8"],
      [0.001, "0.001"],
      [0.0001, "1.0E-4"],
      [-2.5e-10, "-2.5E-10"],
      [NaN, "NaN"],
      [-Infinity, "-Infinity"],
      [0, "0.0"],
    ];
    for (const [n, s] of table) assert.equal(javaDouble(n), s, String(n));
  });

  test("property: names drawn from the allowed alphabet and length always pass", () => {
    const alphabet = "._-/#abcXYZ0189".split("");
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 512 }).map((a) => a.join("")),
        (name) => check("logs", "CreateLogGroup", { logGroupName: name }) === undefined,
      ),
      { numRuns: 300 },
    );
  });

  test("property: any character outside the alphabet is reported once with the pattern", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => /[^.\-_/#A-Za-z0-9]/.test(s)),
        (name) =>
          check("logs", "CreateLogGroup", { logGroupName: name }) ===
          `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`,
      ),
      { numRuns: 300 },
    );
  });
});
