/** DeleteDashboards: all named dashboards, or none when one of them does not exist (ResourceNotFound). */
import { awsError } from "../../../../errors/index.js";
import type { Handler } from "../../../types.js";

export const DeleteDashboards: Handler = async (input: { DashboardNames: string[] }, ctx) => {
  const missing = await ctx.stores.metrics.deleteDashboards(ctx.account, [...new Set(input.DashboardNames)]);
  // Assumption (no recording): AWS's wording.
  if (missing.length > 0) throw awsError("ResourceNotFound", "The specified dashboard does not exist.", 404);
  return {};
};
