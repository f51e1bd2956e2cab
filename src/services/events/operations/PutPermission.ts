/**
 * PutPermission: lets another account (or every account, Principal "*", optionally limited to an organization by a
 * Condition) put events on a bus, as a statement of the bus's resource policy; or replaces the whole policy (Policy).
 * A statement with an existing Sid replaces it.
 */
import { awsError } from "../../../errors/index.js";
import { parsePolicy, PolicyError } from "../../../policy/index.js";
import type { Handler } from "../../types.js";
import { busArn, requireBus, resolveBus } from "../resources.js";

/** "Resource-based policy size: 10,240 characters" (EventBridge quotas). */
const MAX_POLICY_BYTES = 10_240;

interface PolicyDoc {
  Version: string;
  Statement: Record<string, unknown>[];
}

export function readPolicy(text: string | undefined): PolicyDoc {
  if (!text) return { Version: "2012-10-17", Statement: [] };
  const p = JSON.parse(text) as PolicyDoc;
  return { Version: p.Version ?? "2012-10-17", Statement: Array.isArray(p.Statement) ? p.Statement : [p.Statement] };
}

export const PutPermission: Handler = async (input, ctx) => {
  const ref = resolveBus(ctx, input.EventBusName);
  const bus = await requireBus(ctx.stores, ref, ref.name, ctx.clock.now());
  if (input.Policy !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(input.Policy);
    } catch {
      throw awsError("ValidationException", "Parameter Policy is not valid.");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
      throw awsError("ValidationException", "Parameter Policy is not valid.");
    try {
      parsePolicy(input.Policy, { maxBytes: MAX_POLICY_BYTES });
    } catch (e) {
      if (e instanceof PolicyError)
        throw awsError("ValidationException", `Parameter Policy is not valid. Reason: ${e.reason}`);
      throw e;
    }
    bus.policy = JSON.stringify(parsed);
  } else {
    if (!input.Action || !input.Principal || !input.StatementId)
      throw awsError("ValidationException", "Parameter(s) Action, Principal, StatementId must be specified.");
    const policy = readPolicy(bus.policy);
    const statement: Record<string, unknown> = {
      Sid: input.StatementId,
      Effect: "Allow",
      Principal: input.Principal === "*" ? "*" : { AWS: `arn:aws:iam::${input.Principal}:root` },
      Action: input.Action,
      Resource: busArn(ref, bus.name),
    };
    if (input.Condition)
      statement.Condition = {
        [input.Condition.Type === "StringEquals" ? "StringEquals" : input.Condition.Type]: {
          [input.Condition.Key]: input.Condition.Value,
        },
      };
    const at = policy.Statement.findIndex((s) => s.Sid === input.StatementId);
    if (at >= 0) policy.Statement[at] = statement;
    else policy.Statement.push(statement);
    bus.policy = JSON.stringify(policy);
  }
  bus.modifiedAt = ctx.clock.now();
  await ctx.stores.events.put(ref, "bus", "", bus.name, bus);
  return {};
};
