/** CloudWatch metric, metric-math and dashboard operations (none yet). */
import type { Handler } from "../../types.js";

export const metricHandlers: Record<string, Handler> = {};
