/** Unit tables for the JSONPath subset and the input transformer (no server). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkTargetInput, renderInput } from "../../src/services/events/input.js";
import { evaluate, parsePath } from "../../src/services/events/jsonpath.js";
import type { TargetDoc } from "../../src/services/events/resources.js";

const EVENT = {
  version: "0",
  id: "e-1",
  "detail-type": "t",
  source: "s",
  account: "000000000000",
  time: "2026-03-01T10:00:00Z",
  region: "us-east-1",
  resources: ["arn:a", "arn:b"],
  detail: { a: { b: [1, { c: "x" }] }, "dotted.key": 5, list: ["HIGH"], flag: true, nothing: null },
};
const JSON_TEXT = JSON.stringify(EVENT);
const CTX = {
  ruleArn: "arn:aws:events:us-east-1:000000000000:rule/r",
  ruleName: "r",
  ingestionTime: Date.parse("2026-03-01T10:00:01.500Z"),
};

test("JSONPath subset: paths and what they select", () => {
  const cases: [string, unknown][] = [
    ["$", EVENT],
    ["$.detail.a.b[0]", 1],
    ["$.detail.a.b[1].c", "x"],
    ["$['detail']['dotted.key']", 5],
    ['$["source"]', "s"],
    ["$.resources[*]", ["arn:a", "arn:b"]],
    ["$.detail.a.b[*].c", ["x"]],
    ["$.detail.missing", undefined],
    ["$.detail.a.b[9]", undefined],
    ["$.detail.nothing", null],
  ];
  for (const [path, want] of cases) assert.deepEqual(evaluate(parsePath(path)!, EVENT), want, path);
  for (const bad of ["detail", "$..detail", "$.detail[?(@.a)]", "$.a[1:2]", "$.", "$[abc]", "$.a b"])
    assert.equal(parsePath(bad), undefined, bad);
});

const target = (t: Partial<TargetDoc>): TargetDoc => ({ Id: "t", Arn: "arn:aws:sqs:us-east-1:000000000000:q", ...t });
const transform = (template: string, paths: Record<string, string> = {}) =>
  renderInput(target({ InputTransformer: { InputPathsMap: paths, InputTemplate: template } }), EVENT, JSON_TEXT, CTX);

test("InputTemplate quoting: text inside strings, JSON outside", () => {
  const paths = {
    a: "$.detail.a",
    list: "$.detail.list",
    flag: "$.detail.flag",
    src: "$.source",
    none: "$.detail.missing",
  };
  assert.equal(transform('{"x": <src>, "y": "<src>!"}', paths), '{"x": "s", "y": "s!"}');
  assert.equal(
    transform('"obj <a> list <list> flag <flag> none <none>."', paths),
    '"obj {b:[1,{c:x}]} list [HIGH] flag true none ."',
  );
  assert.equal(
    transform('{"a": <a>, "none": <none>, "list": <list>}', paths),
    '{"a": {"b":[1,{"c":"x"}]}, "none": null, "list": ["HIGH"]}',
  );
  assert.equal(transform('"escaped \\"<src>\\" stays in the string"', paths), '"escaped \\"s\\" stays in the string"');
  assert.equal(
    transform('"<aws.events.rule-name> <aws.events.rule-arn> <aws.events.event.ingestion-time>"'),
    `"r ${CTX.ruleArn} 2026-03-01T10:00:01.500Z"`,
  );
  assert.deepEqual(JSON.parse(transform("<aws.events.event.json>")!), EVENT);
  assert.deepEqual(JSON.parse(transform("<aws.events.event>")!), {
    id: "e-1",
    account: "000000000000",
    detailType: "t",
    time: "2026-03-01T10:00:01.500Z",
    source: "s",
    region: "us-east-1",
    resources: ["arn:a", "arn:b"],
    version: "0",
  });
});

test("Input, InputPath and the event itself", () => {
  assert.equal(renderInput(target({ Input: '{"k":1}' }), EVENT, JSON_TEXT, CTX), '{"k":1}');
  assert.equal(renderInput(target({ InputPath: "$.detail.list" }), EVENT, JSON_TEXT, CTX), '["HIGH"]');
  assert.equal(renderInput(target({ InputPath: "$.detail.missing" }), EVENT, JSON_TEXT, CTX), undefined);
  assert.equal(renderInput(target({}), EVENT, JSON_TEXT, CTX), JSON_TEXT);
});

test("PutTargets checks of input members", () => {
  const fails = (t: Partial<TargetDoc>, message: string) =>
    assert.throws(
      () => checkTargetInput(target(t)),
      (e: Error) => e.message === message,
      message,
    );
  fails(
    { Input: "{}", InputPath: "$" },
    "Only one of Input, InputPath, or InputTransformer must be provided for target t.",
  );
  fails({ Input: "{not json" }, "Input for target t is not valid JSON text.");
  fails({ InputPath: "$..x" }, "InputPath for target t is not a valid JSONPath expression.");
  fails({ InputTransformer: { InputTemplate: "<x>" } }, "InputTemplate for target t contains invalid placeholder x.");
  fails(
    { InputTransformer: { InputPathsMap: { k: "nope" }, InputTemplate: "<k>" } },
    "InputPathsMap for target t contains invalid JSONPath nope.",
  );
  checkTargetInput(
    target({
      InputTransformer: { InputPathsMap: { k: "$.detail" }, InputTemplate: '{"a": <k>, "b": "<aws.events.rule-arn>"}' },
    }),
  );
});
