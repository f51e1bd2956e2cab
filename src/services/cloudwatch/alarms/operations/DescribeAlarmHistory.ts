/**
 * DescribeAlarmHistory: history items of one alarm or all, by type, date range and AlarmTypes (metric alarms only
 * when omitted), newest first unless ScanBy is TimestampAscending; MaxRecords (default 100) per page.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html
 */
import type { Handler } from "../../../types.js";
import { decodeToken, encodeToken } from "./common.js";
import { awsError } from "../../../../errors/index.js";

interface Input {
  AlarmName?: string;
  AlarmTypes?: ("MetricAlarm" | "CompositeAlarm")[];
  HistoryItemType?: string;
  StartDate?: Date;
  EndDate?: Date;
  MaxRecords?: number;
  NextToken?: string;
  ScanBy?: "TimestampDescending" | "TimestampAscending";
}

export const DescribeAlarmHistory: Handler = async (input: Input, ctx) => {
  const limit = input.MaxRecords ?? 100;
  let after: number | undefined;
  if (input.NextToken) {
    after = Number(decodeToken(input.NextToken));
    if (!Number.isInteger(after)) throw awsError("InvalidNextToken", "The service cannot decode the NextToken."); // assumed
  }
  const items = await ctx.stores.alarms.history({
    account: ctx.account,
    region: ctx.region,
    alarmName: input.AlarmName,
    // With AlarmName, the named alarm's items whatever its type; otherwise metric alarms unless asked.
    alarmTypes: input.AlarmTypes?.length ? input.AlarmTypes : input.AlarmName ? undefined : ["MetricAlarm"],
    itemType: input.HistoryItemType,
    start: input.StartDate?.getTime(),
    end: input.EndDate?.getTime(),
    ascending: input.ScanBy === "TimestampAscending",
    limit: limit + 1,
    after,
  });
  const page = items.slice(0, limit);
  return {
    AlarmHistoryItems: page.map((h) => ({
      AlarmName: h.alarmName,
      AlarmType: h.alarmType,
      Timestamp: h.at,
      HistoryItemType: h.itemType,
      HistorySummary: h.summary,
      HistoryData: h.data,
    })),
    NextToken: items.length > limit ? encodeToken(String(page[page.length - 1].id)) : undefined,
  };
};
