/**
 * GetEventSelectors: the stored selectors, or the default single "all management events" selector.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html
 */
import type { Handler } from "../../types.js";
import { findTrail } from "../trail.js";

export const GetEventSelectors: Handler = async (input: { TrailName: string }, ctx) => {
  const t = await findTrail(input.TrailName, ctx);
  if (t.cfg.AdvancedEventSelectors) return { TrailARN: t.arn, AdvancedEventSelectors: t.cfg.AdvancedEventSelectors };
  // The AWS CLI example shows the default without ExcludeManagementEventSources.
  return {
    TrailARN: t.arn,
    EventSelectors: t.cfg.EventSelectors ?? [
      { ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [] },
    ],
  };
};
