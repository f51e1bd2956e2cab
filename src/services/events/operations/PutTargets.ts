/**
 * PutTargets: adds or replaces (by Id) up to 10 targets of a rule, at most 5 per rule. Input members are checked
 * first (the whole call fails with ValidationException, as recorded); per-target problems AWS reports in
 * FailedEntries. Any ARN is accepted (AWS checks targets only when it delivers).
 */
import { awsError } from "../../../errors/index.js";
import type { EventsWrite } from "../../../storage/events-store.js";
import type { Handler } from "../../types.js";
import { invalidateBus } from "../bus-cache.js";
import { checkTargetInput } from "../input.js";
import { requireRule, targetParent, type TargetDoc } from "../resources.js";

/** "Targets per rule: 5" (EventBridge quotas). */
export const MAX_TARGETS_PER_RULE = 5;

export const PutTargets: Handler = async (input, ctx) => {
  const { bus, rule } = await requireRule(ctx.stores, ctx, input.Rule, input.EventBusName, ctx.clock.now());
  const targets: TargetDoc[] = input.Targets;
  for (const t of targets) {
    checkTargetInput(t);
    // An SQS FIFO queue needs the message group of the messages EventBridge sends.
    if (/^arn:aws[\w-]*:sqs:/.test(t.Arn) && t.Arn.endsWith(".fifo") && !t.SqsParameters?.MessageGroupId)
      throw awsError("ValidationException", `Parameter(s) SqsParameters must be specified for target: ${t.Id}.`);
  }
  const parent = targetParent(bus.name, rule.name);
  const existing = await ctx.stores.events.list<TargetDoc>(bus, "target", { parent });
  const ids = new Set(existing.map((r) => r.name));
  for (const t of targets) ids.add(t.Id);
  if (ids.size > MAX_TARGETS_PER_RULE)
    throw awsError("LimitExceededException", "The requested resource exceeds the maximum number allowed.");
  const writes: EventsWrite[] = targets.map((t) => ({ op: "put", kind: "target", parent, name: t.Id, doc: t }));
  await ctx.stores.events.apply(bus, writes);
  invalidateBus(ctx.stores, bus, bus.name);
  return { FailedEntryCount: 0, FailedEntries: [] };
};
