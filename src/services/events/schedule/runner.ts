/**
 * Scheduled rules fire on the scheduler's clock: one job, due at the earliest next fire time of all enabled
 * scheduled rules (never while none is), so idle time costs nothing and a manual clock's advance() fires each
 * occurrence in order. A fire delivers the "Scheduled Event" envelope (source aws.events, detail {}, resources the
 * rule ARN, time the scheduled instant) to the rule's targets. Single node: with several nodes each would fire
 * (leases are future work).
 */
import type { RuleDoc, TargetDoc } from "../resources.js";
import { ruleArn, targetParent } from "../resources.js";
import { deliverToRule, envelope } from "../dispatch.js";
import type { EventsEnv } from "../state.js";
import { nextFire, parseSchedule, type Schedule } from "./index.js";

const JOB = "events-schedules";

interface Armed {
  account: string;
  region: string;
  bus: string;
  rule: string;
  schedule: Schedule;
  anchor: number;
  next: number;
}

export function startSchedules(env: EventsEnv): { close(): void } {
  const { stores, scheduler, clock, log } = env.deps;
  const armed = new Map<string, Armed>();
  const key = (a: string, r: string, b: string, n: string) => `${a}\n${r}\n${b}\n${n}`;
  let closed = false;

  const rearm = () => {
    let due = Infinity;
    for (const a of armed.values()) due = Math.min(due, a.next);
    scheduler.setDue(JOB, due);
  };

  const arm = (account: string, region: string, bus: string, rule: RuleDoc | undefined) => {
    const k = key(account, region, bus, rule?.name ?? "");
    if (!rule || rule.state === "DISABLED" || !rule.scheduleExpression) return void armed.delete(k);
    const schedule = parseSchedule(rule.scheduleExpression);
    if (!schedule) return void armed.delete(k);
    const anchor = rule.scheduleAnchor ?? clock.now();
    const next = nextFire(schedule, anchor, clock.now());
    if (next === undefined) return void armed.delete(k);
    armed.set(k, { account, region, bus, rule: rule.name, schedule, anchor, next });
  };

  scheduler.register({
    name: JOB,
    intervalMs: 60_000,
    run: async (now) => {
      const due = [...armed.values()].filter((a) => a.next <= now);
      for (const a of due) {
        const at = a.next;
        const n = nextFire(a.schedule, a.anchor, at);
        if (n === undefined) armed.delete(key(a.account, a.region, a.bus, a.rule));
        else a.next = n;
        await fire(a, at).catch((err: unknown) => log.error({ err, rule: a.rule }, "events: scheduled rule failed"));
      }
      rearm();
    },
  });
  scheduler.setDue(JOB, Infinity);

  const fire = async (a: Armed, at: number) => {
    const scope = { account: a.account, region: a.region };
    const targets = (await stores.events.list<TargetDoc>(scope, "target", { parent: targetParent(a.bus, a.rule) })).map(
      (r) => r.doc,
    );
    if (targets.length === 0) return;
    const arn = ruleArn(scope, a.bus, a.rule);
    const ev = envelope(scope, {
      source: "aws.events",
      detailType: "Scheduled Event",
      detail: {},
      resources: [arn],
      time: at,
    });
    await deliverToRule({ stores, delivery: env.delivery }, scope, arn, a.rule, targets, [
      { envelope: ev, ingestedAt: clock.now() },
    ]);
  };

  env.scheduleChanged = (account, region, bus, name, rule) => {
    if (closed) return;
    if (!rule) armed.delete(key(account, region, bus, name));
    else arm(account, region, bus, rule);
    rearm();
  };

  stores.events.all<RuleDoc>("rule").then(
    (rows) => {
      if (closed) return;
      for (const r of rows) if (r.doc.scheduleExpression) arm(r.account, r.region, r.parent, r.doc);
      rearm();
    },
    (err: unknown) => log.error({ err }, "events: cannot read the scheduled rules"),
  );

  return {
    close() {
      closed = true;
    },
  };
}
