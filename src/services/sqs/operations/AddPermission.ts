/**
 * AddPermission: a statement granting accounts actions on the queue, in its Policy attribute (see policy.ts).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_AddPermission.html
 */
import type { Handler } from "../../types.js";
import { applyAttributes } from "../attributes.js";
import { missingParameter, queueDoesNotExist } from "../errors.js";
import { addPermission } from "../policy.js";
import { arnOf, resolveQueue } from "../queues.js";

interface AddPermissionInput {
  QueueUrl: string;
  Label: string;
  AWSAccountIds: string[];
  Actions: string[];
}

export const AddPermission: Handler = async (input: AddPermissionInput, ctx) => {
  if (input.AWSAccountIds.length === 0) throw missingParameter("AWSAccountId");
  if (input.Actions.length === 0) throw missingParameter("ActionName");
  const q = await resolveQueue(ctx, input.QueueUrl);
  const updated = await ctx.stores.sqs.modifyQueue(q, q.name, ctx.clock.now(), (current) => ({
    attributes: applyAttributes(current.attributes, {
      Policy: addPermission(
        current.attributes.Policy,
        arnOf(current),
        current.region,
        input.Label,
        input.AWSAccountIds,
        input.Actions,
      ),
    }),
  }));
  if (!updated) throw queueDoesNotExist(ctx);
  return {};
};
