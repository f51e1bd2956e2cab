/** Finding the queue a request names, and the forms it is answered in (URL, ARN). */
import type { QueueRecord, SqsScope } from "../../storage/sqs-store.js";
import type { RequestContext } from "../types.js";
import { queueDoesNotExist } from "./errors.js";
import { parseQueueArn, queueArn, queueFromUrl, queueUrl } from "./urls.js";

export const scopeOf = (ctx: Pick<RequestContext, "account" | "region">): SqsScope => ({
  account: ctx.account,
  region: ctx.region,
});

/** The queue a QueueUrl (or bare name) names; QueueDoesNotExist when there is none. */
export async function resolveQueue(ctx: RequestContext, url: string): Promise<QueueRecord> {
  const ref = queueFromUrl(url, ctx);
  const q = ref && (await ctx.stores.sqs.queue(ref, ref.name));
  if (!q) throw queueDoesNotExist(ctx);
  return q;
}

/** The queue an ARN names, if it exists. */
export async function queueByArn(ctx: Pick<RequestContext, "stores">, arn: string): Promise<QueueRecord | undefined> {
  const ref = parseQueueArn(arn);
  return ref && ctx.stores.sqs.queue(ref, ref.name);
}

export const urlOf = (ctx: Pick<RequestContext, "endpoint">, q: Pick<QueueRecord, "account" | "name">): string =>
  queueUrl(ctx.endpoint, q.account, q.name);

export const arnOf = (q: Pick<QueueRecord, "region" | "account" | "name">): string =>
  queueArn(q.region, q.account, q.name);
