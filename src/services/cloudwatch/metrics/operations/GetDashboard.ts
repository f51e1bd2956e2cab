/** GetDashboard: a dashboard's body and ARN (dashboards are global: arn:aws:cloudwatch::<account>:dashboard/<name>). */
import { awsError } from "../../../../errors/index.js";
import type { Handler } from "../../../types.js";

export const dashboardArn = (account: string, name: string) => `arn:aws:cloudwatch::${account}:dashboard/${name}`;

export const GetDashboard: Handler = async (input: { DashboardName: string }, ctx) => {
  const d = await ctx.stores.metrics.dashboard(ctx.account, input.DashboardName);
  // Assumption (no recording): AWS's wording for a missing dashboard.
  if (!d) throw awsError("ResourceNotFound", `Dashboard ${input.DashboardName} does not exist`, 404);
  return { DashboardArn: dashboardArn(ctx.account, d.name), DashboardBody: d.body, DashboardName: d.name };
};
