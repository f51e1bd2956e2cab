/**
 * TagResource / UntagResource / ListTagsForResource for alarms (arn:aws:cloudwatch:region:account:alarm:name).
 * ListTagsForResource of an alarm that does not exist answers no tags (recorded on AWS); tagging one answers
 * ResourceNotFoundException. Other CloudWatch resources (dashboards, insight rules, metric streams) are not taggable
 * in Vigil yet: listing answers no tags, tagging answers InvalidParameterValue.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_TagResource.html
 */
import { awsError } from "../../../../errors/index.js";
import type { RequestContext, Handler } from "../../../types.js";
import type { Tag } from "../model.js";
import { checkTags, mergeTags } from "./common.js";

const ALARM_ARN = /^arn:aws[a-z-]*:cloudwatch:([^:]+):(\d{12}):alarm:(.+)$/;

function alarmName(ctx: RequestContext, arn: string): string | undefined {
  const m = ALARM_ARN.exec(arn);
  if (!m || m[1] !== ctx.region || m[2] !== ctx.account) return undefined;
  return m[3];
}

async function taggable(ctx: RequestContext, arn: string) {
  const name = alarmName(ctx, arn);
  if (name === undefined) {
    if (!/^arn:aws[a-z-]*:cloudwatch:/.test(arn)) throw awsError("InvalidParameterValue", `Invalid ARN: ${arn}`); // assumed wording
    throw awsError("InvalidParameterValue", `Tagging of ${arn} is not supported by Vigil.`);
  }
  const row = await ctx.stores.alarms.get(ctx.account, ctx.region, name);
  if (!row)
    throw awsError("ResourceNotFoundException", `Alarm ${name} does not exist.`, 404, {
      ResourceType: "Alarm",
      ResourceId: arn,
    }); // assumed wording
  return row;
}

export const TagResource: Handler = async (input: { ResourceARN: string; Tags: Tag[] }, ctx) => {
  checkTags(input.Tags);
  const row = await taggable(ctx, input.ResourceARN);
  const tags = mergeTags(JSON.parse(row.tags) as Tag[], input.Tags);
  await ctx.stores.alarms.write([{ op: "upsert", row: { ...row, tags: JSON.stringify(tags) } }]);
  return {};
};

export const UntagResource: Handler = async (input: { ResourceARN: string; TagKeys: string[] }, ctx) => {
  const row = await taggable(ctx, input.ResourceARN);
  const drop = new Set(input.TagKeys);
  const tags = (JSON.parse(row.tags) as Tag[]).filter((t) => !drop.has(t.Key));
  await ctx.stores.alarms.write([{ op: "upsert", row: { ...row, tags: JSON.stringify(tags) } }]);
  return {};
};

export const ListTagsForResource: Handler = async (input: { ResourceARN: string }, ctx) => {
  const name = alarmName(ctx, input.ResourceARN);
  const row = name === undefined ? undefined : await ctx.stores.alarms.get(ctx.account, ctx.region, name);
  return { Tags: row ? (JSON.parse(row.tags) as Tag[]) : [] };
};
