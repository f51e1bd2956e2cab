// Table-driven tests of the IAM resource-policy engine: parse errors, every condition operator, principals, the
// Not elements, AWS's documented example policies (CloudTrail's bucket policy, SQS for SNS, SNS's default topic
// policy, EventBridge bus policies), and a property that wildcard evaluation stays linear.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  allows,
  compileGlob,
  decide,
  evaluate,
  parsePolicy,
  PolicyError,
  principalFor,
  type Decision,
  type Principal,
  type PolicyRequest,
} from "../../src/policy/index.js";

const A = "111122223333";
const B = "444455556666";
const user = (account: string, name = "alice"): Principal => ({
  type: "AWS",
  account,
  arn: `arn:aws:iam::${account}:user/${name}`,
});
const service = (s: string): Principal => ({ type: "Service", service: s });
const anonymous: Principal = { type: "Anonymous" };
const TOPIC = `arn:aws:sns:us-east-1:${A}:alerts`;

const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allowAll = (extra: object = {}) => ({ Effect: "Allow", Principal: "*", Action: "*", Resource: "*", ...extra });
const req = (over: Partial<PolicyRequest> = {}): PolicyRequest => ({
  principal: user(A),
  action: "sns:Publish",
  resource: TOPIC,
  ...over,
});
const decision = (policy: string, r: PolicyRequest): Decision => evaluate(parsePolicy(policy), r);

const rejects = (text: string, reason: string | RegExp, options?: Parameters<typeof parsePolicy>[1]) =>
  assert.throws(
    () => parsePolicy(text, options),
    (e: unknown) =>
      e instanceof PolicyError && (typeof reason === "string" ? e.reason === reason : reason.test(e.reason)),
  );

describe("parse errors", () => {
  const cases: [string, string, string | RegExp][] = [
    ["not JSON", "{", "Policy is not valid JSON"],
    ["an array", "[]", "Policy must be a JSON object"],
    ["a string", '"x"', "Policy must be a JSON object"],
    ["no Statement", '{"Version":"2012-10-17"}', "Policy is missing the Statement element"],
    ["Statement a string", '{"Statement":"x"}', "Statement must be a JSON object"],
    [
      "bad Version",
      doc().replace("2012-10-17", "2020-01-01"),
      'Version must be "2008-10-17" or "2012-10-17", got "2020-01-01"',
    ],
    ["numeric Version", '{"Version":2012,"Statement":[]}', 'Version must be "2008-10-17" or "2012-10-17", got 2012'],
    ["unknown top element", '{"Statement":[],"Foo":1}', 'Policy has an unknown element "Foo"'],
    [
      "lower-case effect",
      doc(allowAll({ Effect: "allow" })),
      'Statement: Effect must be "Allow" or "Deny", got "allow"',
    ],
    [
      "missing effect",
      doc({ Principal: "*", Action: "*" }),
      'Statement: Effect must be "Allow" or "Deny", got nothing',
    ],
    [
      "missing action",
      doc({ Sid: "s1", Effect: "Allow", Principal: "*", Resource: "*" }),
      'Statement (Sid "s1") is missing the Action or NotAction element',
    ],
    [
      "missing principal",
      doc(allowAll(), { Effect: "Allow", Action: "*", Resource: "*" }),
      "Statement 2 is missing the Principal or NotPrincipal element",
    ],
    ["Action and NotAction", doc(allowAll({ NotAction: "s3:*" })), "Statement has both Action and NotAction"],
    [
      "Principal and NotPrincipal",
      doc(allowAll({ NotPrincipal: "*" })),
      "Statement has both Principal and NotPrincipal",
    ],
    ["unknown statement element", doc(allowAll({ Actions: "*" })), 'Statement has an unknown element "Actions"'],
    [
      "unknown operator",
      doc(allowAll({ Condition: { StringEqualz: { "aws:SourceAccount": A } } })),
      'Unknown condition operator "StringEqualz"',
    ],
    [
      "bad qualifier",
      doc(allowAll({ Condition: { "ForSomeValues:StringEquals": { k: "v" } } })),
      'Unknown condition operator "ForSomeValues:StringEquals"',
    ],
    [
      "NullIfExists",
      doc(allowAll({ Condition: { NullIfExists: { k: "true" } } })),
      'Unknown condition operator "NullIfExists"',
    ],
    [
      "condition block not an object",
      doc(allowAll({ Condition: { StringEquals: "x" } })),
      "Statement: Condition StringEquals must map condition keys to values",
    ],
    [
      "condition value an object",
      doc(allowAll({ Condition: { StringEquals: { k: { a: 1 } } } })),
      'Condition StringEquals "k": values must be strings, numbers or booleans',
    ],
    [
      "bad number",
      doc(allowAll({ Condition: { NumericLessThan: { "s3:max-keys": "ten" } } })),
      'Invalid numeric value "ten" for NumericLessThan',
    ],
    [
      "bad date",
      doc(allowAll({ Condition: { DateLessThan: { "aws:CurrentTime": "soon" } } })),
      'Invalid date value "soon" for DateLessThan',
    ],
    [
      "bad CIDR",
      doc(allowAll({ Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/33" } } })),
      'Invalid IP address or CIDR block "10.0.0.0/33" for IpAddress',
    ],
    [
      "bad Null value",
      doc(allowAll({ Condition: { Null: { k: "yes" } } })),
      'Invalid value "yes" for Null: must be "true" or "false"',
    ],
    [
      "wildcard in principal ARN",
      doc(allowAll({ Principal: { AWS: "arn:aws:iam::*:root" } })),
      'Statement: Principal: invalid principal "AWS": "arn:aws:iam::*:root"',
    ],
    [
      "principal not an ARN",
      doc(allowAll({ Principal: { AWS: "bob" } })),
      'Statement: Principal: invalid principal "AWS": "bob"',
    ],
    ["principal string", doc(allowAll({ Principal: "bob" })), /Principal must be "\*" or an object/],
    [
      "unknown principal type",
      doc(allowAll({ Principal: { Users: "x" } })),
      'Statement: Principal has an unknown principal type "Users"',
    ],
    ["empty action list", doc(allowAll({ Action: [] })), "Statement: Action must not be an empty list"],
    [
      "action without service",
      doc(allowAll({ Action: "Publish" })),
      'Statement: invalid action "Publish"'.replace("Statement:", "Statement: Action:"),
    ],
    ["resource not an ARN", doc(allowAll({ Resource: "bucket" })), 'Statement: Resource: invalid resource "bucket"'],
    ["numeric action", doc(allowAll({ Action: 5 })), "Statement: Action must be a string or a list of strings, got 5"],
  ];
  for (const [name, text, reason] of cases) test(`${name} is rejected`, () => rejects(text, reason));

  test("a principal is optional when requirePrincipal is false", () => {
    const p = parsePolicy(doc({ Effect: "Allow", Action: "*", Resource: "*" }), { requirePrincipal: false });
    assert.equal(evaluate(p, req()), "Allow");
  });
  test("a resource is required with requireResource", () =>
    rejects(
      doc({ Effect: "Allow", Principal: "*", Action: "*" }),
      "Statement is missing the Resource or NotResource element",
      {
        requireResource: true,
      },
    ));
  test("input over maxBytes is rejected before parsing", () => {
    rejects(" ".repeat(20 * 1024 + 1), "Policy is larger than the maximum size of 20480 bytes");
    rejects(doc(allowAll()), /maximum size of 10 bytes/, { maxBytes: 10 });
    // UTF-8 bytes, not characters: 7000 three-byte characters are 21000 bytes.
    rejects(doc(allowAll({ Sid: "€".repeat(7000) })), "Policy is larger than the maximum size of 20480 bytes");
  });
  test("deeply nested values are rejected with a PolicyError, not a stack overflow", () => {
    const deep = "[".repeat(9000) + "]".repeat(9000);
    rejects(`{"Statement":{"Effect":${deep}}}`, 'Statement: Effect must be "Allow" or "Deny", got a list');
    rejects(`{"Version":${deep},"Statement":[]}`, 'Version must be "2008-10-17" or "2012-10-17", got a list');
  });
  test("long values are cut short in reasons", () =>
    rejects(doc(allowAll({ Action: "x".repeat(5000) })), `Statement: Action: invalid action "${"x".repeat(61)}..."`));
  test("too many statements are rejected", () =>
    rejects(doc(allowAll(), allowAll(), allowAll()), "Policy has 3 statements, more than the maximum of 2", {
      maxStatements: 2,
    }));
  test("Version defaults to 2008-10-17; a single statement object is accepted", () => {
    const p = parsePolicy(JSON.stringify({ Statement: allowAll() }));
    assert.equal(p.version, "2008-10-17");
    assert.equal(p.statements.length, 1);
  });
  test("PolicyError has a reason and a message", () => {
    const e = new PolicyError("x");
    assert.equal(e.reason, "x");
    assert.equal(e.message, "Invalid policy: x");
  });
});

describe("decisions", () => {
  test("explicit Deny wins over Allow, in either order", () => {
    const deny = { Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: TOPIC };
    assert.equal(decision(doc(allowAll(), deny), req()), "Deny");
    assert.equal(decision(doc(deny, allowAll()), req()), "Deny");
    assert.equal(decision(doc(allowAll(), deny), req({ action: "sns:Subscribe" })), "Allow");
  });
  test("nothing matching is Implicit", () => {
    assert.equal(decision(doc(allowAll({ Action: "sqs:*" })), req()), "Implicit");
    assert.equal(decision(JSON.stringify({ Statement: [] }), req()), "Implicit");
  });
  test("allows() and decide() on text", () => {
    assert.equal(allows(undefined, req()), false);
    assert.equal(allows("", req()), false);
    assert.equal(allows("{not json", req()), false);
    assert.equal(allows(doc(allowAll()), req()), true);
    assert.equal(allows(doc(allowAll({ Effect: "Deny" })), req()), false);
    assert.equal(decide(doc(allowAll({ Effect: "Deny" })), req()), "Deny");
    assert.equal(decide(undefined, req()), "Implicit");
  });
});

describe("actions and resources", () => {
  const cases: [string, unknown, string, boolean][] = [
    ["exact", "sns:Publish", "sns:Publish", true],
    ["case-insensitive", "SNS:publish", "sns:Publish", true],
    ["service wildcard", "sns:*", "sns:Subscribe", true],
    ["other service", "sns:*", "sqs:SendMessage", false],
    ["prefix wildcard", "s3:Put*", "s3:PutObject", true],
    ["prefix wildcard, other", "s3:Put*", "s3:GetObject", false],
    ["?", "s3:?etObject", "s3:GetObject", true],
    ["star", "*", "events:PutEvents", true],
    ["list", ["sqs:SendMessage", "sns:Publish"], "sns:Publish", true],
  ];
  for (const [name, action, requested, expected] of cases)
    test(`Action ${name}: ${JSON.stringify(action)} vs ${requested}`, () =>
      assert.equal(
        decision(doc(allowAll({ Action: action })), req({ action: requested })),
        expected ? "Allow" : "Implicit",
      ));

  test("NotAction matches every other action", () => {
    const p = doc(allowAll({ Action: undefined, NotAction: "sns:Delete*" }));
    assert.equal(decision(p, req({ action: "sns:Publish" })), "Allow");
    assert.equal(decision(p, req({ action: "sns:DeleteTopic" })), "Implicit");
  });

  const resources: [unknown, string, boolean][] = [
    ["arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b.txt", true],
    ["arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false],
    ["arn:aws:s3:::bucket/*", "arn:aws:s3:::Bucket/a", false], // resources are case-sensitive
    ["arn:aws:s3:::bucket/AWSLogs/?????????????/*", `arn:aws:s3:::bucket/AWSLogs/${A}/x`, false],
    ["arn:aws:s3:::bucket/AWSLogs/????????????/*", `arn:aws:s3:::bucket/AWSLogs/${A}/x`, true],
    ["arn:aws:sns:*:111122223333:*", TOPIC, true],
    [[`arn:aws:sqs:us-east-1:${A}:q`, TOPIC], TOPIC, true],
  ];
  for (const [resource, requested, expected] of resources)
    test(`Resource ${JSON.stringify(resource)} vs ${requested}`, () =>
      assert.equal(
        decision(doc(allowAll({ Resource: resource })), req({ resource: requested })),
        expected ? "Allow" : "Implicit",
      ));

  test("NotResource matches every other resource; Deny with NotResource", () => {
    const p = doc(allowAll(), { Effect: "Deny", Principal: "*", Action: "s3:*", NotResource: "arn:aws:s3:::logs/*" });
    assert.equal(decision(p, req({ action: "s3:PutObject", resource: "arn:aws:s3:::logs/x" })), "Allow");
    assert.equal(decision(p, req({ action: "s3:PutObject", resource: "arn:aws:s3:::other/x" })), "Deny");
  });
  test("a statement without Resource applies to any resource", () =>
    assert.equal(decision(doc({ Effect: "Allow", Principal: "*", Action: "*" }), req()), "Allow"));
});

describe("principals", () => {
  const role = (account: string, name: string, session?: string): Principal => ({
    type: "AWS",
    account,
    arn: session ? `arn:aws:sts::${account}:assumed-role/${name}/${session}` : `arn:aws:iam::${account}:role/${name}`,
  });
  const cases: [string, unknown, Principal, boolean][] = [
    ['"*" admits an account user', "*", user(B), true],
    ['"*" admits anonymous callers', "*", anonymous, true],
    ['"*" admits service principals', "*", service("sns.amazonaws.com"), true],
    ['{"AWS":"*"} admits anonymous callers', { AWS: "*" }, anonymous, true],
    ["account id admits its users", { AWS: A }, user(A, "bob"), true],
    ["account id refuses other accounts", { AWS: A }, user(B), false],
    ["root ARN admits its users", { AWS: `arn:aws:iam::${A}:root` }, user(A, "carol"), true],
    ["root ARN refuses other accounts", { AWS: `arn:aws:iam::${A}:root` }, user(B), false],
    ["account list", { AWS: [B, `arn:aws:iam::${A}:root`] }, user(A), true],
    ["user ARN admits that user", { AWS: `arn:aws:iam::${A}:user/alice` }, user(A, "alice"), true],
    ["user ARN refuses another user", { AWS: `arn:aws:iam::${A}:user/alice` }, user(A, "bob"), false],
    [
      "role ARN admits the role's sessions",
      { AWS: `arn:aws:iam::${A}:role/ops/Deployer` },
      role(A, "Deployer", "s1"),
      true,
    ],
    [
      "role ARN refuses other roles' sessions",
      { AWS: `arn:aws:iam::${A}:role/Deployer` },
      role(A, "Other", "s1"),
      false,
    ],
    ["account principal refuses anonymous", { AWS: A }, anonymous, false],
    ["account principal refuses services", { AWS: A }, service("sns.amazonaws.com"), false],
    ["service principal", { Service: "sns.amazonaws.com" }, service("sns.amazonaws.com"), true],
    [
      "service principal list",
      { Service: ["s3.amazonaws.com", "events.amazonaws.com"] },
      service("events.amazonaws.com"),
      true,
    ],
    ["service principal refuses other services", { Service: "sns.amazonaws.com" }, service("s3.amazonaws.com"), false],
    ["service principal refuses accounts", { Service: "sns.amazonaws.com" }, user(A), false],
    ["unique ids match nobody", { AWS: "AIDAJQABLZS4A3QDU576Q" }, user(A), false],
    [
      "canonical users match nobody",
      { CanonicalUser: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be" },
      user(A),
      false,
    ],
  ];
  for (const [name, principal, caller, expected] of cases)
    test(name, () =>
      assert.equal(
        decision(doc(allowAll({ Principal: principal })), req({ principal: caller })),
        expected ? "Allow" : "Implicit",
      ),
    );

  test("Deny with NotPrincipal denies everyone but the listed account", () => {
    const p = doc(allowAll(), {
      Effect: "Deny",
      NotPrincipal: { AWS: `arn:aws:iam::${A}:root` },
      Action: "*",
      Resource: "*",
    });
    assert.equal(decision(p, req({ principal: user(A) })), "Allow");
    assert.equal(decision(p, req({ principal: user(B) })), "Deny");
    assert.equal(decision(p, req({ principal: anonymous })), "Deny");
  });
  test("principalFor", () => {
    assert.deepEqual(principalFor({ account: A, arn: `arn:aws:iam::${A}:user/x` }), user(A, "x"));
    assert.deepEqual(principalFor({ account: A, arn: "" }), anonymous);
  });
});

describe("condition operators", () => {
  const ctxReq = (context: PolicyRequest["context"]) => req({ context });
  // [operator, key, policy value(s), request context value (undefined = key absent), expected match]
  const cases: [string, string, unknown, string | string[] | undefined, boolean][] = [
    ["StringEquals", "aws:SourceAccount", A, A, true],
    ["StringEquals", "aws:SourceAccount", A, B, false],
    ["StringEquals", "aws:SourceAccount", [B, A], A, true],
    ["StringEquals", "aws:SourceAccount", A, undefined, false],
    ["StringEquals", "s3:x-amz-acl", "bucket-owner-full-control", "BUCKET-OWNER-FULL-CONTROL", false],
    ["StringNotEquals", "aws:SourceAccount", A, B, true],
    ["StringNotEquals", "aws:SourceAccount", [A, B], B, false],
    ["StringNotEquals", "aws:SourceAccount", A, undefined, true],
    ["StringEqualsIgnoreCase", "k", "Hello", "hELLO", true],
    ["StringNotEqualsIgnoreCase", "k", "Hello", "hELLO", false],
    ["StringNotEqualsIgnoreCase", "k", "Hello", "bye", true],
    ["StringLike", "k", "logs-*-2024", "logs-app-2024", true],
    ["StringLike", "k", "logs-?", "logs-ab", false],
    ["StringLike", "k", "LOGS-*", "logs-a", false],
    ["StringNotLike", "k", "tmp/*", "data/x", true],
    ["StringNotLike", "k", "tmp/*", "tmp/x", false],
    ["StringNotLike", "k", "tmp/*", undefined, true],
    ["ArnEquals", "aws:SourceArn", TOPIC, TOPIC, true],
    ["ArnEquals", "aws:SourceArn", TOPIC, TOPIC + "2", false],
    ["ArnLike", "aws:SourceArn", `arn:aws:sns:*:${A}:*`, TOPIC, true],
    ["ArnLike", "aws:SourceArn", `arn:aws:sns:*:${A}:*`, `arn:aws:sns:us-east-1:${B}:alerts`, false],
    // components are matched separately: a star does not reach across a colon
    ["ArnLike", "aws:SourceArn", "arn:aws:sns:*", TOPIC, false],
    ["ArnLike", "aws:SourceArn", "arn:aws:s3:::bucket*", "arn:aws:s3:::bucket-logs", true],
    ["ArnLike", "aws:SourceArn", `arn:aws:sns:us-east-1:${A}:*`, "not-an-arn", false],
    ["ArnNotEquals", "aws:SourceArn", TOPIC, TOPIC, false],
    ["ArnNotLike", "aws:SourceArn", "arn:aws:sns:*:*:dev-*", TOPIC, true],
    ["ArnNotLike", "aws:SourceArn", "arn:aws:sns:*:*:dev-*", undefined, true],
    ["NumericEquals", "s3:max-keys", "10", "10", true],
    ["NumericEquals", "s3:max-keys", 10, "10.0", true],
    ["NumericEquals", "s3:max-keys", "10", "eleven", false],
    ["NumericNotEquals", "s3:max-keys", "10", "11", true],
    ["NumericLessThan", "s3:max-keys", "10", "9", true],
    ["NumericLessThan", "s3:max-keys", "10", "10", false],
    ["NumericLessThanEquals", "s3:max-keys", "10", "10", true],
    ["NumericGreaterThan", "s3:max-keys", "10", "11", true],
    ["NumericGreaterThan", "s3:max-keys", "10", "10", false],
    ["NumericGreaterThanEquals", "s3:max-keys", "10", "10", true],
    ["DateEquals", "aws:CurrentTime", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00.000Z", true],
    ["DateLessThan", "aws:CurrentTime", "2024-01-01T00:00:00Z", "2023-12-31T23:59:59Z", true],
    ["DateLessThan", "aws:CurrentTime", "2024-01-01T00:00:00Z", "2024-06-01T00:00:00Z", false],
    ["DateGreaterThan", "aws:EpochTime", "1700000000", "1700000001", true],
    ["DateGreaterThanEquals", "aws:CurrentTime", "2024-01-01", "2024-01-01T00:00:00Z", true],
    ["DateNotEquals", "aws:CurrentTime", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", true],
    ["Bool", "aws:SecureTransport", "true", "true", true],
    ["Bool", "aws:SecureTransport", true, "TRUE", true],
    ["Bool", "aws:SecureTransport", "false", "true", false],
    ["Bool", "aws:SecureTransport", "false", undefined, false],
    ["BoolIfExists", "aws:SecureTransport", "false", undefined, true],
    ["IpAddress", "aws:SourceIp", "203.0.113.0/24", "203.0.113.7", true],
    ["IpAddress", "aws:SourceIp", ["10.0.0.0/8", "203.0.113.7"], "203.0.113.7", true],
    ["IpAddress", "aws:SourceIp", "203.0.113.0/24", "198.51.100.1", false],
    ["IpAddress", "aws:SourceIp", "2001:db8::/32", "2001:db8::1", true],
    ["IpAddress", "aws:SourceIp", "203.0.113.0/24", "not-an-ip", false],
    ["NotIpAddress", "aws:SourceIp", "203.0.113.0/24", "198.51.100.1", true],
    ["NotIpAddress", "aws:SourceIp", "203.0.113.0/24", "203.0.113.9", false],
    ["Null", "aws:SourceArn", "true", undefined, true],
    ["Null", "aws:SourceArn", "true", TOPIC, false],
    ["Null", "aws:SourceArn", "false", TOPIC, true],
    ["Null", "aws:SourceArn", false, undefined, false],
    ["StringEqualsIfExists", "aws:SourceAccount", A, undefined, true],
    ["StringEqualsIfExists", "aws:SourceAccount", A, B, false],
    ["StringEqualsIfExists", "aws:SourceAccount", A, A, true],
    ["ArnLikeIfExists", "aws:SourceArn", `arn:aws:sns:*:${A}:*`, TOPIC, true],
    // set qualifiers
    ["ForAnyValue:StringEquals", "aws:TagKeys", ["env", "team"], ["team", "other"], true],
    ["ForAnyValue:StringEquals", "aws:TagKeys", ["env", "team"], ["other"], false],
    ["ForAnyValue:StringEquals", "aws:TagKeys", ["env"], undefined, false],
    ["ForAnyValue:StringEquals", "aws:TagKeys", ["env"], [], false],
    ["ForAllValues:StringEquals", "aws:TagKeys", ["env", "team"], ["team", "env"], true],
    ["ForAllValues:StringEquals", "aws:TagKeys", ["env", "team"], ["team", "other"], false],
    ["ForAllValues:StringEquals", "aws:TagKeys", ["env"], undefined, true],
    ["ForAllValues:StringEquals", "aws:TagKeys", ["env"], [], true],
    ["ForAllValues:StringLike", "aws:TagKeys", ["app-*"], ["app-a", "app-b"], true],
    ["ForAnyValue:StringNotEquals", "aws:TagKeys", ["env"], ["env", "x"], true],
    ["ForAnyValue:StringNotEquals", "aws:TagKeys", ["env"], ["env"], false],
    ["ForAllValues:StringNotEquals", "aws:TagKeys", ["env"], ["a", "b"], true],
    ["ForAllValues:StringNotEquals", "aws:TagKeys", ["env"], ["a", "env"], false],
    // operators are read without regard to case (assumption, see README)
    ["stringequals", "aws:SourceAccount", A, A, true],
  ];
  for (const [op, key, value, ctx, expected] of cases)
    test(`${op} ${key} ${JSON.stringify(value)} vs ${JSON.stringify(ctx)}: ${expected}`, () =>
      assert.equal(
        decision(doc(allowAll({ Condition: { [op]: { [key]: value } } })), ctxReq({ [key]: ctx })),
        expected ? "Allow" : "Implicit",
      ));

  test("condition keys are looked up without regard to case", () => {
    const p = doc(allowAll({ Condition: { StringEquals: { "AWS:SOURCEACCOUNT": A } } }));
    assert.equal(decision(p, ctxReq({ "aws:SourceAccount": A })), "Allow");
  });
  test("keys in one block and operators in one Condition are ANDed", () => {
    const p = doc(
      allowAll({
        Condition: {
          StringEquals: { "aws:SourceAccount": A, "s3:x-amz-acl": "private" },
          ArnLike: { "aws:SourceArn": "arn:aws:*:*:*:*" },
        },
      }),
    );
    const all = { "aws:SourceAccount": A, "s3:x-amz-acl": "private", "aws:SourceArn": TOPIC };
    assert.equal(decision(p, ctxReq(all)), "Allow");
    assert.equal(decision(p, ctxReq({ ...all, "s3:x-amz-acl": "public-read" })), "Implicit");
    assert.equal(decision(p, ctxReq({ ...all, "aws:SourceArn": undefined })), "Implicit");
  });
  test("aws:PrincipalAccount and aws:PrincipalArn are derived from the caller", () => {
    const p = doc(allowAll({ Condition: { StringEquals: { "aws:PrincipalAccount": A } } }));
    assert.equal(decision(p, req({ principal: user(A) })), "Allow");
    assert.equal(decision(p, req({ principal: user(B) })), "Implicit");
    const q = doc(allowAll({ Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${A}:user/a*` } } }));
    assert.equal(decision(q, req({ principal: user(A, "alice") })), "Allow");
    assert.equal(decision(q, req({ principal: user(A, "bob") })), "Implicit");
  });
});

describe("policy variables (Version 2012-10-17)", () => {
  const v12 = (st: object) => JSON.stringify({ Version: "2012-10-17", Statement: [st] });
  const v08 = (st: object) => JSON.stringify({ Version: "2008-10-17", Statement: [st] });
  test("a variable in Resource takes the request's value", () => {
    const p = v12(allowAll({ Resource: "arn:aws:s3:::home/${aws:PrincipalAccount}/*" }));
    assert.equal(decision(p, req({ principal: user(A), resource: `arn:aws:s3:::home/${A}/f` })), "Allow");
    assert.equal(decision(p, req({ principal: user(A), resource: `arn:aws:s3:::home/${B}/f` })), "Implicit");
  });
  test("in Version 2008-10-17 a variable is literal text", () => {
    const p = v08(allowAll({ Resource: "arn:aws:s3:::home/${aws:PrincipalAccount}/*" }));
    assert.equal(decision(p, req({ principal: user(A), resource: `arn:aws:s3:::home/${A}/f` })), "Implicit");
    assert.equal(decision(p, req({ resource: "arn:aws:s3:::home/${aws:PrincipalAccount}/f" })), "Allow");
  });
  test("${*}, ${?} and ${$} are a literal star, question mark and dollar", () => {
    const p = v12(allowAll({ Resource: "arn:aws:s3:::b/${*}${?}${$}" }));
    assert.equal(decision(p, req({ resource: "arn:aws:s3:::b/*?$" })), "Allow");
    assert.equal(decision(p, req({ resource: "arn:aws:s3:::b/xy$" })), "Implicit");
  });
  test("wildcards inside a variable's value are literal", () => {
    const p = v12(allowAll({ Condition: { StringLike: { "s3:prefix": "${x:name}/*" } } }));
    assert.equal(decision(p, req({ context: { "x:name": "a*", "s3:prefix": "a*/k" } })), "Allow");
    assert.equal(decision(p, req({ context: { "x:name": "a*", "s3:prefix": "abc/k" } })), "Implicit");
    // the variable's text itself is no pattern
    assert.equal(decision(p, req({ context: { "s3:prefix": "${x:name}/k" } })), "Implicit");
  });
  test("a default value applies when the key is absent; without one the value matches nothing", () => {
    const p = v12(allowAll({ Condition: { StringEquals: { "x:team": "${x:owner, 'ops'}" } } }));
    assert.equal(decision(p, req({ context: { "x:team": "ops" } })), "Allow");
    assert.equal(decision(p, req({ context: { "x:team": "dev", "x:owner": "dev" } })), "Allow");
    const q = v12(allowAll({ Condition: { StringEquals: { "x:team": "${x:owner}" } } }));
    assert.equal(decision(q, req({ context: { "x:team": "ops" } })), "Implicit");
  });
  test("ArnLike with a variable", () => {
    const p = v12(allowAll({ Condition: { ArnLike: { "aws:SourceArn": "arn:aws:sns:*:${aws:PrincipalAccount}:*" } } }));
    assert.equal(decision(p, req({ principal: user(A), context: { "aws:SourceArn": TOPIC } })), "Allow");
    assert.equal(decision(p, req({ principal: user(B), context: { "aws:SourceArn": TOPIC } })), "Implicit");
  });
  test("text that is not a variable stays as written", () => {
    const p = v12(allowAll({ Condition: { StringEquals: { k: "${not a var}" } } }));
    assert.equal(decision(p, req({ context: { k: "${not a var}" } })), "Allow");
  });
});

describe("AWS's documented example policies", () => {
  const BUCKET = "trail-bucket";
  // CloudTrail User Guide, "Amazon S3 bucket policy for CloudTrail".
  const cloudTrailBucketPolicy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AWSCloudTrailAclCheck20150319",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:GetBucketAcl",
        Resource: `arn:aws:s3:::${BUCKET}`,
        Condition: { StringEquals: { "aws:SourceArn": `arn:aws:cloudtrail:us-east-1:${A}:trail/main` } },
      },
      {
        Sid: "AWSCloudTrailWrite20150319",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${A}/*`,
        Condition: {
          StringEquals: {
            "s3:x-amz-acl": "bucket-owner-full-control",
            "aws:SourceArn": `arn:aws:cloudtrail:us-east-1:${A}:trail/main`,
          },
        },
      },
    ],
  });
  const trail = { "aws:SourceArn": `arn:aws:cloudtrail:us-east-1:${A}:trail/main`, "aws:SourceAccount": A };
  const ct = service("cloudtrail.amazonaws.com");

  test("the minimal AWSCloudTrailAclCheck statement (no condition)", () => {
    const p = doc({
      Sid: "AWSCloudTrailAclCheck",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: "arn:aws:s3:::bucket",
    });
    assert.equal(decision(p, { principal: ct, action: "s3:GetBucketAcl", resource: "arn:aws:s3:::bucket" }), "Allow");
    assert.equal(decision(p, { principal: ct, action: "s3:PutObject", resource: "arn:aws:s3:::bucket" }), "Implicit");
  });
  test("CloudTrail may check the ACL and write its logs with bucket-owner-full-control", () => {
    assert.equal(
      decision(cloudTrailBucketPolicy, {
        principal: ct,
        action: "s3:GetBucketAcl",
        resource: `arn:aws:s3:::${BUCKET}`,
        context: trail,
      }),
      "Allow",
    );
    const write = {
      principal: ct,
      action: "s3:PutObject",
      resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${A}/CloudTrail/us-east-1/2024/01/01/x.json.gz`,
      context: { ...trail, "s3:x-amz-acl": "bucket-owner-full-control" },
    };
    assert.equal(decision(cloudTrailBucketPolicy, write), "Allow");
    assert.equal(decision(cloudTrailBucketPolicy, { ...write, context: trail }), "Implicit"); // no ACL header
    assert.equal(
      decision(cloudTrailBucketPolicy, {
        ...write,
        context: { ...write.context, "aws:SourceArn": `arn:aws:cloudtrail:us-east-1:${B}:trail/main` },
      }),
      "Implicit",
    ); // another account's trail (the confused-deputy guard)
    assert.equal(
      decision(cloudTrailBucketPolicy, { ...write, resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${B}/x` }),
      "Implicit",
    );
    assert.equal(decision(cloudTrailBucketPolicy, { ...write, principal: user(B) }), "Implicit");
  });

  // SNS Developer Guide, "Fanout to Amazon SQS queues": the queue policy that lets a topic send.
  const QUEUE = `arn:aws:sqs:us-east-1:${A}:orders`;
  const sqsForSns = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: QUEUE,
        Condition: { ArnEquals: { "aws:SourceArn": TOPIC } },
      },
    ],
  });
  test("SQS queue policy for an SNS topic", () => {
    const r = {
      principal: service("sns.amazonaws.com"),
      action: "sqs:SendMessage",
      resource: QUEUE,
      context: { "aws:SourceArn": TOPIC },
    };
    assert.equal(decision(sqsForSns, r), "Allow");
    assert.equal(decision(sqsForSns, { ...r, context: { "aws:SourceArn": `${TOPIC}-other` } }), "Implicit");
    assert.equal(decision(sqsForSns, { ...r, context: {} }), "Implicit");
    assert.equal(decision(sqsForSns, { ...r, principal: user(A) }), "Implicit");
  });

  // What SNS answers for GetTopicAttributes Policy on a new topic (recorded in conformance/aws-recordings/sns).
  const defaultTopicPolicy = JSON.stringify({
    Version: "2008-10-17",
    Id: "__default_policy_ID",
    Statement: [
      {
        Sid: "__default_statement_ID",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: [
          "SNS:GetTopicAttributes",
          "SNS:SetTopicAttributes",
          "SNS:AddPermission",
          "SNS:RemovePermission",
          "SNS:DeleteTopic",
          "SNS:Subscribe",
          "SNS:ListSubscriptionsByTopic",
          "SNS:Publish",
        ],
        Resource: TOPIC,
        Condition: { StringEquals: { "AWS:SourceOwner": A } },
      },
    ],
  });
  test("SNS default topic policy admits the owner account only", () => {
    assert.equal(decision(defaultTopicPolicy, req({ principal: user(A) })), "Allow");
    assert.equal(decision(defaultTopicPolicy, req({ principal: user(B) })), "Implicit");
    assert.equal(decision(defaultTopicPolicy, req({ principal: user(A), action: "sns:Unsubscribe" })), "Implicit");
    // explicit context wins over the derived aws:SourceOwner
    assert.equal(decision(defaultTopicPolicy, req({ principal: user(B), context: { "aws:SourceOwner": A } })), "Allow");
  });

  // SNS Developer Guide: the topic policy that lets S3 publish event notifications.
  test("SNS topic policy for S3 notifications with SourceArn and SourceAccount", () => {
    const p = doc({
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "SNS:Publish",
      Resource: TOPIC,
      Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:*:*:my-bucket" }, StringEquals: { "aws:SourceAccount": A } },
    });
    const r = {
      principal: service("s3.amazonaws.com"),
      action: "sns:Publish",
      resource: TOPIC,
      context: { "aws:SourceArn": "arn:aws:s3:::my-bucket", "aws:SourceAccount": A },
    };
    assert.equal(decision(p, r), "Allow");
    assert.equal(decision(p, { ...r, context: { ...r.context, "aws:SourceAccount": B } }), "Implicit");
    assert.equal(decision(p, { ...r, context: { ...r.context, "aws:SourceArn": "arn:aws:s3:::other" } }), "Implicit");
  });

  // EventBridge: PutPermission writes statements like this (recorded), and the documented organisation form.
  test("EventBridge bus policy: an account, and an organisation with aws:PrincipalOrgID", () => {
    const BUS = `arn:aws:events:us-east-1:${A}:event-bus/central`;
    const p = doc(
      {
        Sid: "acct",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${B}:root` },
        Action: "events:PutEvents",
        Resource: BUS,
      },
      {
        Sid: "org",
        Effect: "Allow",
        Principal: "*",
        Action: "events:PutEvents",
        Resource: BUS,
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } },
      },
    );
    const r = { principal: user(B), action: "events:PutEvents", resource: BUS };
    assert.equal(decision(p, r), "Allow");
    assert.equal(decision(p, { ...r, principal: user("999988887777") }), "Implicit");
    assert.equal(
      decision(p, { ...r, principal: user("999988887777"), context: { "aws:PrincipalOrgID": "o-abc123" } }),
      "Allow",
    );
    assert.equal(decision(p, { ...r, action: "events:PutRule" }), "Implicit");
  });

  // S3 User Guide: deny requests not sent over HTTPS.
  test("S3 deny-insecure-transport policy", () => {
    const p = doc(allowAll(), {
      Sid: "AllowSSLRequestsOnly",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    const r = { principal: user(A), action: "s3:GetObject", resource: "arn:aws:s3:::b/k" };
    assert.equal(decision(p, { ...r, context: { "aws:SecureTransport": "false" } }), "Deny");
    assert.equal(decision(p, { ...r, context: { "aws:SecureTransport": "true" } }), "Allow");
  });
});

describe("linear time on hostile patterns", () => {
  test("a pattern that makes backtracking matchers explode answers at once", () => {
    const pattern = "arn:aws:s3:::" + "*a".repeat(2000) + "?b";
    const value = "arn:aws:s3:::" + "a".repeat(4000);
    const t = performance.now();
    const p = parsePolicy(doc(allowAll({ Resource: pattern })), { maxBytes: 64 * 1024 });
    assert.equal(evaluate(p, req({ resource: value })), "Implicit");
    assert.ok(performance.now() - t < 500, `took ${performance.now() - t} ms`);
  });

  test("property: glob time grows at most linearly with the value (no backtracking)", () => {
    // The best of several runs after a warm-up, so JIT compilation and GC pauses do not count.
    const cost = (pattern: string, value: string) => {
      const g = compileGlob(pattern);
      g.test(value);
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        g.test(value);
        best = Math.min(best, performance.now() - t);
      }
      return best;
    };
    fc.assert(
      fc.property(fc.stringMatching(/^[ab*?]{1,12}$/), fc.constantFrom("a", "ab", "b"), (unit, fill) => {
        const pattern = unit.repeat(60);
        // 16x the input: linear is ~16x, quadratic 256x; allow noise and slack for tiny timings. The machine is
        // shared, so a sample is measured again (up to 3 times) before it counts as a failure.
        for (let attempt = 0; attempt < 3; attempt++) {
          const small = cost(pattern, fill.repeat(1000));
          const large = cost(pattern, fill.repeat(16000));
          if (large <= small * 40 + 3) return true;
        }
        return false;
      }),
      { numRuns: 40 },
    );
  });

  test("property: the glob matcher agrees with a reference matcher", () => {
    const reference = (p: string, v: string): boolean => {
      // dynamic programming over (pattern position, value position): exact, quadratic, fine for tiny inputs
      const dp: boolean[][] = Array.from({ length: p.length + 1 }, () => new Array<boolean>(v.length + 1).fill(false));
      dp[p.length]![v.length] = true;
      for (let i = p.length; i >= 0; i--)
        for (let j = v.length; j >= 0; j--) {
          if (i === p.length) continue;
          const c = p[i];
          if (c === "*") dp[i]![j] = dp[i + 1]![j]! || (j < v.length && dp[i]![j + 1]!);
          else dp[i]![j] = j < v.length && (c === "?" || c === v[j]) && dp[i + 1]![j + 1]!;
        }
      return dp[0]![0]!;
    };
    fc.assert(
      fc.property(fc.stringMatching(/^[ab*?]{0,10}$/), fc.stringMatching(/^[abc]{0,12}$/), (p, v) => {
        assert.equal(compileGlob(p).test(v), reference(p, v), `${p} vs ${v}`);
      }),
      { numRuns: 2000 },
    );
  });
});
