/**
 * PutDashboard: creates or replaces a dashboard. An invalid body answers InvalidParameterInput with the validation
 * messages (the message lists them as AWS does: "The dashboard body is invalid, there are N validation errors: ...").
 */
import { awsError } from "../../../../errors/index.js";
import type { Handler } from "../../../types.js";
import { validateDashboardBody } from "../dashboards/validate.js";

const NAME = /^[A-Za-z0-9_-]+$/;

export function checkDashboardName(name: string): void {
  if (!NAME.test(name))
    throw awsError(
      "InvalidParameterValue",
      "The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).\n",
    );
  if (name.length > 255)
    throw awsError("InvalidParameterValue", "The value for field DashboardName must be at most 255 characters long.");
}

export const PutDashboard: Handler = async (input: { DashboardName: string; DashboardBody: string }, ctx) => {
  checkDashboardName(input.DashboardName);
  const problems = validateDashboardBody(input.DashboardBody);
  if (problems.length > 0) {
    const list = JSON.stringify(
      problems.map((p) => ({ dataPath: p.DataPath, message: p.Message })),
      null,
      1,
    );
    throw awsError(
      "InvalidParameterInput",
      `The dashboard body is invalid, there are ${problems.length} validation errors:\n${list}`,
      400,
      { dashboardValidationMessages: problems },
    );
  }
  await ctx.stores.metrics.putDashboard(ctx.account, {
    name: input.DashboardName,
    body: input.DashboardBody,
    size: Buffer.byteLength(input.DashboardBody),
    lastModified: ctx.clock.now(),
  });
  return { DashboardValidationMessages: [] };
};
