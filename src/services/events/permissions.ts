/**
 * Whether another account may put events on a bus ("Permissions for event buses"): the bus's resource policy, built
 * by PutPermission or given whole, must allow events:PutEvents for the caller, evaluated by the shared policy engine
 * (src/policy/: principals by account or ARN, "*", conditions such as aws:PrincipalOrgID, explicit Deny wins). The
 * bus's own account needs no policy.
 */
import { allows } from "../../policy/index.js";
import type { EventsScope } from "../../storage/events-store.js";
import { busArn, type BusDoc } from "./resources.js";

export function canPutEvents(
  bus: BusDoc,
  scope: EventsScope,
  callerArn: string,
  callerAccount: string,
  context?: Record<string, string>,
): boolean {
  if (callerAccount === scope.account) return true;
  return allows(bus.policy, {
    principal: { type: "AWS", account: callerAccount, arn: callerArn },
    action: "events:PutEvents",
    resource: busArn(scope, bus.name),
    ...(context ? { context } : {}),
  });
}
