/**
 * TestMetricFilter: which of up to 50 messages the pattern matches (eventNumber counts from 1), with the values it
 * extracts as strings. https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TestMetricFilter.html
 */
import type { Handler } from "../../types.js";
import { compileMetricFilterPattern } from "../metric-filters.js";

export const TestMetricFilter: Handler = async (input: { filterPattern: string; logEventMessages: string[] }) => {
  const pattern = compileMetricFilterPattern(input.filterPattern);
  const matches: { eventNumber: number; eventMessage: string; extractedValues: Record<string, string> }[] = [];
  input.logEventMessages.forEach((message, i) => {
    const extracted = pattern.extract(message);
    if (!extracted) return;
    const extractedValues: Record<string, string> = {};
    for (const [k, v] of Object.entries(extracted)) extractedValues[k] = typeof v === "string" ? v : JSON.stringify(v);
    matches.push({ eventNumber: i + 1, eventMessage: message, extractedValues });
  });
  return { matches };
};
