/**
 * PutInsightSelectors: ApiCallRateInsight needs write management events logged, ApiErrorRateInsight read or write
 * ones (spec §6.1); an empty list disables Insights.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutInsightSelectors.html
 */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { logsManagement } from "../selectors.js";
import { serverFor } from "../state.js";
import { findTrail } from "../trail.js";

export const PutInsightSelectors: Handler = async (
  input: { TrailName?: string; InsightSelectors: { InsightType?: string; EventCategories?: string[] }[] },
  ctx,
) => {
  if (input.TrailName === undefined) {
    throw awsError("InvalidParameterCombinationException", "You must specify a TrailName or an EventDataStore.");
  }
  const t = await findTrail(input.TrailName, ctx, true);
  const sels = input.InsightSelectors.map((s) => {
    if (!s.InsightType) throw awsError("InvalidInsightSelectorsException", "InsightType is required.");
    const cats = s.EventCategories ?? ["Management"];
    if (cats.includes("Management")) {
      const ok = s.InsightType === "ApiCallRateInsight" ? logsManagement(t.cfg, true) : logsManagement(t.cfg, false);
      if (!ok) {
        throw awsError(
          "InvalidInsightSelectorsException",
          s.InsightType === "ApiCallRateInsight"
            ? "ApiCallRateInsight requires the trail to log write management events."
            : "ApiErrorRateInsight requires the trail to log read or write management events.",
        );
      }
    }
    return { InsightType: s.InsightType, EventCategories: s.EventCategories };
  });
  if (new Set(sels.map((s) => s.InsightType)).size !== sels.length) {
    throw awsError("InvalidInsightSelectorsException", "Duplicate InsightType values are not allowed.");
  }
  const cfg = { ...t.cfg, InsightSelectors: sels.length ? sels : undefined };
  await ctx.stores.trails.updateConfig(t.arn, JSON.stringify(cfg), t.multiRegion);
  serverFor(ctx.stores).wake();
  return { TrailARN: t.arn, InsightSelectors: sels };
};
