/**
 * CreateQueue: a standard or FIFO queue with its attributes and tags; the existing queue's URL when every attribute the
 * request names has the queue's current value, QueueAlreadyExists otherwise.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
 */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { applyAttributes, defaultAttributes, firstDifference, settingsOf, validateAttributes } from "../attributes.js";
import { invalidParameterValue } from "../errors.js";
import { scopeOf, urlOf } from "../queues.js";
import { checkRedrive } from "../redrive.js";
import { RECENTLY_DELETED_MS } from "../runtime.js";
import { checkTags } from "../tags.js";
import { queueArn } from "../urls.js";

interface CreateQueueInput {
  QueueName: string;
  Attributes?: Record<string, string>;
  tags?: Record<string, string>;
}

const STANDARD_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

export const CreateQueue: Handler = async (input: CreateQueueInput, ctx) => {
  const name = input.QueueName;
  const fifo = input.Attributes?.FifoQueue?.toLowerCase() === "true";
  if (fifo && !FIFO_NAME.test(name))
    throw invalidParameterValue(
      "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.",
    );
  if (!fifo && !STANDARD_NAME.test(name))
    throw invalidParameterValue("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  const requested = validateAttributes(input.Attributes, { fifo, creating: true });
  if (input.tags) checkTags(input.tags, name);
  const arn = queueArn(ctx.region, ctx.account, name);
  if (requested.redrive) await checkRedrive(ctx, requested.redrive, input.Attributes!.RedrivePolicy!, fifo, arn);
  const attributes = applyAttributes(defaultAttributes(fifo), requested.values);
  const result = await ctx.stores.sqs.createQueue(
    scopeOf(ctx),
    {
      name,
      fifo,
      attributes,
      tags: input.tags ?? {},
      retentionMs: settingsOf({ fifo, attributes }).retentionSeconds * 1000,
      redriveTarget: requested.redrive?.deadLetterTargetArn ?? null,
      now: ctx.clock.now(),
    },
    RECENTLY_DELETED_MS,
  );
  if (result.status === "deletedRecently")
    throw awsError(
      "QueueDeletedRecently",
      "You must wait 60 seconds after deleting a queue before you can create another with the same name.",
    );
  if (result.status === "exists") {
    const differing = firstDifference(result.queue.attributes, requested.values);
    if (differing)
      throw awsError(
        "QueueNameExists",
        `A queue already exists with the same name and a different value for attribute ${differing}`,
      );
  }
  return { QueueUrl: urlOf(ctx, result.queue) };
};
