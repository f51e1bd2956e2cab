/**
 * PutEventSelectors: basic or advanced selectors (one kind replaces the other), from the home region.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html
 */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { checkAdvanced, checkBasic, type AdvancedEventSelector, type EventSelector } from "../selectors.js";
import { findTrail } from "../trail.js";

export const PutEventSelectors: Handler = async (
  input: { TrailName: string; EventSelectors?: EventSelector[]; AdvancedEventSelectors?: AdvancedEventSelector[] },
  ctx,
) => {
  const t = await findTrail(input.TrailName, ctx, true);
  if ((input.EventSelectors === undefined) === (input.AdvancedEventSelectors === undefined)) {
    // Assumption: AWS's wording; the code is the documented one for this case.
    throw awsError(
      "InvalidEventSelectorsException",
      "Specify either event selectors or advanced event selectors, but not both.",
    );
  }
  const cfg = { ...t.cfg };
  if (input.EventSelectors) {
    const sels = input.EventSelectors.map((s) => ({
      ReadWriteType: s.ReadWriteType ?? "All",
      IncludeManagementEvents: s.IncludeManagementEvents ?? true,
      DataResources: s.DataResources ?? [],
      ExcludeManagementEventSources: s.ExcludeManagementEventSources ?? [],
    }));
    checkBasic(sels);
    cfg.EventSelectors = sels;
    delete cfg.AdvancedEventSelectors;
  } else {
    checkAdvanced(input.AdvancedEventSelectors!);
    cfg.AdvancedEventSelectors = input.AdvancedEventSelectors;
    delete cfg.EventSelectors;
  }
  await ctx.stores.trails.updateConfig(t.arn, JSON.stringify(cfg), t.multiRegion);
  return { TrailARN: t.arn, EventSelectors: cfg.EventSelectors, AdvancedEventSelectors: cfg.AdvancedEventSelectors };
};
