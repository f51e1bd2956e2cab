/**
 * AddTags, RemoveTags and ListTags on trails (by ARN). A trail holds at most 50 tags; keys are unique, and adding an
 * existing key replaces its value.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AddTags.html
 */
import { awsError } from "../../../errors/index.js";
import type { Handler, RequestContext } from "../../types.js";
import { findTrail, type Tag } from "../trail.js";

const MAX_TAGS = 50;

async function trailOf(id: string, ctx: RequestContext) {
  if (!id.startsWith("arn:")) throw awsError("CloudTrailARNInvalidException", `Invalid ARN: ${id}`);
  try {
    return await findTrail(id, ctx);
  } catch (e) {
    if ((e as { code?: string }).code === "TrailNotFoundException") {
      throw awsError("ResourceNotFoundException", `Resource ${id} not found.`);
    }
    throw e;
  }
}

export const AddTags: Handler = async (input: { ResourceId: string; TagsList: Tag[] }, ctx) => {
  const t = await trailOf(input.ResourceId, ctx);
  const tags = new Map(t.cfg.Tags.map((x) => [x.Key, x.Value]));
  for (const x of input.TagsList) tags.set(x.Key, x.Value);
  if (tags.size > MAX_TAGS) {
    throw awsError(
      "TagsLimitExceededException",
      `The number of tags per trail has exceeded the permitted amount. Currently, the limit is ${MAX_TAGS}.`,
    );
  }
  const cfg = { ...t.cfg, Tags: [...tags].map(([Key, Value]) => (Value === undefined ? { Key } : { Key, Value })) };
  await ctx.stores.trails.updateConfig(t.arn, JSON.stringify(cfg), t.multiRegion);
  return {};
};

export const RemoveTags: Handler = async (input: { ResourceId: string; TagsList: Tag[] }, ctx) => {
  const t = await trailOf(input.ResourceId, ctx);
  const drop = new Set(input.TagsList.map((x) => x.Key));
  const cfg = { ...t.cfg, Tags: t.cfg.Tags.filter((x) => !drop.has(x.Key)) };
  await ctx.stores.trails.updateConfig(t.arn, JSON.stringify(cfg), t.multiRegion);
  return {};
};

export const ListTags: Handler = async (input: { ResourceIdList: string[] }, ctx) => {
  const out = [];
  for (const id of input.ResourceIdList) {
    const t = await trailOf(id, ctx);
    out.push({ ResourceId: t.arn, TagsList: t.cfg.Tags });
  }
  return { ResourceTagList: out };
};
