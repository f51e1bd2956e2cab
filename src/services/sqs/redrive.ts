/** A RedrivePolicy's dead-letter target: it must exist in the queue's account and region, be of the queue's type and allow it. */
import type { RequestContext } from "../types.js";
import { redriveAllowed, type RedrivePolicy } from "./attributes.js";
import { invalidParameter } from "./errors.js";
import { parseQueueArn } from "./urls.js";

export async function checkRedrive(
  ctx: RequestContext,
  p: RedrivePolicy,
  raw: string,
  fifo: boolean,
  sourceArn: string,
): Promise<void> {
  const source = parseQueueArn(sourceArn)!;
  const ref = parseQueueArn(p.deadLetterTargetArn)!;
  const dlq =
    ref.account === source.account && ref.region === source.region
      ? await ctx.stores.sqs.queue(ref, ref.name)
      : undefined;
  if (!dlq) throw invalidParameter("RedrivePolicy", raw, "Dead letter target does not exist.");
  if (dlq.fifo !== fifo)
    throw invalidParameter("RedrivePolicy", raw, "Dead-letter queue must be same type of queue as the source..");
  if (!redriveAllowed(dlq, sourceArn))
    throw invalidParameter(
      "RedrivePolicy",
      raw,
      `Queue ${p.deadLetterTargetArn} does not allow this queue to use it as a dead-letter queue.`,
    );
}
