/**
 * GetInsightSelectors: InsightNotEnabledException when the trail has none (spec §9.2's message).
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetInsightSelectors.html
 */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { findTrail } from "../trail.js";

export const GetInsightSelectors: Handler = async (input: { TrailName?: string }, ctx) => {
  if (input.TrailName === undefined) {
    throw awsError("InvalidParameterCombinationException", "You must specify a TrailName or an EventDataStore.");
  }
  const t = await findTrail(input.TrailName, ctx);
  if (!t.cfg.InsightSelectors?.length) {
    throw awsError(
      "InsightNotEnabledException",
      `Trail ${t.arn} does not have Insights enabled. Enable Insights on the trail and try again.`,
    );
  }
  return { TrailARN: t.arn, InsightSelectors: t.cfg.InsightSelectors };
};
