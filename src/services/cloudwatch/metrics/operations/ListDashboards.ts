/** ListDashboards: by name prefix, in name order, 1,000 per page with NextToken. */
import { awsError } from "../../../../errors/index.js";
import type { Handler } from "../../../types.js";
import { dashboardArn } from "./GetDashboard.js";

const PAGE = 1000;

export const ListDashboards: Handler = async (input: { DashboardNamePrefix?: string; NextToken?: string }, ctx) => {
  let after = "";
  if (input.NextToken !== undefined) {
    const m = /^v1:(.+)$/s.exec(Buffer.from(input.NextToken, "base64url").toString("utf8"));
    if (!m) throw awsError("InvalidParameterValue", "Invalid NextToken.");
    after = m[1];
  }
  const rows = await ctx.stores.metrics.dashboards(ctx.account, input.DashboardNamePrefix ?? "", after, PAGE + 1);
  const page = rows.slice(0, PAGE);
  return {
    DashboardEntries: page.map((d) => ({
      DashboardName: d.name,
      DashboardArn: dashboardArn(ctx.account, d.name),
      LastModified: new Date(d.lastModified),
      Size: d.size,
    })),
    ...(rows.length > PAGE ? { NextToken: Buffer.from(`v1:${page[page.length - 1].name}`).toString("base64url") } : {}),
  };
};
