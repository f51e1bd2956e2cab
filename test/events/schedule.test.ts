/**
 * Schedule expressions: a table of expressions and their next fire times (checked against aws-cron-parser, the test
 * oracle, where it supports the expression), chains of occurrences against the oracle, what PutRule refuses, and
 * scheduled rules firing on the manual clock with the "Scheduled Event" envelope.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import oracle from "aws-cron-parser";
import { EventBridgeClient, DisableRuleCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { SQSClient } from "@aws-sdk/client-sqs";
import { nextFire, parseSchedule } from "../../src/services/events/schedule/index.js";
import { unique, type Vigil } from "../helpers/vigil.js";
import { ACCOUNT, drainQueue, newQueue, receiveNow, startEventsVigil } from "./helpers.js";

const FROM = Date.parse("2026-03-01T10:00:00Z"); // a Sunday

/** [cron fields, expected next fire after FROM, whether aws-cron-parser handles it]. */
const TABLE: [string, string, boolean][] = [
  ["0 10 * * ? *", "2026-03-02T10:00:00Z", true],
  ["0/15 * * * ? *", "2026-03-01T10:15:00Z", true],
  ["5,35 14 * * ? *", "2026-03-01T14:05:00Z", true],
  ["0 18 ? * MON-FRI *", "2026-03-02T18:00:00Z", true],
  ["0 8 1 * ? *", "2026-04-01T08:00:00Z", true],
  ["0 12 L * ? *", "2026-03-31T12:00:00Z", true],
  ["0 9 ? * 6L *", "2026-03-27T09:00:00Z", true],
  ["0 9 ? * 2#1 *", "2026-03-02T09:00:00Z", true],
  ["0 9 15W * ? *", "2026-03-16T09:00:00Z", true], // the 15th is a Sunday: Monday the 16th
  ["0 9 1W * ? *", "2026-03-02T09:00:00Z", true], // the 1st is a Sunday: Monday the 2nd
  ["0 9 LW * ? *", "2026-03-31T09:00:00Z", false], // oracle throws on LW
  ["0 0 29 2 ? *", "2028-02-29T00:00:00Z", false], // oracle answers 2027-03-01 (rolls Feb 29 over)
  ["0 0 1 JAN ? 2030", "2030-01-01T00:00:00Z", true],
  ["*/20 9-10 ? * SUN *", "2026-03-01T10:20:00Z", true],
  ["0 0 ? * L *", "2026-03-07T00:00:00Z", false], // L alone in day-of-week: Saturday
  ["15 10 * * ? 2026", "2026-03-01T10:15:00Z", true],
  ["0 0 1 1 ? 1999", "", false], // no occurrence after FROM
];

test("cron table: next fire after 2026-03-01T10:00Z, agreeing with aws-cron-parser", () => {
  for (const [fields, expected, oracleOk] of TABLE) {
    const s = parseSchedule(`cron(${fields})`);
    assert.ok(s, fields);
    const next = nextFire(s, FROM, FROM);
    assert.equal(next === undefined ? "" : new Date(next).toISOString().replace(".000Z", "Z"), expected, fields);
    if (oracleOk) assert.equal(oracle.next(oracle.parse(fields), new Date(FROM))?.getTime(), next, `oracle: ${fields}`);
  }
});

test("chains of 50 occurrences agree with aws-cron-parser", () => {
  for (const fields of [
    "0/7 * * * ? *",
    "0 0/5 ? * 2-6 *",
    "30 1 L * ? *",
    "0 12 ? * 3#2 *",
    "10 4 1,15 * ? *",
    "0 6 ? * 1L *",
  ]) {
    const s = parseSchedule(`cron(${fields})`)!;
    const o = oracle.parse(fields);
    let t = FROM;
    for (let i = 0; i < 50; i++) {
      const mine = nextFire(s, FROM, t)!;
      assert.equal(mine, oracle.next(o, new Date(t))?.getTime(), `${fields} after ${new Date(t).toISOString()}`);
      t = mine;
    }
  }
});

test("rate expressions: singular exactly for 1, period from the anchor", () => {
  const r = parseSchedule("rate(5 minutes)")!;
  assert.equal(nextFire(r, FROM, FROM), FROM + 300_000);
  assert.equal(nextFire(r, FROM, FROM + 300_000), FROM + 600_000);
  assert.equal(nextFire(parseSchedule("rate(1 hour)")!, FROM, FROM + 1), FROM + 3600_000);
  assert.equal(nextFire(parseSchedule("rate(2 days)")!, FROM, FROM), FROM + 2 * 86_400_000);
});

test("expressions EventBridge refuses", () => {
  for (const bad of [
    "rate(1 minutes)",
    "rate(5 minute)",
    "rate(0 minutes)",
    "rate(-1 minutes)",
    "rate(5 seconds)",
    "rate(5minutes)",
    "cron(0 10 * * * *)",
    "cron(0 10 ? * ? *)",
    "cron(0 10 * *)",
    "cron(60 10 * * ? *)",
    "cron(0 24 * * ? *)",
    "cron(0 10 32 * ? *)",
    "cron(0 10 * 13 ? *)",
    "cron(0 10 ? * 8 *)",
    "cron(0 10 * * ? 1969)",
    "cron(0 10 * * ? 2200)",
    "cron(0 10 ? * 2#6 *)",
    "cron(0 10 5-1 * ? *)",
    "cron(0 10 * FOO ? *)",
    "cron(a 10 * * ? *)",
    "at(2026-01-01T00:00:00)",
    "cron(0 10 * * ? * *)",
    "",
  ])
    assert.equal(parseSchedule(bad), undefined, bad);
  for (const good of [
    "rate(1 minute)",
    "rate(10 days)",
    "cron(0 10 * * ? *)",
    "cron(0/5 8-17 ? * MON-FRI *)",
    "cron(0 0 L * ? *)",
    "cron(0 0 ? * 6#3 *)",
  ])
    assert.ok(parseSchedule(good), good);
});

let vigil: Vigil;
before(async () => {
  vigil = await startEventsVigil();
});
after(() => vigil.close());

test("a rate rule fires every period on the manual clock with the Scheduled Event envelope; disabled it stops", async () => {
  const eb = vigil.client(EventBridgeClient);
  const sqs = vigil.client(SQSClient);
  const q = await newQueue(sqs);
  const name = unique("sched");
  const t0 = await fetchClock();
  await eb.send(new PutRuleCommand({ Name: name, ScheduleExpression: "rate(5 minutes)" }));
  await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: "q", Arn: q.arn }] }));
  await vigil.server.advance(299);
  assert.deepEqual(await receiveNow(sqs, q.url), []);
  await vigil.server.advance(1);
  const [m] = await drainQueue(vigil, sqs, q.url);
  const ev = JSON.parse(m!.Body!);
  assert.deepEqual(
    { ...ev, id: undefined },
    {
      version: "0",
      id: undefined,
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: ACCOUNT,
      time: new Date(t0 + 300_000).toISOString().replace(".000Z", "Z"),
      region: "us-east-1",
      resources: [`arn:aws:events:us-east-1:${ACCOUNT}:rule/${name}`],
      detail: {},
    },
  );
  await vigil.server.advance(600);
  // The first message is visible again by now (visibility timeout): count the other events.
  const later = (await drainQueue(vigil, sqs, q.url, 3)).map((x) => JSON.parse(x.Body!)).filter((e) => e.id !== ev.id);
  assert.deepEqual(
    later.map((e) => e.time).sort(),
    [600_000, 900_000].map((d) => new Date(t0 + d).toISOString().replace(".000Z", "Z")),
  );
  await eb.send(new DisableRuleCommand({ Name: name }));
  await vigil.server.advance(3600);
  const after = (await receiveNow(sqs, q.url)).map((x) => JSON.parse(x.Body!).time as string);
  assert.ok(
    after.every((t) => Date.parse(t) <= t0 + 900_000),
    "nothing fired after DisableRule",
  );
});

test("a cron rule fires at its minutes", async () => {
  const eb = vigil.client(EventBridgeClient);
  const sqs = vigil.client(SQSClient);
  const q = await newQueue(sqs);
  const name = unique("cron");
  await eb.send(new PutRuleCommand({ Name: name, ScheduleExpression: "cron(30 * * * ? *)" }));
  await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: "q", Arn: q.arn, Input: '{"fixed": true}' }] }));
  const now = await fetchClock();
  const nextHalf = Math.ceil((now - 30 * 60_000 + 1) / 3600_000) * 3600_000 + 30 * 60_000;
  await vigil.server.advance((nextHalf - now) / 1000 + 2 * 3600);
  const got = await drainQueue(vigil, sqs, q.url, 3);
  assert.equal(got.length, 3);
  assert.deepEqual(JSON.parse(got[0]!.Body!), { fixed: true });
});

async function fetchClock(): Promise<number> {
  return vigil.server.clock.now();
}
