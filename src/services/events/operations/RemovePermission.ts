/** RemovePermission: one statement of a bus's resource policy by StatementId, or all of them. */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { requireBus, resolveBus } from "../resources.js";
import { readPolicy } from "./PutPermission.js";

export const RemovePermission: Handler = async (input, ctx) => {
  const ref = resolveBus(ctx, input.EventBusName);
  const bus = await requireBus(ctx.stores, ref, ref.name, ctx.clock.now());
  if (input.RemoveAllPermissions) delete bus.policy;
  else {
    const policy = readPolicy(bus.policy);
    const at = policy.Statement.findIndex((s) => s.Sid === input.StatementId);
    if (at < 0) throw awsError("ResourceNotFoundException", "Statement with the provided id does not exist.");
    policy.Statement.splice(at, 1);
    if (policy.Statement.length === 0) delete bus.policy;
    else bus.policy = JSON.stringify(policy);
  }
  bus.modifiedAt = ctx.clock.now();
  await ctx.stores.events.put(ref, "bus", "", bus.name, bus);
  return {};
};
