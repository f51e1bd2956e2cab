/** The metric filter operations, spread into the Logs handler table (index.ts). */
import type { Handler } from "../types.js";
import { DeleteMetricFilter } from "./operations/DeleteMetricFilter.js";
import { DescribeMetricFilters } from "./operations/DescribeMetricFilters.js";
import { PutMetricFilter } from "./operations/PutMetricFilter.js";
import { TestMetricFilter } from "./operations/TestMetricFilter.js";

export const metricFilterHandlers: Record<string, Handler> = {
  DeleteMetricFilter,
  DescribeMetricFilters,
  PutMetricFilter,
  TestMetricFilter,
};
