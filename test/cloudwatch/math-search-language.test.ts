/**
 * The search expression language of SEARCH(), table-driven from the examples of "CloudWatch search expression syntax"
 * (CloudWatch user guide): tokens, partial and exact matches, property designators, schemas, boolean operators and
 * syntax errors, without a server.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  parseSearch,
  requiredMetricName,
  searchMatcher,
  searchTokens,
  SearchSyntaxError,
  type SearchMetric,
} from "../../src/services/cloudwatch/metrics/math/search.js";

const metric = (namespace: string, name: string, dims: Record<string, string> = {}): SearchMetric => ({
  namespace,
  name,
  dims: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
});
const finds = (search: string, m: SearchMetric) => searchMatcher(parseSearch(search))(m);

test("names are cut into tokens at capitals, digits and other characters (the guide's table)", () => {
  assert.deepEqual(searchTokens("CustomCount1"), ["Custom", "Count", "1"]);
  assert.deepEqual(searchTokens("SDBFailure"), ["SDB", "Failure"]);
  assert.deepEqual(searchTokens("Project2-trial333"), ["Project", "2", "trial", "333"]);
  assert.deepEqual(searchTokens("Network-Errors_2"), ["Network", "Errors", "2"]);
  assert.deepEqual(searchTokens("CPUUtilization"), ["CPU", "Utilization"]);
});

test("partial matches: one token in any case, several camel-case tokens in the same case", () => {
  const m = metric("MyNamespace", "CustomCount1");
  const table: [string, boolean][] = [
    ["count", true],
    ["Count", true],
    ["COUNT", true],
    ["couNT", false], // tokenized into cou and NT
    ["CustomCount", true],
    ["Count1", true],
    ["customcount", false],
    ["count1", false],
    ["customcount1", true], // the whole name is a token too
    ["custom", true],
    ["1", true],
    ["Counter", false],
    ["CountCustom", false], // tokens must be consecutive and in order
  ];
  for (const [term, want] of table) assert.equal(finds(` ${term} `, m), want, term);
  // Other characters separate parts that match consecutive tokens.
  for (const name of ["Network-Errors-2", "NetworkErrors2"])
    for (const term of ["network/errors", "network+errors", "network-errors", "Network_Errors"])
      assert.equal(finds(term, metric("N", name)), true, `${term} ${name}`);
  assert.equal(finds("errors/network", metric("N", "NetworkErrors2")), false);
  assert.equal(finds("project2-trial333", metric("N", "Project2-trial333")), true);
  assert.equal(finds("SDB", metric("N", "SDBFailure")), true);
  assert.equal(finds("sdbfailure", metric("N", "SDBFailure")), true);
});

test("terms search the metric name, namespace, dimension names and values; exact terms whole strings", () => {
  const m = metric("AWS/EC2", "CPUUtilization", { InstanceType: "t2.micro", InstanceId: "i-1234567890123456" });
  assert.equal(finds("micro", m), true);
  assert.equal(finds("instance", m), true); // a dimension name
  assert.equal(finds("EC2", m), true); // the namespace
  assert.equal(finds('"CPUUtilization"', m), true);
  assert.equal(finds('"cpuutilization"', m), false);
  assert.equal(finds('"CPU"', m), false);
  assert.equal(finds('"t2.micro"', m), true);
  assert.equal(finds('"AWS/EC2"', m), true);
  assert.equal(finds('"Errors"', metric("N", "ConnectionErrors")), false);
  assert.equal(finds("Errors", metric("N", "ConnectionErrors")), true);
  // Exact terms escape " \ ( ) with a backslash.
  const special = metric("My Namespace", "Europe\\France Traffic(Network)", { "Dimension@Name": 'say "hi"' });
  assert.equal(finds('"Europe\\\\France Traffic\\(Network\\)"', special), true);
  assert.equal(finds('"say \\"hi\\""', special), true);
  assert.equal(finds('"Network-Errors-2"', metric("N", "Network-Errors-2")), true);
  assert.equal(finds('"Network_Errors_2"', metric("N", "Network-Errors-2")), false);
});

test("property designators narrow a term to the metric name, the namespace or one dimension's value", () => {
  const m = metric("AWS/EC2", "CPUUtilization", { InstanceType: "t2.micro" });
  assert.equal(finds('MetricName="CPUUtilization"', m), true);
  assert.equal(finds('MetricName="t2.micro"', m), false);
  assert.equal(finds("MetricName=cpu", m), true);
  assert.equal(finds("InstanceType=micro", m), true);
  assert.equal(finds('InstanceType="t2.micro" Namespace="AWS/EC2"', m), true);
  assert.equal(finds('InstanceType="t2.small"', m), false);
  assert.equal(finds("InstanceId=micro", m), false); // the metric has no such dimension
  assert.equal(finds("Namespace=AWS", m), true);
  assert.equal(finds("Namespace=cpu", m), false);
  assert.equal(finds('"Dimension@Name"="x"', metric("N", "M", { "Dimension@Name": "x" })), true);
});

test("a schema keeps the metrics of that namespace with exactly those dimension names", () => {
  const byInstance = metric("AWS/EC2", "CPUUtilization", { InstanceId: "i-1" });
  const byType = metric("AWS/EC2", "CPUUtilization", { InstanceType: "t2.micro" });
  const both = metric("AWS/EC2", "CPUUtilization", { InstanceId: "i-1", InstanceType: "t2.micro" });
  const none = metric("AWS/EC2", "CPUUtilization");
  const all = [byInstance, byType, both, none];
  const which = (search: string) => all.map((m) => finds(search, m));
  assert.deepEqual(which(' {AWS/EC2,InstanceId} MetricName="CPUUtilization" '), [true, false, false, false]);
  assert.deepEqual(which("{AWS/EC2, InstanceType}"), [false, true, false, false]);
  assert.deepEqual(which("{AWS/EC2,InstanceType,InstanceId}"), [false, false, true, false]);
  assert.deepEqual(which('{AWS/EC2} MetricName="CPUUtilization"'), [false, false, false, true]);
  assert.deepEqual(which("{AWS/EBS,InstanceId}"), [false, false, false, false]);
  // A comma may follow the schema; names with spaces or other characters are quoted.
  assert.deepEqual(which('{AWS/EC2, InstanceId}, MetricName="CPUUtilization"'), [true, false, false, false]);
  const spaced = metric("Custom-Namespace", "ErrorCount", { "Dimension Name With Spaces": "x" });
  assert.equal(finds('{"Custom-Namespace", "Dimension Name With Spaces"}, ErrorCount', spaced), true);
  assert.equal(finds('{"Custom-Namespace"}, ErrorCount', spaced), false);
});

test("AND (explicit or implicit), OR, NOT and parentheses; NOT before AND before OR", () => {
  const lambda = (name: string, fn: string) => metric("AWS/Lambda", name, { FunctionName: fn });
  const all = [
    lambda("Errors", "ProjectA-api"),
    lambda("Errors", "other"),
    lambda("Invocations", "ProjectA-api"),
    lambda("Invocations", "ProjectB-worker"),
    lambda("Invocations", "other"),
    lambda("Throttles", "ProjectA-api"),
  ];
  const which = (search: string) => all.map((m) => finds(search, m));
  assert.deepEqual(
    which(' {AWS/Lambda,FunctionName} MetricName="Errors" OR (MetricName="Invocations" AND (ProjectA OR ProjectB)) '),
    [true, true, true, true, false, false],
  );
  assert.deepEqual(which("invocations project"), which("invocations AND project"));
  assert.deepEqual(which("invocations project"), [false, false, true, true, false, false]);
  assert.deepEqual(which('MetricName="Invocations" NOT "other"'), [false, false, true, true, false, false]);
  assert.deepEqual(which('NOT "other" NOT "ProjectB-worker"'), [true, false, true, false, false, true]);
  assert.deepEqual(which("NOT Namespace=AWS"), [false, false, false, false, false, false]);
  assert.deepEqual(which("Errors OR Throttles ProjectA"), [true, true, false, false, false, true]);
  assert.deepEqual(which("(Errors OR Throttles) ProjectA"), [true, false, false, false, false, true]);
  // The operators are case-sensitive: "or" is a term.
  assert.deepEqual(which("Errors or Throttles"), [false, false, false, false, false, false]);
});

test("a top-level exact MetricName narrows the scan", () => {
  assert.equal(requiredMetricName(parseSearch('{AWS/EC2,InstanceId} MetricName="CPUUtilization"')), "CPUUtilization");
  assert.equal(requiredMetricName(parseSearch('MetricName="A" AND x')), "A");
  assert.equal(requiredMetricName(parseSearch('MetricName="A" OR x')), undefined);
  assert.equal(requiredMetricName(parseSearch("MetricName=A")), undefined);
});

test("syntax errors", () => {
  for (const bad of [
    "",
    "   ",
    "{}",
    "{AWS/EC2,}",
    "{AWS/EC2",
    '"open',
    "(a OR b",
    "a OR",
    "AND a",
    "NOT",
    "a )",
    "MetricName=",
    "=x",
    "x".repeat(1025),
  ])
    assert.throws(() => parseSearch(bad), SearchSyntaxError, JSON.stringify(bad.slice(0, 20)));
  assert.throws(() => parseSearch("x".repeat(1025)), {
    message: "The search expression must be at most 1024 characters long",
  });
  assert.throws(() => parseSearch(" "), {
    message: "The search expression must contain a metric schema, a search term or both",
  });
});
