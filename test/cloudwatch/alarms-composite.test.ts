/**
 * Composite alarms: the AlarmRule language (parser cases and property test), PutCompositeAlarm validation (unknown
 * alarms, cycles), evaluation when children change, ChildrenOf/ParentsOf, and ActionsSuppressor.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import fc from "fast-check";
import {
  DescribeAlarmsCommand,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
  DeleteAlarmsCommand,
  type CloudWatchClient,
} from "@aws-sdk/client-cloudwatch";
import { evalRule, parseRule, ruleAlarms } from "../../src/services/cloudwatch/alarms/composite.js";
import { unique, type Vigil } from "../helpers/vigil.js";
import { alarmArn, cw, rejects, sdkName, startAlarmsVigil, topicArn } from "./alarms-helpers.js";

test("AlarmRule: precedence, quoting, ARNs, TRUE/FALSE", () => {
  const states: Record<string, "OK" | "ALARM" | "INSUFFICIENT_DATA"> = {
    a: "ALARM",
    b: "OK",
    "c d": "INSUFFICIENT_DATA",
  };
  const ev = (src: string) => evalRule(parseRule(src), (ref) => states[ref.replace(/^arn:.*:alarm:/, "")]);
  assert.equal(ev('ALARM("a")'), true);
  assert.equal(ev("ALARM(a) AND OK(b)"), true);
  assert.equal(ev('NOT ALARM(a) OR INSUFFICIENT_DATA("c d")'), true);
  assert.equal(ev("ALARM(b) OR ALARM(a) AND FALSE"), false); // AND binds tighter
  assert.equal(ev("(ALARM(b) OR ALARM(a)) AND TRUE"), true);
  assert.equal(ev('ALARM("arn:aws:cloudwatch:us-east-1:000000000000:alarm:a")'), true);
  assert.equal(ev("NOT NOT TRUE"), true);
  assert.deepEqual(ruleAlarms(parseRule('ALARM(a) OR (OK("b") AND NOT INSUFFICIENT_DATA(a))')), ["a", "b", "a"]);
});

test("AlarmRule: malformed rules are refused with where it went wrong", () => {
  const cases: [string, string][] = [
    ["", "Error in alarm rule: the rule is empty"],
    ["ALARM(a", "Error in alarm rule: expected ')' at position 7"],
    ["ALARM(a) AND", "Error in alarm rule: unexpected end of rule at position 12"],
    ["ALARM(a) OK(b)", "Error in alarm rule: unexpected 'OK' at position 9"],
    ["alarm(a)", "Error in alarm rule: unexpected 'alarm' at position 0"],
    ['ALARM("a)', "Error in alarm rule: unterminated string starting at position 6"],
    ["ALARM()", "Error in alarm rule: expected an alarm name or ARN at position 6"],
    ["(".repeat(200) + "TRUE" + ")".repeat(200), "Error in alarm rule: the rule is nested too deeply"],
  ];
  for (const [src, message] of cases) assert.throws(() => parseRule(src), { message }, src);
});

test("AlarmRule: any rule printed from a tree parses back to the same truth table", () => {
  type T =
    { k: "c"; v: boolean } | { k: "s"; f: string; a: string } | { k: "n"; r: T } | { k: "and" | "or"; l: T; r: T };
  const tree: fc.Arbitrary<T> = fc.letrec<{ t: T }>((tie) => ({
    t: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.record({ k: fc.constant("c" as const), v: fc.boolean() }),
      fc.record({
        k: fc.constant("s" as const),
        f: fc.constantFrom("ALARM", "OK", "INSUFFICIENT_DATA"),
        a: fc.constantFrom("x", "y", "z"),
      }),
      fc.record({ k: fc.constant("n" as const), r: tie("t") }),
      fc.record({ k: fc.constantFrom("and" as const, "or" as const), l: tie("t"), r: tie("t") }),
    ),
  })).t;
  const print = (t: T): string =>
    t.k === "c"
      ? t.v
        ? "TRUE"
        : "FALSE"
      : t.k === "s"
        ? `${t.f}("${t.a}")`
        : t.k === "n"
          ? `NOT (${print(t.r)})`
          : `(${print(t.l)}) ${t.k.toUpperCase()} (${print(t.r)})`;
  const truth = (t: T, s: Record<string, string>): boolean =>
    t.k === "c"
      ? t.v
      : t.k === "s"
        ? s[t.a] === t.f
        : t.k === "n"
          ? !truth(t.r, s)
          : t.k === "and"
            ? truth(t.l, s) && truth(t.r, s)
            : truth(t.l, s) || truth(t.r, s);
  fc.assert(
    fc.property(
      tree,
      fc.constantFrom("OK", "ALARM", "INSUFFICIENT_DATA"),
      fc.constantFrom("OK", "ALARM"),
      (t, x, y) => {
        const s = { x, y, z: "OK" };
        return evalRule(parseRule(print(t)), (ref) => s[ref as "x"] as "OK") === truth(t, s);
      },
    ),
  );
});

let vigil: Vigil;
let c: CloudWatchClient;
before(async () => {
  vigil = await startAlarmsVigil();
  c = cw(vigil);
});
after(() => vigil.close());

const metricAlarm = (name: string) =>
  c.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      MetricName: "m",
      Namespace: "Vigil/Composite",
      Statistic: "Sum",
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: "GreaterThanThreshold",
      // No data ever comes: "ignore" keeps the states SetAlarmState gives them through the evaluation ticks.
      TreatMissingData: "ignore",
    }),
  );
const setState = (name: string, s: "OK" | "ALARM" | "INSUFFICIENT_DATA") =>
  c.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: s, StateReason: `set ${s}` }));
const composite = async (name: string) =>
  (await c.send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ["CompositeAlarm"] }))).CompositeAlarms![0];

test("a composite alarm follows its children as AWS's recorded test shows", async () => {
  const a1 = unique("child1");
  const a2 = unique("child2");
  const parent = unique("composite");
  const alarmTopic = topicArn(unique("alarm-topic"));
  const okTopic = topicArn(unique("ok-topic"));
  await metricAlarm(a1);
  await metricAlarm(a2);
  for (const a of [a1, a2]) await setState(a, "OK");
  const rule = `ALARM("${alarmArn(a1)}") OR ALARM("${alarmArn(a2)}")`;
  await c.send(
    new PutCompositeAlarmCommand({
      AlarmName: parent,
      AlarmRule: rule,
      AlarmDescription: "composite alarm description",
      AlarmActions: [alarmTopic],
      OKActions: [okTopic],
    }),
  );
  assert.equal((await composite(parent)).StateValue, "OK");
  await vigil.server.advance(5);
  await setState(a1, "ALARM");
  const p = await composite(parent);
  assert.equal(p.StateValue, "ALARM");
  assert.equal(p.AlarmRule, rule);
  assert.match(
    p.StateReason!,
    new RegExp(`^${alarmArn(a1)} transitioned to ALARM at Monday 23 November, 2026 10:00:05 UTC$`),
  );
  assert.deepEqual(JSON.parse(p.StateReasonData!), {
    triggeringAlarms: [{ arn: alarmArn(a1), state: { value: "ALARM", timestamp: "2026-11-23T10:00:05.000+0000" } }],
  });
  await setState(a1, "OK");
  assert.equal((await composite(parent)).StateValue, "OK");
  const sent = (await vigil.server.stores.delivery.list({ kind: "sns.publish" })).map(
    (d) => JSON.parse(d.target).topicArn,
  );
  assert.deepEqual(
    sent.filter((t: string) => t === alarmTopic || t === okTopic),
    [okTopic, alarmTopic, okTopic],
  );
  const msg = JSON.parse(
    JSON.parse((await vigil.server.stores.delivery.list({ kind: "sns.publish" })).at(-1)!.payload.toString()).message,
  );
  assert.equal(msg.AlarmRule, rule);
  assert.equal(msg.NewStateValue, "OK");

  const children = await c.send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: parent }));
  assert.deepEqual(children.MetricAlarms!.map((a) => a.AlarmName).sort(), [a1, a2].sort());
  const parents = await c.send(new DescribeAlarmsCommand({ ParentsOfAlarmName: a2 }));
  assert.deepEqual(
    parents.CompositeAlarms!.map((a) => a.AlarmName),
    [parent],
  );
  await rejects(
    c.send(new DeleteAlarmsCommand({ AlarmNames: [a1] })),
    sdkName("ValidationError"),
    `Could not delete alarm ${a1} as it is referenced by composite alarm ${parent}.`,
  );
});

test("PutCompositeAlarm refuses unknown alarms, cycles and bad rules", async () => {
  const a = unique("c-a");
  const b = unique("c-b");
  const missing = unique("ghost");
  await metricAlarm(a);
  await rejects(
    c.send(new PutCompositeAlarmCommand({ AlarmName: b, AlarmRule: `ALARM(${a}) OR ALARM("${missing}")` })),
    sdkName("ValidationError"),
    `Could not save the composite alarm as alarms [${missing}] in the alarm rule do not exist`,
  );
  await c.send(new PutCompositeAlarmCommand({ AlarmName: b, AlarmRule: `ALARM(${a})` }));
  const top = unique("c-top");
  await c.send(new PutCompositeAlarmCommand({ AlarmName: top, AlarmRule: `ALARM(${b})` }));
  await rejects(
    c.send(new PutCompositeAlarmCommand({ AlarmName: b, AlarmRule: `ALARM(${top})` })),
    sdkName("ValidationError"),
    "Could not save the composite alarm as the alarm rule contains a cycle.",
  );
  await rejects(
    c.send(new PutCompositeAlarmCommand({ AlarmName: unique("self"), AlarmRule: "ALARM(a) AND" })),
    sdkName("ValidationError"),
    "Error in alarm rule: unexpected end of rule at position 12",
  );
  // Composites of composites settle together.
  await setState(a, "ALARM");
  assert.deepEqual([(await composite(b)).StateValue, (await composite(top)).StateValue], ["ALARM", "ALARM"]);
});

test("ActionsSuppressor: actions do not run while the suppressor is in ALARM", async () => {
  const child = unique("s-child");
  const suppressor = unique("s-maint");
  const parent = unique("s-parent");
  const topic = topicArn(unique("s-topic"));
  await metricAlarm(child);
  await metricAlarm(suppressor);
  await setState(child, "OK");
  await setState(suppressor, "ALARM");
  await c.send(
    new PutCompositeAlarmCommand({
      AlarmName: parent,
      AlarmRule: `ALARM(${child})`,
      AlarmActions: [topic],
      ActionsSuppressor: suppressor,
      ActionsSuppressorWaitPeriod: 60,
      ActionsSuppressorExtensionPeriod: 120,
    }),
  );
  const count = async () =>
    (await vigil.server.stores.delivery.list({ kind: "sns.publish" })).filter(
      (d) => JSON.parse(d.target).topicArn === topic,
    ).length;
  await setState(child, "ALARM");
  let p = await composite(parent);
  assert.deepEqual(
    [p.StateValue, p.ActionsSuppressedBy, p.ActionsSuppressor, p.ActionsSuppressorExtensionPeriod],
    ["ALARM", "Alarm", suppressor, 120],
  );
  assert.equal(await count(), 0);
  // Within the extension period after the suppressor leaves ALARM, still suppressed.
  await setState(suppressor, "OK");
  await setState(child, "OK");
  await setState(child, "ALARM");
  p = await composite(parent);
  assert.equal(p.ActionsSuppressedBy, "ExtensionPeriod");
  assert.equal(await count(), 0);
  await vigil.server.advance(121);
  await setState(child, "OK");
  await setState(child, "ALARM");
  // Past the extension, the suppressor is OK: the actions wait ActionsSuppressorWaitPeriod (60 s), then run.
  assert.equal((await composite(parent)).ActionsSuppressedBy, "WaitPeriod");
  await vigil.server.advance(70);
  assert.equal((await composite(parent)).ActionsSuppressedBy, "None");
  assert.equal(await count(), 1);
});

test("ActionsSuppressorWaitPeriod: actions wait for the suppressor, then run, or are suppressed by it", async () => {
  const child = unique("w-child");
  const suppressor = unique("w-maint");
  const parent = unique("w-parent");
  const topic = topicArn(unique("w-topic"));
  await metricAlarm(child);
  await metricAlarm(suppressor);
  await setState(child, "OK");
  await setState(suppressor, "OK");
  await vigil.server.advance(300); // past any extension period
  await c.send(
    new PutCompositeAlarmCommand({
      AlarmName: parent,
      AlarmRule: `ALARM(${child})`,
      AlarmActions: [topic],
      ActionsSuppressor: suppressor,
      ActionsSuppressorWaitPeriod: 30,
      ActionsSuppressorExtensionPeriod: 10,
    }),
  );
  const count = async () =>
    (await vigil.server.stores.delivery.list({ kind: "sns.publish" })).filter(
      (d) => JSON.parse(d.target).topicArn === topic,
    ).length;
  // The suppressor stays OK: the actions run once the wait is over.
  await setState(child, "ALARM");
  assert.equal((await composite(parent)).ActionsSuppressedBy, "WaitPeriod");
  assert.equal(await count(), 0);
  await vigil.server.advance(20);
  assert.equal(await count(), 0);
  await vigil.server.advance(20);
  assert.equal(await count(), 1);
  assert.equal((await composite(parent)).ActionsSuppressedBy, "None");
  // The suppressor goes into ALARM during the wait: no actions.
  await setState(child, "OK");
  await setState(child, "ALARM");
  await vigil.server.advance(10);
  await setState(suppressor, "ALARM");
  assert.equal((await composite(parent)).ActionsSuppressedBy, "Alarm");
  await vigil.server.advance(60);
  assert.equal(await count(), 1);
});
