/** CloudWatch metric, metric-math and dashboard operations: one handler per operation in operations/. */
import type { Handler } from "../../types.js";
import { DeleteDashboards } from "./operations/DeleteDashboards.js";
import { GetDashboard } from "./operations/GetDashboard.js";
import { ListDashboards } from "./operations/ListDashboards.js";
import { PutDashboard } from "./operations/PutDashboard.js";
import { GetMetricData } from "./operations/GetMetricData.js";
import { GetMetricStatistics } from "./operations/GetMetricStatistics.js";
import { ListMetrics } from "./operations/ListMetrics.js";
import { PutMetricData } from "./operations/PutMetricData.js";

export const metricHandlers: Record<string, Handler> = {
  DeleteDashboards,
  GetDashboard,
  GetMetricData,
  GetMetricStatistics,
  ListDashboards,
  ListMetrics,
  PutDashboard,
  PutMetricData,
};
