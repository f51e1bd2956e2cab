/**
 * The alarms engine of one server: commits state changes (row, history, actions, the EventBridge event), settles
 * composite alarms after their children change, and evaluates every metric alarm on the scheduler's tick.
 * Handlers reach it with `alarmsEngine(stores)`; the runtime creates it with the delivery engine.
 */
import type { Logger } from "pino";
import type { DeliveryEngine, NewDelivery } from "../../../delivery/engine.js";
import { eventBridgeRetryPolicy } from "../../../delivery/retry.js";
import type { Clock } from "../../../runtime/clock.js";
import type { AlarmWrite, NewHistoryItem } from "../../../storage/alarms-store.js";
import type { Stores } from "../../../storage/types.js";
import { internal, SNS_PUBLISH_KIND, type SnsMessage, type SnsPublishTarget } from "../../internal.js";
import { evalRule, parseRule, referencedName, ruleAlarms } from "./composite.js";
import { awsDate, stringifyAws } from "./format.js";
import { actionItem, stateUpdateItem } from "./history.js";
import type { AlarmRow, AlarmStateValue, CompositeAlarmConfig, MetricAlarmConfig } from "./model.js";
import { actionsFor, compositeConfig, rowArn } from "./model.js";
import { configOf, eventDetail, snsMessage, snsSubject, type Transition } from "./notify.js";

export interface StateChange {
  row: AlarmRow;
  state: AlarmStateValue;
  reason: string;
  reasonData: string | null;
  evalState?: string | null;
  /** row.config parsed, when the caller has it (the evaluator keeps every alarm's): saves parsing it again. */
  config?: MetricAlarmConfig | CompositeAlarmConfig;
}

export interface AlarmsDeps {
  stores: Stores;
  clock: Clock;
  delivery?: DeliveryEngine;
  log?: Logger;
  /** Says alarms exist (or may): the runtime makes its evaluation job due. */
  wake?: () => void;
}

/** Alarm state change events per internal PutEvents call. */
const EVENTS_PER_PUT = 256;

/** CloudWatch keeps retrying a publish to a topic for a while; the exact policy is not published (assumed). */
const ACTION_POLICY = eventBridgeRetryPolicy({ MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 });

const LONG_DATE = new Intl.DateTimeFormat("en-GB", {
  weekday: "long",
  day: "2-digit",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
  timeZone: "UTC",
});

/** "Monday 23 November, 2026 10:00:00 UTC", the date in a composite alarm's state reason. */
function longDate(ms: number): string {
  const p = Object.fromEntries(LONG_DATE.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.day} ${p.month}, ${p.year} ${p.hour}:${p.minute}:${p.second} UTC`;
}

export class AlarmsEngine {
  /** Whether composite alarms may be waiting for their suppressor (true at start: waits survive restarts). */
  private mayWait = true;

  constructor(readonly deps: AlarmsDeps) {}

  /**
   * Applies state changes (and any other writes) in one transaction, then runs the actions and events of the ones
   * that transitioned, then settles the composite alarms of the regions involved.
   */
  async commit(
    changes: StateChange[],
    extra: AlarmWrite[] = [],
    at = this.deps.clock.now(),
    settle = true,
  ): Promise<void> {
    const writes: AlarmWrite[] = [...extra];
    const transitions: Transition[] = [];
    const deliveries: NewDelivery[] = [];
    for (const ch of changes) {
      const old = ch.row;
      const transitioned = ch.state !== old.stateValue;
      // Member by member rather than a spread of `old`: cheaper when a tick changes 10,000 alarms.
      const row: AlarmRow = {
        account: old.account,
        region: old.region,
        name: old.name,
        type: old.type,
        config: old.config,
        actionsEnabled: old.actionsEnabled,
        stateValue: ch.state,
        stateReason: ch.reason,
        stateReasonData: ch.reasonData,
        stateUpdatedAt: at,
        stateTransitionedAt: transitioned ? at : old.stateTransitionedAt,
        configUpdatedAt: old.configUpdatedAt,
        evalState: ch.evalState !== undefined ? ch.evalState : old.evalState,
        tags: old.tags,
      };
      // The previous state is remembered for ActionsSuppressorExtensionPeriod.
      if (transitioned) row.evalState = JSON.stringify({ ...parseEval(row.evalState), prev: old.stateValue });
      writes.push({ op: "state", row });
      if (!transitioned) continue;
      writes.push({
        op: "history",
        item: stateUpdateItem(row, { value: old.stateValue, reason: old.stateReason, data: old.stateReasonData }, at),
      });
      const t: Transition = {
        row,
        oldState: old.stateValue,
        oldReason: old.stateReason,
        oldReasonData: old.stateReasonData,
        oldTimestamp: old.stateUpdatedAt,
        newState: ch.state,
        reason: ch.reason,
        reasonData: ch.reasonData,
        at,
        config: ch.config,
      };
      transitions.push(t);
      if (row.actionsEnabled && waitsForSuppressor(row)) {
        // AWS: a composite alarm going into ALARM waits up to ActionsSuppressorWaitPeriod seconds for its suppressor
        // to go into ALARM before it runs its actions; runPendingActions() runs (or drops) them when the wait ends.
        const wait = (compositeConfig(row).ActionsSuppressorWaitPeriod ?? 60) * 1000;
        const { row: _r, config: _c, ...pending } = t;
        row.evalState = JSON.stringify({
          ...parseEval(row.evalState),
          suppressedBy: "WaitPeriod",
          suppressedReason: "Actions suppressed by WaitPeriod", // assumed wording
          pending: { ...pending, until: at + wait },
        });
        this.mayWait = true;
        this.deps.wake?.();
      } else if (row.actionsEnabled && !suppressed(row)) {
        for (const item of this.actions(t, deliveries)) writes.push({ op: "history", item });
      }
    }
    await this.write(writes, deliveries);
    const byRegion = new Map<string, Transition[]>();
    for (const t of transitions) {
      const key = `${t.row.account}\u0000${t.row.region}`;
      const list = byRegion.get(key);
      if (list) list.push(t);
      else byRegion.set(key, [t]);
    }
    const putEvents = internal(this.deps.stores).putEvents;
    if (putEvents)
      for (const list of byRegion.values())
        // The events of a region go to its default bus EVENTS_PER_PUT at a time, in order: one routing per batch
        // rather than per event (a tick can change 10,000 alarms).
        for (let i = 0; i < list.length; i += EVENTS_PER_PUT) {
          const batch = list.slice(i, i + EVENTS_PER_PUT);
          await putEvents(
            batch[0].row.account,
            batch[0].row.region,
            batch.map((t) => ({
              source: "aws.cloudwatch",
              detailType: "CloudWatch Alarm State Change",
              detail: () => eventDetail(t),
              resources: [rowArn(t.row)],
              time: at,
            })),
          ).catch((err) => this.deps.log?.error({ err }, "alarm state change event"));
        }
    if (!settle) return;
    for (const list of byRegion.values()) await this.settleComposites(list[0].row.account, list[0].row.region, at);
  }

  /**
   * Writes state changes and history with the SNS publishes of their actions in one transaction: a transition is never
   * stored without its notifications, nor notified without being stored.
   */
  private async write(writes: AlarmWrite[], deliveries: NewDelivery[]): Promise<void> {
    const delivery = this.deps.delivery;
    if (!delivery || deliveries.length === 0) return this.deps.stores.alarms.write(writes);
    await this.deps.stores.alarms.write(writes, {
      sqlite: (tx) => void delivery.enqueueWith(tx, deliveries),
      postgres: async (tx) => void (await delivery.enqueueWith(tx, deliveries)),
    });
    if (this.deps.stores.dialect === "postgres") delivery.wake();
  }

  /** The action history items of a transition; SNS publishes go into `deliveries`. */
  private actions(t: Transition, deliveries: NewDelivery[]): NewHistoryItem[] {
    const r = t.row;
    const c = configOf(t);
    const items: NewHistoryItem[] = [];
    // One message for all of the transition's topics, quoted once for the payloads and the history items.
    let message: SnsMessage | undefined;
    let quoted = "";
    for (const action of actionsFor(c, t.newState)) {
      const service = action.split(":")[2];
      if (service === "sns") {
        if (!message) {
          message = { message: snsMessage(t), subject: snsSubject(t) };
          quoted = JSON.stringify(message.message);
        }
        const target: SnsPublishTarget = {
          topicArn: action,
          publisher: {
            account: r.account,
            service: "cloudwatch.amazonaws.com",
            sourceArn: rowArn(r),
            sourceAccount: r.account,
          },
        };
        deliveries.push({
          account: r.account,
          region: r.region,
          kind: SNS_PUBLISH_KIND,
          target,
          // JSON.stringify(message), the message quoted once.
          payload: `{"message":${quoted},"subject":${JSON.stringify(message.subject)}}`,
          policy: ACTION_POLICY,
        });
        items.push(
          actionItem(r, t.at, t.at, action, { ok: true, publishedMessage: message.message, quotedMessage: quoted }),
        );
      } else {
        // Vigil runs no Auto Scaling, EC2, Systems Manager or Lambda: the action is recorded as failed, as AWS records
        // an action it could not execute.
        items.push(
          actionItem(r, t.at, t.at, action, {
            ok: false,
            error: `Vigil does not support ${service} alarm actions; action ${action} was not executed.`,
          }),
        );
      }
    }
    return items;
  }

  /**
   * Runs the actions of composite alarms whose ActionsSuppressorWaitPeriod ended with the suppressor not in ALARM
   * (and the alarm still in the state that started the wait). Returns whether waits remain.
   */
  async runPendingActions(now: number): Promise<boolean> {
    if (!this.mayWait) return false;
    const rows = (await this.deps.stores.alarms.listAll()).filter(
      (r) => r.type === "CompositeAlarm" && r.evalState?.includes('"pending"'),
    );
    let remaining = false;
    const writes: AlarmWrite[] = [];
    const deliveries: NewDelivery[] = [];
    for (const row of rows) {
      const ev = parseEval(row.evalState);
      if (!ev.pending) continue;
      if (ev.pending.until > now) {
        remaining = true;
        continue;
      }
      const { until: _u, ...t } = ev.pending;
      const done: AlarmRow = { ...row, evalState: JSON.stringify({ prev: ev.prev, suppressedBy: "None" }) };
      writes.push({ op: "state", row: done });
      if (row.stateValue === t.newState && row.actionsEnabled)
        for (const item of this.actions({ ...t, row: done }, deliveries)) writes.push({ op: "history", item });
    }
    await this.write(writes, deliveries);
    this.mayWait = remaining;
    return remaining;
  }

  /**
   * Re-evaluates every composite alarm of account/region against its children's current states until nothing
   * changes (composites of composites), at most 10 rounds.
   */
  async settleComposites(account: string, region: string, at = this.deps.clock.now()): Promise<void> {
    if (!(await this.deps.stores.alarms.hasComposites(account, region))) return;
    for (let round = 0; round < 10; round++) {
      const rows = await this.deps.stores.alarms.list(account, region);
      const composites = rows.filter((r) => r.type === "CompositeAlarm");
      if (composites.length === 0) return;
      const byName = new Map(rows.map((r) => [r.name, r]));
      const changes: StateChange[] = [];
      for (const row of composites) {
        const ch = this.compositeChange(row, byName, at);
        if (ch) changes.push(ch);
      }
      if (changes.length === 0) return;
      // One level of composites per round; the next round sees their new states.
      await this.commit(changes, [], at, false);
    }
  }

  private compositeChange(row: AlarmRow, byName: Map<string, AlarmRow>, at: number): StateChange | undefined {
    const c: CompositeAlarmConfig = compositeConfig(row);
    const rule = parseRule(c.AlarmRule);
    const refs = ruleAlarms(rule).map(referencedName);
    const value = evalRule(rule, (ref) => byName.get(referencedName(ref))?.stateValue);
    const state: AlarmStateValue = value ? "ALARM" : "OK";
    const ev = this.suppressionState(c, byName, at);
    const before = parseEval(row.evalState);
    // A wait for the suppressor goes on while the suppressor is not in ALARM; its ALARM suppresses the actions.
    const keep = before.pending && ev.suppressedBy === "None" && state === row.stateValue;
    const evalState = JSON.stringify(keep ? { ...before, prev: before.prev } : { ...ev, prev: before.prev });
    if (state === row.stateValue) {
      return evalState !== (row.evalState ?? "{}") && c.ActionsSuppressor
        ? { row, state, reason: row.stateReason, reasonData: row.stateReasonData, evalState }
        : undefined;
    }
    // The triggering alarm: the child that changed most recently.
    const children = refs.map((n) => byName.get(n)).filter((r): r is AlarmRow => !!r);
    const trigger = children.sort((a, b) => b.stateTransitionedAt - a.stateTransitionedAt)[0];
    const reason = trigger
      ? `${rowArn(trigger)} transitioned to ${trigger.stateValue} at ${longDate(trigger.stateTransitionedAt)}`
      : `The alarm rule evaluated to ${value ? "TRUE" : "FALSE"} at ${longDate(at)}`; // assumed wording
    const reasonData = trigger
      ? stringifyAws({
          triggeringAlarms: [
            {
              arn: rowArn(trigger),
              state: { value: trigger.stateValue, timestamp: awsDate(trigger.stateTransitionedAt) },
            },
          ],
        })
      : null;
    return { row: { ...row, evalState }, state, reason, reasonData, evalState };
  }

  /** ActionsSuppressedBy: Alarm while the suppressor is in ALARM, ExtensionPeriod while within its extension. */
  private suppressionState(c: CompositeAlarmConfig, byName: Map<string, AlarmRow>, at: number) {
    if (!c.ActionsSuppressor) return {};
    const s = byName.get(referencedName(c.ActionsSuppressor));
    if (!s) return { suppressedBy: "None" };
    if (s.stateValue === "ALARM")
      return { suppressedBy: "Alarm", suppressedReason: `Alarm ${s.name} is in ALARM state` }; // assumed wording
    // AWS: actions stay suppressed for ExtensionPeriod seconds after the suppressor leaves ALARM.
    const ext = (c.ActionsSuppressorExtensionPeriod ?? 60) * 1000;
    if (parseEval(s.evalState).prev === "ALARM" && s.stateTransitionedAt + ext > at)
      return { suppressedBy: "ExtensionPeriod", suppressedReason: `Extension period of alarm ${s.name} is running` };
    return { suppressedBy: "None" };
  }
}

interface EvalState {
  prev?: AlarmStateValue;
  /** A transition whose actions wait for ActionsSuppressorWaitPeriod to end. */
  pending?: Omit<Transition, "row"> & { until: number };
  suppressedBy?: string;
  suppressedReason?: string;
}

const parseEval = (s: string | null): EvalState => (s ? (JSON.parse(s) as EvalState) : {});

/** A composite alarm going into ALARM with an ActionsSuppressor not (yet) in ALARM waits for it. */
const waitsForSuppressor = (row: AlarmRow): boolean => {
  if (row.type !== "CompositeAlarm" || row.stateValue !== "ALARM") return false;
  const c = compositeConfig(row);
  return !!c.ActionsSuppressor && (c.ActionsSuppressorWaitPeriod ?? 60) > 0 && !suppressed(row);
};

/** A composite alarm's actions do not run while its ActionsSuppressor suppresses them. */
const suppressed = (row: AlarmRow): boolean => {
  if (row.type !== "CompositeAlarm") return false;
  const by = parseEval(row.evalState).suppressedBy;
  return by !== undefined && by !== "None";
};

const engines = new WeakMap<Stores, AlarmsEngine>();

export function setAlarmsEngine(stores: Stores, engine: AlarmsEngine): void {
  engines.set(stores, engine);
}

/** The server's alarms engine; one without delivery when the runtime has not started (store-level tests). */
export function alarmsEngine(stores: Stores, clock?: Clock): AlarmsEngine {
  let e = engines.get(stores);
  if (!e) {
    if (!clock) throw new Error("the alarms runtime has not started");
    engines.set(stores, (e = new AlarmsEngine({ stores, clock })));
  }
  return e;
}
