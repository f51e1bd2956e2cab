/**
 * LookupEvents: the account's CloudTrail event history in the caller's region, newest first, 90 days deep.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 */
import { createHash } from "node:crypto";
import { awsError } from "../../../errors/index.js";
import type { AuditRow, LookupAttributeKey } from "../../../storage/types.js";
import type { Handler } from "../../types.js";

const HISTORY_MS = 90 * 24 * 3600 * 1000;

interface LookupEventsInput {
  LookupAttributes?: { AttributeKey: LookupAttributeKey; AttributeValue: string }[];
  StartTime?: Date;
  EndTime?: Date;
  EventCategory?: "insight";
  MaxResults?: number;
  NextToken?: string;
}

const invalidToken = () => awsError("InvalidNextTokenException", "Invalid NextToken.");

/** A token is valid only with the parameters it was issued for, as AWS documents. */
function paramsKey(input: LookupEventsInput, account: string, region: string): string {
  const { NextToken: _, MaxResults: __, ...rest } = input;
  return createHash("sha256")
    .update(JSON.stringify([account, region, rest]))
    .digest("base64url")
    .slice(0, 16);
}

export const LookupEvents: Handler = async (input: LookupEventsInput, ctx) => {
  const attrs = input.LookupAttributes ?? [];
  if (attrs.length > 1) {
    throw awsError("InvalidLookupAttributesException", "You cannot specify more than one lookup attribute.");
  }
  const attribute = attrs[0] ? { key: attrs[0].AttributeKey, value: attrs[0].AttributeValue } : undefined;
  if (attribute?.key === "ReadOnly" && attribute.value !== "true" && attribute.value !== "false") {
    throw awsError("InvalidLookupAttributesException", "The ReadOnly attribute value must be true or false.");
  }
  const now = ctx.clock.now();
  const endTime = input.EndTime ? input.EndTime.getTime() : now;
  const startTime = input.StartTime ? input.StartTime.getTime() : now - HISTORY_MS;
  if (startTime > endTime) throw awsError("InvalidTimeRangeException", "Start time must be before end time.");

  const key = paramsKey(input, ctx.account, ctx.region);
  let cursor: string | undefined;
  if (input.NextToken !== undefined) {
    const dot = input.NextToken.indexOf(".");
    if (dot < 0 || input.NextToken.slice(0, dot) !== key) throw invalidToken();
    cursor = input.NextToken.slice(dot + 1);
  }
  let page: { rows: AuditRow[]; cursor?: string };
  try {
    page = await ctx.stores.audit.query({
      account: ctx.account,
      region: ctx.region,
      startTime: Math.max(startTime, now - HISTORY_MS),
      endTime,
      attribute,
      eventCategory: input.EventCategory === "insight" ? "Insight" : "Management",
      limit: input.MaxResults ?? 50,
      cursor,
    });
  } catch (err) {
    if ((err as { code?: string }).code === "InvalidNextToken") throw invalidToken();
    throw err;
  }
  return {
    Events: page.rows.map((r) => ({
      EventId: r.eventId,
      EventName: r.eventName,
      ReadOnly: String(r.readOnly),
      AccessKeyId: r.accessKeyId ?? undefined,
      EventTime: new Date(Math.floor(r.eventTime / 1000) * 1000),
      EventSource: r.eventSource,
      Username: r.username ?? undefined,
      Resources: r.resources.map((x) => ({ ResourceType: x.type, ResourceName: x.name })),
      CloudTrailEvent: r.record,
    })),
    NextToken: page.cursor ? `${key}.${page.cursor}` : undefined,
  };
};
