/**
 * PutRetentionPolicy: events older than the retention expire (the retention job deletes them).
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
import type { Handler } from "../../types.js";
import { groupNotFound, invalidParameter } from "../errors.js";

/** "Possible values are: 1, 3, 5, ... 3288, and 3653." (API reference). */
export const RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export const PutRetentionPolicy: Handler = async (input: { logGroupName: string; retentionInDays: number }, ctx) => {
  const days = input.retentionInDays;
  // The model types Days as a plain integer; AWS checks the set as it would an enum, in the Coral message format.
  if (!RETENTION_DAYS.includes(days))
    throw invalidParameter(
      `1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: ` +
        `Member must satisfy enum value set: [${RETENTION_DAYS.join(", ")}]`,
    );
  const updated = await ctx.stores.logs.updateGroup(ctx, input.logGroupName, () => ({ retentionInDays: days }));
  if (!updated) throw groupNotFound();
  return {};
};
