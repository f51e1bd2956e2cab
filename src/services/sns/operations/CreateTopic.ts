/** CreateTopic: standard or FIFO (FifoTopic=true, name ending ".fifo"); idempotent for the same attributes and tags. */
import type { RequestContext } from "../../types.js";
import { invalidParameter } from "../errors.js";
import { checkTags, tagMap } from "../tags.js";
import { checkTopicAttribute, checkTopicName, topicArn } from "../topics.js";

interface Input {
  Name: string;
  Attributes?: Record<string, string>;
  Tags?: { Key: string; Value: string }[];
  DataProtectionPolicy?: string;
}

export async function CreateTopic(input: Input, ctx: RequestContext) {
  const attrs = { ...(input.Attributes ?? {}) };
  const fifoAttr = attrs.FifoTopic;
  delete attrs.FifoTopic;
  if (fifoAttr !== undefined && fifoAttr !== "true" && fifoAttr !== "false") throw invalidParameter("FifoTopic");
  const fifo = fifoAttr === "true";
  checkTopicName(input.Name, fifo);
  for (const [k, v] of Object.entries(attrs)) checkTopicAttribute(k, v, fifo);
  if (input.Tags) checkTags(input.Tags);
  const arn = topicArn(ctx.region, ctx.account, input.Name);
  const tags = tagMap(input.Tags);
  const { created, topic } = await ctx.stores.sns.createTopic({
    account: ctx.account,
    region: ctx.region,
    name: input.Name,
    arn,
    fifo,
    attributes: attrs,
    tags,
    createdAt: ctx.clock.now(),
  });
  if (!created) {
    // "If a topic with the same name already exists and the request's attributes or tags differ, an error is returned."
    for (const [k, v] of Object.entries(attrs))
      if ((topic.attributes[k] ?? "") !== v)
        throw invalidParameter("Attributes Reason: Topic already exists with different attributes");
    if (input.Tags && input.Tags.length > 0) {
      for (const [k, v] of Object.entries(tags))
        if (topic.tags[k] !== v) throw invalidParameter("Tags Reason: Topic already exists with different tags");
    }
  }
  return { TopicArn: arn };
}
