/** The topic a tagging call names; ResourceNotFound when there is none (tagging API reference). */
import type { TopicRecord } from "../../storage/sns-store.js";
import type { RequestContext } from "../types.js";
import { checkArn, resourceNotFound } from "./errors.js";

export async function resourceTopic(ctx: RequestContext, arn: string): Promise<TopicRecord> {
  const parts = checkArn("ResourceArn", arn);
  const topic = parts[3] === ctx.region && parts[4] === ctx.account ? await ctx.stores.sns.getTopic(arn) : undefined;
  if (!topic) throw resourceNotFound();
  return topic;
}
