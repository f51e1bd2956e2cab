/**
 * SetQueueAttributes: changes the attributes given; "" removes Policy, RedrivePolicy, RedriveAllowPolicy and
 * KmsMasterKeyId. The queue type cannot change.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 */
import type { Handler } from "../../types.js";
import { applyAttributes, settingsOf, validateAttributes } from "../attributes.js";
import { queueDoesNotExist } from "../errors.js";
import { arnOf, resolveQueue } from "../queues.js";
import { checkRedrive } from "../redrive.js";

export const SetQueueAttributes: Handler = async (
  input: { QueueUrl: string; Attributes: Record<string, string> },
  ctx,
) => {
  const q = await resolveQueue(ctx, input.QueueUrl);
  const requested = validateAttributes(input.Attributes, { fifo: q.fifo, creating: false });
  if (requested.redrive) await checkRedrive(ctx, requested.redrive, input.Attributes.RedrivePolicy!, q.fifo, arnOf(q));
  const updated = await ctx.stores.sqs.modifyQueue(q, q.name, ctx.clock.now(), (current) => {
    const attributes = applyAttributes(current.attributes, requested.values);
    return {
      attributes,
      retentionMs: settingsOf({ fifo: current.fifo, attributes }).retentionSeconds * 1000,
      redriveTarget: requested.redrive === undefined ? undefined : (requested.redrive?.deadLetterTargetArn ?? null),
    };
  });
  if (!updated) throw queueDoesNotExist(ctx);
  return {};
};
