/**
 * RemovePermission: removes the statement with the label; the Policy attribute goes away with its last statement.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_RemovePermission.html
 */
import type { Handler } from "../../types.js";
import { applyAttributes } from "../attributes.js";
import { queueDoesNotExist } from "../errors.js";
import { removePermission } from "../policy.js";
import { arnOf, resolveQueue } from "../queues.js";

export const RemovePermission: Handler = async (input: { QueueUrl: string; Label: string }, ctx) => {
  const q = await resolveQueue(ctx, input.QueueUrl);
  const updated = await ctx.stores.sqs.modifyQueue(q, q.name, ctx.clock.now(), (current) => ({
    attributes: applyAttributes(current.attributes, {
      Policy: removePermission(current.attributes.Policy, arnOf(current), input.Label),
    }),
  }));
  if (!updated) throw queueDoesNotExist(ctx);
  return {};
};
